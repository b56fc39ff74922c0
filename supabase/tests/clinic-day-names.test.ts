/**
 * `clinic_day_names(day)`: what "Today at this clinic" shows of each patient, their full name, for
 * staff of the clinic whose doctor they booked that day (issue 9). A patient who registered on their
 * own phone is named to that clinic's staff, and to nobody else: not to staff of another clinic, not
 * to another patient, not to anon; and not for another day.
 */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { anonClient, newUser, sql } from './stack-clients.ts';
import { createClinic, newStaff, patientRow, type Row, type TestClinic } from './sync-fixtures.ts';

/** A day far from the test run's own, midnight to midnight in India (UTC+05:30). */
const DAY = '2027-03-10';

let clinicX: TestClinic;
let clinicY: TestClinic;
const actors: Record<string, SupabaseClient> = {};
const ids: Record<string, string> = {};

async function insert(table: string, row: Row): Promise<void> {
  const columns = Object.keys(row);
  await sql(
    `insert into public.${table} (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
    Object.values(row),
  );
}

/** An appointment of `patientId` with the clinic's doctor at `startsAt` (a slot made for it). */
async function book(patientId: string, clinic: TestClinic, startsAt: string): Promise<void> {
  const [slot] = await sql<{ id: string }>(
    `insert into public.slots (doctor_id, starts_at, ends_at, mode)
     values ($1, $2::timestamptz, $2::timestamptz + interval '15 minutes', 'in_person') returning id`,
    [clinic.doctorId, startsAt],
  );
  await insert('appointments', {
    id: randomUUID(),
    patient_id: patientId,
    doctor_id: clinic.doctorId,
    slot_id: slot?.id,
    starts_at: startsAt,
    ends_at: new Date(Date.parse(startsAt) + 15 * 60_000).toISOString(),
    mode: 'in_person',
    reason: 'Fever',
    status: 'requested',
  });
}

beforeAll(async () => {
  [clinicX, clinicY] = await Promise.all([createClinic(0), createClinic(0)]);
  const [a, b, x, y] = await Promise.all([
    newUser('names-a'),
    newUser('names-b'),
    newStaff(clinicX.clinicId, 'names-x'),
    newStaff(clinicY.clinicId, 'names-y'),
  ]);
  Object.assign(actors, {
    'patient A': a.client,
    'patient B': b.client,
    'staff X': x.client,
    'staff Y': y.client,
    anon: anonClient(),
  });
  const patients: Record<string, Row> = {
    // Registered on their own phones, and booked clinic X's doctor.
    A: patientRow({ user_id: a.userId, full_name: 'Asha Own-Phone' }),
    B: patientRow({ user_id: b.userId, full_name: 'Bina Other-Day' }),
    // Walk-ins registered at each clinic's kiosk.
    X: patientRow({ clinic_id: clinicX.clinicId, registered_by: x.userId, full_name: 'Kamal Walk-In' }),
    Y: patientRow({ clinic_id: clinicY.clinicId, registered_by: y.userId, full_name: 'Yamini Walk-In' }),
  };
  for (const [name, row] of Object.entries(patients)) {
    await insert('patients', row);
    ids[name] = String(row.id);
  }
  // Clinic X's day starts at 18:30 UTC the evening before and ends at 18:30 UTC.
  await book(ids.A!, clinicX, '2027-03-09T18:30:00Z');
  await book(ids.X!, clinicX, '2027-03-10T18:29:00Z');
  await book(ids.B!, clinicX, '2027-03-10T18:30:00Z');
  await book(ids.Y!, clinicY, '2027-03-10T05:00:00Z');
});

async function namesFor(actor: string, day = DAY): Promise<string[] | 'refused'> {
  const { data, error } = await actors[actor]!.rpc('clinic_day_names', { p_day: day });
  if (error) return 'refused';
  return (data as { full_name: string }[]).map((r) => r.full_name).sort();
}

describe("the names of a clinic's day", () => {
  it("name the day's patients to the clinic's staff, those who registered on their phones included", async () => {
    expect(await namesFor('staff X')).toEqual(['Asha Own-Phone', 'Kamal Walk-In']);
    // The patient booked the next day in India is that day's, not this one's.
    expect(await namesFor('staff X', '2027-03-11')).toEqual(['Bina Other-Day']);
  });

  it('give only the name and the patient id, nothing else of the profile', async () => {
    const { data } = await actors['staff X']!.rpc('clinic_day_names', { p_day: DAY });
    for (const row of data as Row[]) expect(Object.keys(row).sort()).toEqual(['full_name', 'patient_id']);
  });

  it('name nobody of clinic X to staff of another clinic, to patients, or to anon', async () => {
    expect(await namesFor('staff Y')).toEqual(['Yamini Walk-In']);
    expect(await namesFor('staff Y', '2027-03-11')).toEqual([]);
    expect(await namesFor('patient A')).toEqual([]);
    expect(await namesFor('patient B', '2027-03-11')).toEqual([]);
    expect(await namesFor('anon')).toBe('refused');
  });
});
