/**
 * First use offline: availability never reached the phone, so the patient requests a consultation
 * by specialty, mode, day and time of day; once online (and signed in anonymously) the server books
 * the first free matching slot and the phone shows the doctor it got.
 */
import { expect, it } from 'vitest';
import {
  appointmentLabel,
  eventually,
  fillProfile,
  finishWelcome,
  goTo,
  openApp,
  sql,
} from './app-driver.ts';
import { browserPerFile } from './browser.ts';

const { phone } = browserPerFile();

it('requests a consultation with no availability on the phone, and the server books a matching slot', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  // No account chosen yet: nothing was pulled, so the phone knows no doctors or slots.
  await context.setOffline(true);
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Bhagwati Prasad', dateOfBirth: '1955-03-30', sex: 'Male' });
  await goTo(page, 'Book');
  await page.getByRole('button', { name: 'Request a consultation' }).click();
  await page.getByRole('radio', { name: 'General medicine' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: 'Video consultation' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  // Tomorrow or later, and not a Sunday (the seed's doctors work Monday to Saturday).
  const days = page.getByRole('radio');
  const names = await days.evaluateAll((els) =>
    els.map((e) => (e as HTMLInputElement).labels?.[0]?.innerText ?? ''),
  );
  const pick = names.findIndex((n, i) => i > 0 && !n.startsWith('Sun'));
  await days.nth(pick).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: 'Any time' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Describe your problem in a few words').fill('Sugar levels high since last week');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Confirm request' }).click();
  await expect(appointmentLabel(page)).resolves.toBe('Saved on this phone — will be sent when online');
  await expect(
    page
      .getByText(/^Requested: General medicine/)
      .first()
      .isVisible(),
  ).resolves.toBe(true);

  await context.setOffline(false);
  await page.evaluate(() => {
    window.location.hash = '#/account';
  });
  await page.getByRole('button', { name: 'Continue without an account' }).click();
  const [booked] = await eventually(async () => {
    const rows = await sql<{ doctor: string; mode: string; slot_id: string | null }>(
      `select d.name as doctor, a.mode, a.slot_id from public.appointments a
       join public.patients p on p.id = a.patient_id join public.doctors d on d.id = a.doctor_id
       where p.full_name = 'Bhagwati Prasad'`,
    );
    return rows.length > 0 ? rows : undefined;
  });
  expect(booked?.mode).toBe('video');
  expect(booked?.slot_id).not.toBeNull();
  await eventually(async () => (await appointmentLabel(page)) === 'Sent to the clinic');
  await page
    .getByText(booked?.doctor ?? '?')
    .first()
    .waitFor({ timeout: 20_000 });
});
