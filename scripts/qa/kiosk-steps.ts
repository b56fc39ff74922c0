/**
 * What the kiosk scenario does at the tablet, by accessible names as reception and walk-ins find
 * them: setting a kiosk up with a staff account, and a walk-in registering and booking. The e2e
 * tests have their own copy (e2e/kiosk-driver.ts); these wait longer, for links that drop.
 */
import type { Page } from 'playwright-core';

/** The local stack's demo receptionist (supabase/local/demo-staff.ts); `--url` builds may set their own. */
export interface StaffAccount {
  email: string;
  password: string;
}

const SLOW = { timeout: 120_000 };

/** Opens kiosk setup, signs the staff in, sets the PIN; returns once the kiosk's Home shows. */
export async function setUpKiosk(page: Page, staff: StaffAccount, pin: string): Promise<void> {
  await page.goto(new URL('#/kiosk/setup', page.url()).href);
  await page.getByLabel('Staff email').fill(staff.email, SLOW);
  await page.getByLabel('Password').fill(staff.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('New PIN (6 digits or more)').fill(pin, SLOW);
  await page.getByLabel('The same PIN again').fill(pin);
  await page.getByRole('button', { name: 'Save PIN and start the kiosk' }).click();
  await kioskHome(page);
}

export async function kioskHome(page: Page): Promise<void> {
  await page.getByRole('heading', { name: /^Welcome to / }).waitFor(SLOW);
}

/** "I am new here": the registration form, saved; the booking step shows next. */
export async function registerWalkIn(page: Page, fullName: string, dateOfBirth: string): Promise<void> {
  await page.getByRole('button', { name: 'I am new here' }).click();
  await page.getByLabel('Full name').fill(fullName);
  await page.getByLabel('Date of birth').fill(dateOfBirth);
  await page.getByRole('radio', { name: 'Female', exact: true }).check();
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.getByRole('heading', { name: 'Book a consultation' }).waitFor(SLOW);
}

/** Books the first free time of Dr. Anjali Verma (seeded at the demo clinic). */
export async function bookFirstTime(page: Page, reason: string): Promise<void> {
  await page.getByRole('radio', { name: /Dr\. Anjali Verma/ }).check(SLOW);
  await page.getByRole('group', { name: 'Day' }).getByRole('radio').first().check(SLOW);
  await page.getByRole('group', { name: 'Free times' }).getByRole('radio').first().check(SLOW);
  await page.getByLabel('Reason for the visit, in a few words').fill(reason);
  await page.getByRole('button', { name: 'Book', exact: true }).click();
  await page.getByText('Your consultation is booked.').waitFor(SLOW);
}

/** "Done": the session ends, and the next walk-in finds Home. */
export async function finishSession(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Done' }).click();
  await kioskHome(page);
}
