/**
 * A confirmed video consultation shows its Join link from ten minutes before the start: the clinic
 * confirms on the server, the phone pulls the room address the server derived, and the link opens it.
 */
import { expect, it } from 'vitest';
import {
  bookFirstVideoSlot,
  continueWithoutAccount,
  fillProfile,
  finishWelcome,
  goTo,
  openApp,
  sql,
  waitForFirstPull,
} from './app-driver.ts';
import { browserPerFile } from './browser.ts';

const { phone } = browserPerFile();

it('shows the Join link of a confirmed video consultation starting in five minutes', async () => {
  // A slot that starts soon, earlier than any seeded one, so it is the first free video slot.
  const [slot] = await sql<{ id: string }>(
    `insert into public.slots (doctor_id, starts_at, ends_at, mode)
     values ('d0c70000-0000-4000-8000-000000000001', now() + interval '5 minutes', now() + interval '20 minutes', 'video')
     returning id`,
  );
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await continueWithoutAccount(page);
  await waitForFirstPull(page);
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Savitri Kumari', dateOfBirth: '1975-12-12', sex: 'Female' });
  await bookFirstVideoSlot(page, 'Review of blood test results');
  // The booking itself has reached the server (the header may still show the profile's send).
  await page.getByText('Sent to the clinic', { exact: true }).waitFor({ timeout: 20_000 });
  const detailUrl = page.url();

  const [confirmed] = await sql<{ join_url: string }>(
    `update public.appointments set status = 'confirmed' where slot_id = $1 returning join_url`,
    [slot?.id],
  );
  expect(confirmed?.join_url).toMatch(/^https:\/\/meet\.consult\.example\/room\/[0-9a-f]{32}$/);
  // Coming back online is one of the engine's triggers: it drains and pulls the confirmation.
  await context.setOffline(true);
  await context.setOffline(false);
  const join = page.getByRole('link', { name: 'Join video consultation' });
  await join.waitFor({ timeout: 20_000 });
  await expect(join.getAttribute('href')).resolves.toBe(confirmed?.join_url);
  expect(page.url()).toBe(detailUrl);
});
