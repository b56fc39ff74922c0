/**
 * The account screen checks what is typed before anything is sent, and says beside each field what
 * is wrong: a mistyped email did nothing at all (the browser's own check stopped the submit with no
 * message in the page), "Create account" stayed greyed out with no reason given, and a phone number
 * that is not one was sent a code.
 */
import { expect, it } from 'vitest';
import { finishWelcome, openApp } from './app-driver.ts';
import { browserPerFile } from './browser.ts';

const { phone } = browserPerFile();

it('tells field by field what to fix, and sends no code to a phone number that is not one', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);

  const email = page.getByLabel('Email');
  await email.fill('not-an-email');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Enter an email address like name@example.com.').waitFor();
  await expect(email.getAttribute('aria-invalid')).resolves.toBe('true');
  // The keyboard user is taken to the first field to fix.
  await expect(email.evaluate((e) => e === document.activeElement)).resolves.toBe(true);

  await email.fill('asha@example.org');
  await page.getByLabel('Password').fill('short');
  const create = page.getByRole('button', { name: 'Create account' });
  await expect(create.isEnabled()).resolves.toBe(true);
  await create.click();
  await page.getByText('A new account needs a password of at least 6 characters.').waitFor();

  const number = page.getByLabel('Phone number', { exact: true });
  await number.fill('abc<script>');
  await page.getByRole('button', { name: 'Send code' }).click();
  await page.getByText('Use 7 to 15 digits, optionally starting with +.').waitFor();
  await expect(number.getAttribute('aria-invalid')).resolves.toBe('true');
  await expect(page.getByText(/We sent a code/).count()).resolves.toBe(0);

  await number.fill('+91 98765 43210');
  await page.getByRole('button', { name: 'Send code' }).click();
  await page.getByText('We sent a code to +919876543210.').waitFor();
});
