/**
 * A kiosk whose saved configuration cannot be read (damaged, edited by hand, or out of this
 * version's limits) stays a kiosk: it never falls back to the patient app, which would run with the
 * clinic staff's session and show the clinic's appointments to whoever stands at the tablet. Staff
 * set it up again from the one screen it shows.
 */
import { expect, it } from 'vitest';
import { DEMO_STAFF } from '../supabase/local/demo-staff.ts';
import { browserPerFile, e2e } from './browser.ts';
import { CLINIC, PIN, setUpKiosk, tabletContext } from './kiosk-driver.ts';

const { context } = browserPerFile();

it('shows only "set up again" when the kiosk settings cannot be read, and sets up again from it', async () => {
  const tablet = await context((browser) => tabletContext(browser));
  const page = await setUpKiosk(tablet);
  // Out of this version's limits (an idle time of 5 s), as a hand edit or another version could leave it.
  await page.evaluate(() => {
    const config = JSON.parse(localStorage.getItem('consult.kiosk') ?? '{}');
    localStorage.setItem('consult.kiosk', JSON.stringify({ ...config, idleSeconds: 5 }));
  });
  for (const hash of ['#/kiosk', '#/appointments', '#/profile']) {
    await page.goto(`${e2e().appUrl}${hash}`);
    // A new page each time (a hash change alone keeps the page, and the settings it read at start).
    await page.reload();
    await page.getByRole('heading', { name: 'This tablet’s kiosk settings cannot be read' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).count(), hash).toBe(0);
    expect(await page.getByRole('button', { name: 'I am new here' }).count(), hash).toBe(0);
  }

  await page.getByRole('button', { name: 'Set up this tablet again' }).click();
  // Staff were signed out: the setup asks for a sign-in, and a new PIN makes it a kiosk again.
  await page.getByLabel('Staff email').fill(DEMO_STAFF.email);
  await page.getByLabel('Password').fill(DEMO_STAFF.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('New PIN (6 digits or more)').fill(PIN);
  await page.getByLabel('The same PIN again').fill(PIN);
  await page.getByRole('button', { name: 'Save PIN and start the kiosk' }).click();
  await page.getByRole('heading', { name: `Welcome to ${CLINIC}` }).waitFor();
});
