/**
 * A clinic staff account signed in to the patient app (at the kiosk setup before the PIN is chosen,
 * or by mistake on any phone) pulls what staff may read: the clinic's walk-ins and its doctors'
 * appointments. "Your profile" showed a walk-in's details and "My appointments" other patients'
 * bookings. The patient app shows only the user's own.
 */
import { expect, it } from 'vitest';
import { DEMO_STAFF } from '../supabase/local/demo-staff.ts';
import { eventually, finishWelcome, goTo, openApp, sql, waitForFirstPull } from './app-driver.ts';
import { browserPerFile } from './browser.ts';

const { phone } = browserPerFile();

it("shows a staff account none of the clinic's patients, on the profile or in My appointments", async () => {
  // A walk-in of the demo clinic, booked with one of its doctors.
  const [walkIn] = await sql<{ id: string }>(
    `insert into public.patients (id, clinic_id, registered_by, full_name, date_of_birth, sex, preferred_language)
     select gen_random_uuid(), $1, s.user_id, 'Walkin Kamala', '1961-02-03', 'female', 'hi'
     from public.staff s where s.clinic_id = $1 limit 1
     returning id`,
    [DEMO_STAFF.clinicId],
  );
  await sql(
    `insert into public.appointments (id, patient_id, doctor_id, slot_id, starts_at, ends_at, mode, reason, status)
     select gen_random_uuid(), $1, s.doctor_id, s.id, s.starts_at, s.ends_at, s.mode, 'Knee pain', 'requested'
     from public.slots s join public.doctors d on d.id = s.doctor_id
     where d.clinic_id = $2 and s.available and s.starts_at > now() + interval '1 day'
     order by s.starts_at limit 1`,
    [walkIn?.id, DEMO_STAFF.clinicId],
  );

  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await page.getByLabel('Email').fill(DEMO_STAFF.email);
  await page.getByLabel('Password').fill(DEMO_STAFF.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await waitForFirstPull(page);
  // The pull did bring the clinic's rows to the device (staff may read them): the screens must not show them.
  await eventually(() =>
    page.evaluate(
      () =>
        new Promise<boolean>((resolve) => {
          const open = indexedDB.open('consult');
          open.onsuccess = () => {
            const req = open.result.transaction('appointments').objectStore('appointments').count();
            req.onsuccess = () => {
              open.result.close();
              resolve(req.result > 0);
            };
          };
        }),
    ),
  );

  await goTo(page, 'My appointments');
  await page.getByText('You have no appointments yet.').waitFor();
  await expect(page.getByText(/Knee pain|Walkin/).count()).resolves.toBe(0);
  await goTo(page, 'Profile');
  await expect(page.getByLabel('Full name').inputValue()).resolves.toBe('');
});
