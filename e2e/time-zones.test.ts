/**
 * A phone set to another time zone than the clinic's (a patient travelling, a family member abroad
 * booking for a parent, a phone with a misset zone). Slots were shown on the phone's clock: in New
 * York the clinic's 12:00 read 01:30 under the day before, and nothing said which clock it was. The
 * clinic's times are shown on its clock (India), said to be so, and the slot booked is the one shown.
 */
import type { BrowserContext } from 'playwright-core';
import { expect, it } from 'vitest';
import {
  continueWithoutAccount,
  eventually,
  fillProfile,
  finishWelcome,
  goTo,
  openApp,
  sql,
  waitForFirstPull,
} from './app-driver.ts';
import { browserPerFile } from './browser.ts';

const { context } = browserPerFile();

const phoneIn = (timezoneId: string) =>
  context(
    (browser): Promise<BrowserContext> =>
      browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'hi-IN', timezoneId }),
  );

/** The clinic's day and time of an instant, as the app writes them in English. */
function clinicWords(at: Date): { day: string; time: string } {
  const zone = { timeZone: 'Asia/Kolkata' } as const;
  return {
    day: new Intl.DateTimeFormat('en-IN', {
      ...zone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
    }).format(at),
    time: new Intl.DateTimeFormat('en-IN', {
      ...zone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(at),
  };
}

for (const zone of ['America/New_York', 'Pacific/Chatham'])
  it(`books the clinic's slot the patient saw, on the clinic's clock, from a phone in ${zone}`, async () => {
    const page = await openApp(await phoneIn(zone));
    await finishWelcome(page);
    await continueWithoutAccount(page);
    await waitForFirstPull(page);
    await goTo(page, 'Profile');
    await fillProfile(page, { fullName: 'Zone Traveller', dateOfBirth: '1988-02-29', sex: 'Male' });

    await goTo(page, 'Book');
    await page.getByRole('radio', { name: 'General medicine' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio', { name: /Dr\. Anjali Verma/ }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio', { name: 'Video consultation' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText(`This phone is set to another time zone (${zone})`).waitFor();
    const day = page.getByRole('group', { name: 'Day' }).getByRole('radio').first();
    const dayLabel = (
      await page.getByRole('group', { name: 'Day' }).locator('label').first().innerText()
    ).trim();
    await day.check();
    const timeLabel = (
      await page.getByRole('group', { name: 'Free times' }).locator('label').first().innerText()
    ).trim();
    await page.getByRole('group', { name: 'Free times' }).getByRole('radio').first().check();
    await page.getByRole('button', { name: 'Next' }).click();
    const reason = `Zone check ${crypto.randomUUID().slice(0, 8)}`;
    await page.getByLabel('Describe your problem in a few words').fill(reason);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    await page.waitForURL(/#\/appointments\/[0-9a-f-]{36}$/);

    const booked = await eventually(async () => {
      const rows = await sql<{ starts_at: Date }>(
        'select starts_at from public.appointments where reason = $1',
        [reason],
      );
      return rows[0];
    }, 30_000);
    const words = clinicWords(new Date(booked.starts_at));
    expect(dayLabel).toBe(words.day);
    expect(timeLabel).toContain(words.time);
    await goTo(page, 'My appointments');
    await page.getByText(`${words.day}, ${words.time} (India time)`).first().waitFor();
  });
