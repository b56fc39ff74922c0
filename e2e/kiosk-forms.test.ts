/**
 * The kiosk's forms as a keyboard or screen-reader user meets them (found by the QA pass): each
 * refusal is said beside its field (aria-invalid, described by) with focus on the first to fix;
 * a wrong PIN keeps focus in the PIN field; each step of a patient's session puts focus on its
 * heading; and a walk-in who booked this morning hears that the booking waits for the clinic,
 * instead of "no appointment today, book one".
 */
import { expect, it } from 'vitest';
import { DEMO_STAFF } from '../supabase/local/demo-staff.ts';
import { openApp } from './app-driver.ts';
import { browserPerFile } from './browser.ts';
import { focused, refusals } from './form-probe.ts';
import { PIN, tabletContext, waitForHome } from './kiosk-driver.ts';

const { context } = browserPerFile();

it('refuses empty or malformed kiosk forms beside their fields, with focus on the first to fix', async () => {
  const tablet = await context(tabletContext);
  const page = await openApp(tablet, '#/kiosk/setup');

  // Staff sign-in, empty: nothing sent, each field says why.
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect
    .poll(() => refusals(page))
    .toEqual(['Staff email: This field is required.', 'Password: This field is required.']);
  expect(await focused(page)).toBe('INPUT Staff email');

  // A wrong password: the failure is said, and focus is back on the button pressed, not the page's top.
  await page.getByLabel('Staff email').fill(DEMO_STAFF.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Could not sign in', { exact: false }).waitFor();
  await expect.poll(() => focused(page)).toBe('BUTTON Sign in');

  await page.getByLabel('Password').fill(DEMO_STAFF.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('New PIN (6 digits or more)').fill(PIN);
  await page.getByLabel('The same PIN again').fill('000000');
  await page.getByRole('button', { name: 'Save PIN and start the kiosk' }).click();
  await expect.poll(() => refusals(page)).toEqual(['The same PIN again: The two PINs are not the same.']);
  expect(await focused(page)).toBe('INPUT The same PIN again');
  await page.getByLabel('The same PIN again').fill(PIN);
  await page.getByRole('button', { name: 'Save PIN and start the kiosk' }).click();
  await waitForHome(page);

  // A walk-in: each step's heading takes the focus; Book with nothing chosen names the doctor.
  await page.getByRole('button', { name: 'I am new here' }).click();
  await expect.poll(() => focused(page)).toBe('H2 Your details');
  await page.getByLabel('Full name').fill('Kesar Forms');
  await page.getByLabel('Date of birth').fill('1960-01-01');
  await page.getByRole('radio', { name: 'Female', exact: true }).check();
  await page.getByLabel('Phone number (optional)').fill('97001 23456');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect.poll(() => focused(page)).toBe('H2 Book a consultation');
  await page.getByRole('button', { name: 'Book', exact: true }).click();
  await expect
    .poll(() => refusals(page))
    .toEqual([
      'Doctor: Choose a doctor first.',
      'Reason for the visit, in a few words: This field is required.',
    ]);
  expect(await focused(page)).toMatch(/^INPUT Dr\. /);

  // Booked for the first free time today or later, then back as a returning patient.
  await page.getByRole('radio', { name: /Dr\. Anjali Verma/ }).check();
  await page.getByRole('group', { name: 'Day' }).getByRole('radio').first().check();
  await page.getByRole('group', { name: 'Free times' }).getByRole('radio').first().check();
  await page.getByLabel('Reason for the visit, in a few words').fill('Dizziness');
  await page.getByRole('button', { name: 'Book', exact: true }).click();
  await page.getByText('Your consultation is booked.').waitFor();
  await page.getByRole('button', { name: 'Done' }).click();
  await waitForHome(page);

  await page.getByRole('button', { name: 'I have been here before' }).click();
  await page.getByRole('button', { name: 'Find me' }).click();
  await expect
    .poll(() => refusals(page))
    .toEqual([
      'Phone number: This field is required.',
      'Year of birth (for example 1984): This field is required.',
    ]);
  expect(await focused(page)).toBe('INPUT Phone number');
  await expect(page.getByText('No registration matches', { exact: false }).count()).resolves.toBe(0);
  await page.getByLabel('Phone number', { exact: true }).fill('9700123456');
  await page.getByLabel('Year of birth (for example 1984)').fill('60');
  await page.getByRole('button', { name: 'Find me' }).click();
  await expect
    .poll(() => refusals(page))
    .toEqual([
      'Year of birth (for example 1984): Write the year you were born with 4 digits, for example 1984.',
    ]);
  await page.getByLabel('Year of birth (for example 1984)').fill('1960');
  await page.getByRole('button', { name: 'Find me' }).click();
  await page.getByRole('button', { name: 'Kesar, born 1960' }).click();
  await expect.poll(() => focused(page)).toBe('H2 Your appointment today');
});

it('says an empty PIN is empty, and keeps focus in the PIN field after a wrong one', async () => {
  const tablet = await context(tabletContext);
  const page = await openApp(tablet, '#/kiosk/setup');
  await page.getByLabel('Staff email').fill(DEMO_STAFF.email);
  await page.getByLabel('Password').fill(DEMO_STAFF.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('New PIN (6 digits or more)').fill(PIN);
  await page.getByLabel('The same PIN again').fill(PIN);
  await page.getByRole('button', { name: 'Save PIN and start the kiosk' }).click();
  await waitForHome(page);

  await page.getByRole('button', { name: 'Staff', exact: true }).click();
  await expect.poll(() => focused(page)).toBe('H2 Staff only');
  // Pressed twice with nothing typed: a slip each time, not a guess.
  for (let i = 0; i < 2; i++) {
    await page.getByRole('button', { name: 'Open staff screens' }).click();
    await expect.poll(() => refusals(page)).toEqual(['Staff PIN: Enter the staff PIN.']);
    expect(await focused(page)).toBe('INPUT Staff PIN');
  }
  await page.getByLabel('Staff PIN').fill('000000');
  await page.getByRole('button', { name: 'Open staff screens' }).click();
  await expect.poll(() => refusals(page)).toEqual(['Staff PIN: Wrong PIN.']);
  expect(await focused(page)).toBe('INPUT Staff PIN');
  // The empty tries did not count: with them, this third try would have locked the entry.
  await expect(page.getByText('Too many wrong PINs', { exact: false }).count()).resolves.toBe(0);
});
