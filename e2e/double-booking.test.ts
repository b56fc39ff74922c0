/**
 * Issue 8 part 3: booking the same time twice offline. A time this phone already booked (still
 * waiting to be sent) is not offered again, so the patient cannot end up with "this time was booked
 * by someone else" for their own second booking.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import {
  continueWithoutAccount,
  fillProfile,
  finishWelcome,
  goTo,
  openApp,
  waitForFirstPull,
} from './app-driver.ts';
import { browserPerFile } from './browser.ts';

const { phone } = browserPerFile();

/**
 * Walks the booking steps to Dr. Anjali Verma's video times and opens a day: `day`, or the first
 * with two free times or more (other test files share the stack and book her times too). Returns
 * the day and its times (slot ids).
 */
async function dayTimes(page: Page, day?: string): Promise<{ day: string; times: string[] }> {
  await goTo(page, 'Book');
  await page.getByRole('radio', { name: 'General medicine' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: /Dr\. Anjali Verma/ }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: 'Video consultation' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  const days = page.getByRole('group', { name: 'Day' }).getByRole('radio');
  await days.first().waitFor();
  const radios = page.getByRole('group', { name: 'Free times' }).getByRole('radio');
  for (const candidate of await days.all()) {
    const value = (await candidate.getAttribute('value')) ?? '';
    if (day !== undefined && value !== day) continue;
    await candidate.check();
    await radios.first().waitFor();
    const times: string[] = [];
    for (const radio of await radios.all()) times.push((await radio.getAttribute('value')) ?? '');
    if (day !== undefined || times.length >= 2) return { day: value, times };
  }
  return { day: day ?? '', times: [] };
}

it('does not offer again a time booked offline on this phone', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await continueWithoutAccount(page);
  // One online visit caches the doctors and their free times.
  await waitForFirstPull(page);

  await context.setOffline(true);
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Kusum Twice', dateOfBirth: '1975-03-02', sex: 'Female' });
  const before = await dayTimes(page);
  // Book the first of them, as a patient would, right there.
  await page.getByRole('group', { name: 'Free times' }).getByRole('radio').first().check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Describe your problem in a few words').fill('Headache');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Confirm booking' }).click();
  await page.waitForURL(/#\/appointments\/[0-9a-f-]{36}$/);
  const after = await dayTimes(page, before.day);

  expect(before.times.length).toBeGreaterThanOrEqual(2);
  expect(after.times).not.toContain(before.times[0]);
  expect(after.times).toEqual(before.times.slice(1));
});
