/**
 * A kiosk whose localStorage alone is cleared (devtools, a cleaning app) loses its settings but not
 * its database, nor the staff session kept in IndexedDB. It opened the patient app signed in as the
 * clinic's staff: kiosk mode left without the PIN. It now stays a kiosk that only staff can set up
 * again, on a reload and in a second tab open at the time.
 */
import { expect, it } from 'vitest';
import { browserPerFile, e2e } from './browser.ts';
import { setUpKiosk, tabletContext } from './kiosk-driver.ts';

const { context } = browserPerFile();
const UNREADABLE = 'This tablet’s kiosk settings cannot be read';

it('stays a kiosk (set up again only) when its localStorage alone is cleared', async () => {
  const tablet = await context((browser) => tabletContext(browser));
  const page = await setUpKiosk(tablet);
  const second = await tablet.newPage();
  await second.goto(`${e2e().appUrl}#/kiosk`);
  await second.getByRole('button', { name: 'I am new here' }).waitFor();

  await page.evaluate(() => localStorage.clear());
  // The tab open at the time is told by the storage event.
  await second.getByRole('heading', { name: UNREADABLE }).waitFor();
  for (const hash of ['#/kiosk', '#/appointments', '#/account']) {
    await page.goto(`${e2e().appUrl}${hash}`);
    await page.reload();
    await page.getByRole('heading', { name: UNREADABLE }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).count(), hash).toBe(0);
  }
});
