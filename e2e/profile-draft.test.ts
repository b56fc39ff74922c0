/**
 * What was typed in the profile survives leaving the form (found by the QA pass): a tap on Book and
 * back lost every unsaved field, with nothing saying so.
 */
import { expect, it } from 'vitest';
import { continueWithoutAccount, finishWelcome, goTo, openApp } from './app-driver.ts';
import { browserPerFile } from './browser.ts';

const { phone } = browserPerFile();

it('keeps unsaved profile edits when the patient leaves the form and comes back, until saved', async () => {
  const page = await openApp(await phone());
  await finishWelcome(page);
  await continueWithoutAccount(page);
  await goTo(page, 'Profile');
  await page.getByLabel('Full name').fill('Geeta Kumari');
  await page.getByRole('radio', { name: 'Female', exact: true }).check();

  await goTo(page, 'Book');
  await page.getByRole('heading', { name: 'Book a consultation' }).waitFor();
  await goTo(page, 'Profile');
  await expect(page.getByLabel('Full name').inputValue()).resolves.toBe('Geeta Kumari');
  await expect(page.getByRole('radio', { name: 'Female', exact: true }).isChecked()).resolves.toBe(true);

  await page.getByLabel('Date of birth').fill('1992-11-03');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Profile saved on this phone.').waitFor();
  await expect(page.evaluate(() => sessionStorage.getItem('consult.profileDraft'))).resolves.toBeNull();
});
