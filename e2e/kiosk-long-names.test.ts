/**
 * A walk-in's name may be 120 characters with no space (a long compound name, or someone testing
 * the tablet): every kiosk screen that shows it, to the patient and to staff, stays within the
 * tablet's width (no sideways scrolling that pushes the buttons off screen).
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { browserPerFile } from './browser.ts';
import { openStaff, register, setUpKiosk, tabletContext, waitForHome } from './kiosk-driver.ts';

const { context } = browserPerFile();

// 120 characters, the most a name may have, in one word: nothing for the browser to break at.
const LONG = `Venkata${'narasimha'.repeat(12)}raju`.slice(0, 120);

async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

it('keeps a 120-character name within the tablet width, on the patient side and the staff side', async () => {
  const tablet = await context((b) => tabletContext(b));
  const page = await setUpKiosk(tablet);
  // Offline: the registration waits in the queue, where staff see it with its name.
  await tablet.setOffline(true);
  await register(page, { fullName: LONG, dateOfBirth: '1980-01-15', sex: 'Male' });
  await page.getByRole('button', { name: 'Not now' }).click();
  await page.getByRole('button', { name: 'Done' }).waitFor();
  expect(await overflow(page)).toBeLessThanOrEqual(0);
  await page.getByRole('button', { name: 'Done' }).click();
  await waitForHome(page);

  await page.getByRole('button', { name: 'I have been here before' }).click();
  await page.getByRole('radio', { name: 'Full name and date of birth' }).check();
  await page.getByLabel('Full name', { exact: true }).fill(LONG);
  await page.getByLabel('Date of birth', { exact: true }).fill('1980-01-15');
  await page.getByRole('button', { name: 'Find me' }).click();
  await page.getByRole('button', { name: `${LONG}, born 1980` }).waitFor();
  expect(await overflow(page)).toBeLessThanOrEqual(0);
  await page.getByRole('button', { name: 'Cancel' }).first().click();
  await waitForHome(page);

  await openStaff(page);
  await page.getByRole('button', { name: 'Waiting to send', exact: true }).click();
  await page.getByText(LONG, { exact: false }).first().waitFor();
  expect(await overflow(page)).toBeLessThanOrEqual(0);
});
