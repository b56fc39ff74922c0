/**
 * Issue 9, check-in: in Chromium at tablet size against the local stack, staff confirm and check in
 * a patient who booked on their own phone (named on the list, though the clinic cannot read their
 * profile), and the phone (a second browser context) shows the check-in after it syncs; a transition
 * the server no longer allows is refused beside its item, in words; with no connection, after a
 * reload, Today opens from what the tablet sealed under the PIN, and a change made offline is sent
 * when it is back; a change being sent neither moves nor remakes a button of the list. The seed has
 * no slots on Sundays or after hours, so the day's slots are made here.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import {
  continueWithoutAccount,
  eventually,
  fillProfile,
  finishWelcome,
  goTo,
  openApp,
  sql,
  statusText,
} from './app-driver.ts';
import { launchBrowser, phoneContext, saveFailureScreenshots } from './browser.ts';
import {
  bookFirstTime,
  CLINIC,
  deviceData,
  openStaff,
  register,
  setUpKiosk,
  tabletContext,
  waitForHome,
} from './kiosk-driver.ts';

const PATIENT = 'Devika Rawat';
/** Dr. Anjali Verma, of the demo staff's clinic (supabase/seed.sql). */
const DOCTOR = 'Dr. Anjali Verma';

let browser: Browser;
const open: BrowserContext[] = [];
beforeAll(async () => {
  browser = await launchBrowser();
});
afterEach(async ({ task }) => {
  for (const context of open.splice(0)) {
    await saveFailureScreenshots(context, task);
    await context.close();
  }
});
afterAll(async () => {
  await browser?.close();
});

async function track(context: Promise<BrowserContext>): Promise<BrowserContext> {
  const opened = await context;
  open.push(opened);
  return opened;
}

/**
 * An in-clinic appointment (requested unless `status` says otherwise) of the patient with the doctor, `minutes` from now (still
 * today in India unless the test runs in the last minutes of the clinic's day).
 */
async function appointmentToday(
  patientId: string,
  minutes: number,
  reason: string,
  status = 'requested',
): Promise<{ id: string; time: string }> {
  const [slot] = await sql<{ id: string }>(
    `insert into public.slots (doctor_id, starts_at, ends_at, mode)
     select d.id, date_trunc('minute', now()) + make_interval(mins => $2),
            date_trunc('minute', now()) + make_interval(mins => $2 + 15), 'in_person'
       from public.doctors d where d.name = $1
     returning id`,
    [DOCTOR, minutes],
  );
  const [appointment] = await sql<{ id: string; starts_at: Date }>(
    `insert into public.appointments (id, patient_id, doctor_id, slot_id, starts_at, ends_at, mode, reason, status)
     select gen_random_uuid(), $1, s.doctor_id, s.id, s.starts_at, s.ends_at, s.mode, $3, $4
       from public.slots s where s.id = $2
     returning id, starts_at`,
    [patientId, slot?.id, reason, status],
  );
  // As the tablet shows it: 24-hour clock time in India.
  const time = new Intl.DateTimeFormat('en-IN', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'Asia/Kolkata',
  }).format(appointment?.starts_at);
  return { id: String(appointment?.id), time };
}

const statusOf = async (id: string) =>
  (await sql<{ status: string }>('select status from public.appointments where id = $1', [id]))[0]?.status;

/** The item of today's list at the appointment's time (the two appointments are 30 minutes apart). */
function item(page: Page, time: string) {
  return page.locator('.kiosk-today-item').filter({ hasText: `${time} ·` });
}

it('staff confirm and check in a patient who booked on their phone; the phone shows it; a stale move is refused in words', async () => {
  // The patient, on their own phone, with a profile on the server.
  const phone = await track(phoneContext(browser));
  const mobile = await openApp(phone);
  await finishWelcome(mobile);
  await continueWithoutAccount(mobile);
  await goTo(mobile, 'Profile');
  await fillProfile(mobile, { fullName: PATIENT, dateOfBirth: '1988-06-15', sex: 'Female' });
  const [patient] = await eventually(async () => {
    const rows = await sql<{ id: string }>('select id from public.patients where full_name = $1', [PATIENT]);
    return rows.length > 0 && rows;
  }, 30_000);
  const patientId = String(patient?.id);
  // Two appointments today: one to check in, one a patient will cancel behind the tablet's back.
  const visit = await appointmentToday(patientId, 20, 'Sugar check');
  const other = await appointmentToday(patientId, 50, 'Eye check');

  const tablet = await track(tabletContext(browser));
  const kiosk = await setUpKiosk(tablet);
  await openStaff(kiosk);
  await kiosk.getByRole('button', { name: 'Today', exact: true }).click();
  const first = item(kiosk, visit.time);
  const second = item(kiosk, other.time);
  await first.waitFor();
  // Named, though the patient registered on their own phone (clinic_day_names).
  await first.getByText(PATIENT, { exact: false }).waitFor();
  // Offered only what the state machine lets the clinic do from "requested".
  await expect(first.getByRole('button').allInnerTexts()).resolves.toEqual(['Confirm', 'Refuse']);

  await first.getByRole('button', { name: /^Confirm/ }).click();
  await first.getByText('confirmed', { exact: true }).waitFor();
  await expect(first.getByRole('button').allInnerTexts()).resolves.toEqual(['Check in', 'Did not come']);
  await first.getByRole('button', { name: /^Check in/ }).click();
  await first.getByText('checked in', { exact: true }).waitFor();
  await expect(first.getByRole('button').allInnerTexts()).resolves.toEqual(['Completed']);
  await eventually(async () => (await statusOf(visit.id)) === 'checked_in', 30_000);

  // The phone learns it on its next sync (a reload starts one). Staff close their screens meanwhile:
  // the waits since the last tap may take a minute on a loaded machine, and screens untouched for
  // 70 s get the idle countdown over them, then close (90 s), taking the list acted on next.
  await kiosk.getByRole('button', { name: 'Back to patient screen' }).first().click();
  await waitForHome(kiosk);
  await mobile.reload();
  await goTo(mobile, 'My appointments');
  await mobile.getByText('Checked in at the clinic').first().waitFor({ timeout: 30_000 });
  await openStaff(kiosk);
  await kiosk.getByRole('button', { name: 'Today', exact: true }).click();

  // The other appointment: confirmed at the tablet, then cancelled by the patient's side meanwhile.
  // Online, the tablet reads the list again after each write it sends, and that read may come after
  // the cancellation (then there is nothing to check in, rightly): the tablet is offline when it
  // happens, so its list cannot learn it. The offline notice is the list no longer being read.
  await second.getByRole('button', { name: /^Confirm/ }).click();
  await eventually(async () => (await statusOf(other.id)) === 'confirmed', 30_000);
  const checkIn = second.getByRole('button', { name: /^Check in/ });
  const where = await checkIn.boundingBox();
  await tablet.setOffline(true);
  await kiosk.getByText(/^Offline: the list as loaded at/).waitFor();
  // The offline notice comes after the list: no button moved under a finger when it appeared.
  expect(await checkIn.boundingBox()).toEqual(where);
  await sql(`update public.appointments set status = 'cancelled' where id = $1`, [other.id]);
  // The tablet's list still says confirmed: checking in is queued, sent once online, and refused
  // with the reason.
  await second.getByText('confirmed', { exact: true }).waitFor();
  await second.getByRole('button', { name: /^Check in/ }).click();
  await second.getByText('checked in', { exact: true }).waitFor();
  await tablet.setOffline(false);
  await second.getByText(/this status change is not possible now/).waitFor({ timeout: 30_000 });
  expect(await statusOf(other.id)).toBe('cancelled');
  expect(await statusText(mobile)).not.toContain('Needs attention');

  // No connection, and a reload (nothing in memory): Today opens from the list the tablet sealed
  // under the PIN, names included; a change made offline stays on it across another reload.
  await tablet.setOffline(true);
  const openTodayOffline = async () => {
    await kiosk.reload();
    await waitForHome(kiosk);
    await openStaff(kiosk);
    await kiosk.getByRole('button', { name: 'Today', exact: true }).click();
    await kiosk.getByText(/^Offline: the list as loaded at/).waitFor();
  };
  await openTodayOffline();
  await first.getByText(PATIENT, { exact: false }).waitFor();
  await first.getByText('checked in', { exact: true }).waitFor();
  await first.getByRole('button', { name: /^Completed/ }).click();
  await first.getByText('completed', { exact: true }).waitFor();
  await openTodayOffline();
  await first.getByText('completed', { exact: true }).waitFor();
  await first.getByText(PATIENT, { exact: false }).waitFor();
  // The name is kept only sealed: nowhere on the device can it be read.
  expect(JSON.stringify(await deviceData(kiosk))).not.toContain(PATIENT.split(' ')[0]);
  // Back online: the change made offline reaches the server.
  await tablet.setOffline(false);
  await eventually(async () => (await statusOf(visit.id)) === 'completed', 30_000);
}, 240_000);

it('sending a change neither moves nor remakes a button of the list: a tap or the focus stays on it', async () => {
  const [patient] = await sql<{ id: string }>(
    `insert into public.patients (id, clinic_id, full_name, date_of_birth, sex, preferred_language)
     select gen_random_uuid(), c.id, 'Kamla Devi', '1961-04-02', 'female', 'hi'
       from public.clinics c where c.name = $1
     returning id`,
    [CLINIC],
  );
  // Times no other test of this file uses, so each item is found by its time alone.
  const early = await appointmentToday(String(patient?.id), 35, 'Knee pain');
  const late = await appointmentToday(String(patient?.id), 65, 'Follow-up');
  const tablet = await track(tabletContext(browser));
  const kiosk = await setUpKiosk(tablet);
  await openStaff(kiosk);
  await kiosk.getByRole('button', { name: 'Today', exact: true }).click();
  const first = item(kiosk, early.time);
  const second = item(kiosk, late.time);
  await second.getByRole('button', { name: /^Confirm/ }).waitFor();

  // Offline, a change waits on the tablet, and its item says so until it is sent.
  await tablet.setOffline(true);
  await kiosk.getByText(/^Offline: the list as loaded at/).waitFor();
  // A keyboard (or screen-reader) user confirms: their place stays in the item, on its next action.
  await first.getByRole('button', { name: /^Confirm/ }).focus();
  await kiosk.keyboard.press('Enter');
  const waiting = /will be sent when online|Sending to the clinic/;
  await first.getByText(waiting).waitFor();
  const checkIn = first.getByRole('button', { name: /^Check in/ });
  await kiosk.waitForFunction((button) => button === document.activeElement, await checkIn.elementHandle());
  // Where the buttons are within the list (the offline notice above it goes too, rightly).
  const buttons = async () => {
    const origin = await first.boundingBox();
    return Promise.all(
      [
        first.getByRole('button', { name: /^Check in/ }),
        second.getByRole('button', { name: /^Confirm/ }),
      ].map(async (button) => {
        const box = await button.boundingBox();
        return box && origin && { x: box.x - origin.x, y: box.y - origin.y };
      }),
    );
  };
  const before = await buttons();

  // Sent: the words go, and the buttons, of this item and of the next, stay where they were.
  await tablet.setOffline(false);
  await eventually(async () => (await statusOf(early.id)) === 'confirmed', 30_000);
  await first.getByText(waiting).waitFor({ state: 'detached' });
  await first.getByText('confirmed', { exact: true }).waitFor();
  expect(await buttons()).toEqual(before);
  // And it is the same button, focused still: never replaced while the change was sent (the list
  // read on coming online predates the change; once the change left the outbox, the item showed
  // "requested", with Confirm and Refuse, until it was read again).
  await expect(checkIn.evaluate((button) => button === document.activeElement)).resolves.toBe(true);
  await kiosk.keyboard.press('Enter');
  await first.getByText('checked in', { exact: true }).waitFor();
  const completed = await first.getByRole('button', { name: /^Completed/ }).elementHandle();
  await kiosk.waitForFunction((button) => button === document.activeElement, completed);
  await eventually(async () => (await statusOf(early.id)) === 'checked_in', 30_000);
}, 240_000);

it('a returning patient checks in to today’s appointment at the tablet, or hears plainly that it knows none', async () => {
  const tablet = await track(tabletContext(browser));
  const kiosk = await setUpKiosk(tablet);
  await register(kiosk, {
    fullName: 'Ramesh Chand',
    dateOfBirth: '1972-02-14',
    sex: 'Male',
    phone: '99887 76655',
  });
  await kiosk.getByRole('button', { name: 'Not now' }).click();
  await kiosk.getByRole('button', { name: 'Done' }).click();
  await waitForHome(kiosk);
  const [patient] = await eventually(async () => {
    const rows = await sql<{ id: string }>("select id from public.patients where full_name = 'Ramesh Chand'");
    return rows.length > 0 && rows;
  }, 30_000);
  const findRamesh = async () => {
    await kiosk.getByRole('button', { name: 'I have been here before' }).click();
    await kiosk.getByLabel('Phone number', { exact: true }).fill('9988776655');
    await kiosk.getByLabel('Year of birth (for example 1984)').fill('1972');
    await kiosk.getByRole('button', { name: 'Find me' }).click();
    await kiosk.getByRole('button', { name: 'Ramesh, born 1972' }).click();
  };

  // No appointment today: said plainly, and booking is offered.
  await findRamesh();
  await kiosk
    .getByText('This tablet does not know an appointment for you today.', { exact: false })
    .waitFor();
  await kiosk.getByRole('heading', { name: 'Book a consultation' }).waitFor();
  await expect(kiosk.getByRole('button', { name: 'Check in' }).count()).resolves.toBe(0);
  await kiosk.getByRole('button', { name: 'Not now' }).click();
  await kiosk.getByRole('button', { name: 'Done' }).click();
  await waitForHome(kiosk);

  // Confirmed for today: "Check in", a queued write that reaches the server.
  const visit = await appointmentToday(String(patient?.id), 25, 'Blood pressure', 'confirmed');
  await findRamesh();
  await kiosk.getByText(`Today at ${visit.time}.`, { exact: false }).waitFor();
  await kiosk.getByRole('button', { name: 'Check in' }).click();
  await kiosk.getByText('You are checked in.', { exact: false }).waitFor();
  await eventually(async () => (await statusOf(visit.id)) === 'checked_in', 30_000);
  await kiosk.getByRole('button', { name: 'Done' }).click();
  await waitForHome(kiosk);
}, 240_000);

it('a walk-in booked at the tablet and sent stays on Today with no connection, named', async () => {
  const tablet = await track(tabletContext(browser));
  const kiosk = await setUpKiosk(tablet);
  // Staff open Today online once (the list is sealed under the PIN), as in the morning.
  await openStaff(kiosk);
  await kiosk.getByRole('button', { name: 'Today', exact: true }).click();
  await kiosk.getByText('No appointments today.').or(kiosk.locator('.kiosk-today-item').first()).waitFor();
  // Sealed once the PIN's key is derived (a few hundred ms on this machine, more when it is loaded).
  await eventually(async () =>
    JSON.stringify((await deviceData(kiosk)).idb['consult-kiosk/sealed'] ?? []).includes('"name":"day"'),
  );
  await kiosk.getByRole('button', { name: 'Back to patient screen' }).first().click();
  await waitForHome(kiosk);
  // A free time today (the seed has none on Sundays or after hours), cached by the tablet's next pull.
  const [slot] = await sql<{ id: string }>(
    `insert into public.slots (doctor_id, starts_at, ends_at, mode)
     select d.id, date_trunc('minute', now()) + interval '80 minutes',
            date_trunc('minute', now()) + interval '95 minutes', 'in_person'
       from public.doctors d where d.name = $1
     returning id`,
    [DOCTOR],
  );
  await kiosk.reload();
  await waitForHome(kiosk);
  await eventually(
    async () => JSON.stringify((await deviceData(kiosk)).idb['consult/slots']).includes(String(slot?.id)),
    30_000,
  );

  await register(kiosk, { fullName: 'Bhagwati Pal', dateOfBirth: '1985-08-20', sex: 'Female' });
  await bookFirstTime(kiosk, 'Chest pain since morning');
  await kiosk.getByRole('button', { name: 'Done' }).click();
  await waitForHome(kiosk);
  await eventually(async () => {
    const rows = await sql(
      `select 1 from public.appointments a join public.patients p on p.id = a.patient_id
        where p.full_name = 'Bhagwati Pal' and a.starts_at >= now()::date - 1`,
    );
    return rows.length > 0;
  }, 30_000);
  await eventually(async () => !JSON.stringify(await deviceData(kiosk)).includes('Chest pain'), 30_000);

  // Sent, so neither the outbox nor the sealed list has it: what was dropped for staff does.
  await tablet.setOffline(true);
  await kiosk.reload();
  await waitForHome(kiosk);
  await openStaff(kiosk);
  await kiosk.getByRole('button', { name: 'Today', exact: true }).click();
  await kiosk.getByText(/^Offline: the list as loaded at/).waitFor();
  await kiosk.locator('.kiosk-today-item').filter({ hasText: 'Bhagwati Pal' }).waitFor();
  expect(JSON.stringify(await deviceData(kiosk))).not.toContain('Bhagwati');
}, 240_000);
