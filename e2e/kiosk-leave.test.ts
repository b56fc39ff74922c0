/**
 * Leaving kiosk mode ends on the patient app's first screen (found by the QA pass): "Continue" on
 * "Kiosk mode has ended" changed the hash and reloaded, the kiosk's Back guard put #/kiosk back
 * first, and the reloaded patient app said "This page does not exist".
 */
import { expect, it } from 'vitest';
import { browserPerFile } from './browser.ts';
import { openStaff, PIN, setUpKiosk, tabletContext } from './kiosk-driver.ts';

const { context } = browserPerFile();

it('continues from "Kiosk mode has ended" to the patient app, not to a page that does not exist', async () => {
  const tablet = await context(tabletContext);
  const page = await setUpKiosk(tablet);
  await openStaff(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Leave kiosk mode' }).click();
  await page.getByLabel('Staff PIN').fill(PIN);
  await page.getByRole('button', { name: 'Leave kiosk mode and wipe patient data' }).click();
  await page.getByRole('heading', { name: 'Kiosk mode has ended' }).waitFor();

  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Welcome to Consult' }).waitFor();
  expect(new URL(page.url()).hash).not.toBe('#/kiosk');
  await expect(page.getByText('This page does not exist.').count()).resolves.toBe(0);
});
