/**
 * Issue 4's flows 3 and 4: a slot someone else took while this phone was offline comes back as
 * "needs attention" with a way to fix it, without holding up the rest of the queue; and two tabs
 * that each booked offline end, once online, with every write applied exactly once.
 */
import { expect, it } from 'vitest';
import {
  appointmentLabel,
  bookFirstVideoSlot,
  continueWithoutAccount,
  eventually,
  fillProfile,
  finishWelcome,
  goTo,
  openApp,
  sql,
  statusText,
  waitForFirstPull,
} from './app-driver.ts';
import { browserPerFile } from './browser.ts';

const ANJALI = 'd0c70000-0000-4000-8000-000000000001';

const { phone } = browserPerFile();

/** Another patient books a slot directly on the server (as the back office would). */
async function takeSlotOnServer(slotId: string): Promise<void> {
  await sql(
    `with p as (
       insert into public.patients (id, clinic_id, full_name, date_of_birth, sex, preferred_language)
       values (gen_random_uuid(), 'c1a1c000-0000-4000-8000-000000000001', 'Walk-in elsewhere', '1970-01-01', 'male', 'hi')
       returning id)
     insert into public.appointments (id, patient_id, doctor_id, slot_id, starts_at, ends_at, mode, reason, status)
     select gen_random_uuid(), p.id, s.doctor_id, s.id, s.starts_at, s.ends_at, s.mode, 'booked at the desk', 'confirmed'
     from p, public.slots s where s.id = $1`,
    [slotId],
  );
}

async function firstFreeVideoSlotOfAnjali(): Promise<string> {
  const [row] = await sql<{ id: string }>(
    `select s.id from public.slots s
     where s.doctor_id = $1 and s.mode = 'video' and s.available and s.starts_at > now()
     order by s.starts_at limit 1`,
    [ANJALI],
  );
  if (!row) throw new Error('seed has no free video slot for Dr. Anjali Verma');
  return row.id;
}

it('shows a slot taken while offline as needing attention, and books another one', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await continueWithoutAccount(page);
  await waitForFirstPull(page);

  await context.setOffline(true);
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Ramesh Yadav', dateOfBirth: '1979-01-20', sex: 'Male' });
  const slotId = await firstFreeVideoSlotOfAnjali();
  await bookFirstVideoSlot(page, 'Chest pain when walking');
  await takeSlotOnServer(slotId);

  await context.setOffline(false);
  await eventually(async () => (await appointmentLabel(page)).startsWith('Needs attention'));
  const label = await appointmentLabel(page);
  expect(label).toMatch(/Needs attention: .+/);
  // The profile was not held up by the rejected booking.
  const patients = await sql("select 1 from public.patients where full_name = 'Ramesh Yadav'");
  expect(patients).toHaveLength(1);
  await expect(statusText(page)).resolves.toMatch(/Needs attention \(1\)/);

  await page.locator('.sync-label').first().click();
  await page
    .getByRole('link', { name: /Dr\. Anjali Verma/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Pick another time' }).click();
  await page.getByRole('group', { name: 'Day' }).getByRole('radio').first().check();
  await page.getByRole('group', { name: 'Free times' }).getByRole('radio').first().check();
  await page.getByRole('button', { name: 'Book this time' }).click();

  await eventually(async () => (await appointmentLabel(page)) === 'Sent to the clinic');
  const booked = await sql<{ slot_id: string }>(
    `select a.slot_id from public.appointments a join public.patients p on p.id = a.patient_id
     where p.full_name = 'Ramesh Yadav' and a.status = 'requested'`,
  );
  expect(booked).toHaveLength(1);
  expect(booked[0]?.slot_id).not.toBe(slotId);
  await eventually(async () => (await statusText(page)).startsWith('All sent'));
});

it('applies every write exactly once when two offline tabs each booked', async () => {
  const context = await phone();
  const first = await openApp(context);
  await finishWelcome(first);
  await continueWithoutAccount(first);
  await waitForFirstPull(first);
  await goTo(first, 'Profile');
  await fillProfile(first, { fullName: 'Kamla Bai', dateOfBirth: '1960-05-02', sex: 'Female' });
  await eventually(async () => (await statusText(first)).startsWith('All sent'));

  await context.setOffline(true);
  const second = await openApp(context, '#/appointments');
  // A tab in the background gets no animation frames, which every Playwright action waits for.
  await first.bringToFront();
  await bookFirstVideoSlot(first, 'Knee pain');
  // The second tab sees the first tab's write (same IndexedDB) and books the next free time.
  await second.bringToFront();
  await goTo(second, 'Book');
  await second.getByRole('radio', { name: 'General medicine' }).check();
  await second.getByRole('button', { name: 'Next' }).click();
  await second.getByRole('radio', { name: /Dr\. Anjali Verma/ }).check();
  await second.getByRole('button', { name: 'Next' }).click();
  await second.getByRole('radio', { name: 'Video consultation' }).check();
  await second.getByRole('button', { name: 'Next' }).click();
  await second.getByRole('group', { name: 'Day' }).getByRole('radio').last().check();
  await second.getByRole('group', { name: 'Free times' }).getByRole('radio').last().check();
  await second.getByRole('button', { name: 'Next' }).click();
  await second.getByLabel('Describe your problem in a few words').fill('Follow-up for blood pressure');
  await second.getByRole('button', { name: 'Next' }).click();
  await second.getByRole('button', { name: 'Confirm booking' }).click();
  await second.waitForURL(/#\/appointments\/[0-9a-f-]{36}$/);

  await context.setOffline(false);
  const rows = await eventually(async () => {
    const r = await sql<{ reason: string; version: number; ledger: number }>(
      `select a.reason, a.version,
         (select count(*)::int from public.sync_ledger l where l.answer -> 'row' ->> 'id' = a.id::text) as ledger
       from public.appointments a join public.patients p on p.id = a.patient_id
       where p.full_name = 'Kamla Bai' order by a.reason`,
    );
    return r.length === 2 ? r : undefined;
  });
  expect(rows).toEqual([
    { reason: 'Follow-up for blood pressure', version: 1, ledger: 1 },
    { reason: 'Knee pain', version: 1, ledger: 1 },
  ]);
  expect(await sql("select 1 from public.patients where full_name = 'Kamla Bai'")).toHaveLength(1);
  await eventually(async () => (await statusText(second)).startsWith('All sent'));
  await eventually(async () => (await statusText(first)).startsWith('All sent'));
});
