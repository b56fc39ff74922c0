/**
 * sync_pull over supabase-js against the real stack: what each caller sees, reference data with
 * slot availability, tombstones, and a cursor that neither skips nor repeats a row when
 * transactions commit out of order.
 */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PullResponse } from '../../sync/protocol.ts';
import { connect, newUser, sql, type TestUser } from './stack-clients.ts';
import {
  answer,
  appointmentRow,
  createClinic,
  mutation,
  newStaff,
  patientRow,
  pull,
  push,
  type Row,
  type TestClinic,
  type TestSlot,
  upsertAppointment,
  upsertPatient,
} from './sync-fixtures.ts';

const SEEDED_CLINIC = 'c1a1c000-0000-4000-8000-000000000001';
const SEEDED_DOCTOR = 'd0c70000-0000-4000-8000-000000000001';

let clinic: TestClinic;

beforeAll(async () => {
  clinic = await createClinic(20);
});

function takeSlot(): TestSlot {
  const slot = clinic.slots.shift();
  if (!slot) throw new Error('out of test slots');
  return slot;
}

interface Device {
  user: TestUser;
  client: SupabaseClient;
  clientId: string;
}

function device(user: TestUser): Device {
  return { user, client: user.client, clientId: randomUUID() };
}

async function patientDevice(label: string): Promise<Device & { patient: Row; appointment: Row }> {
  const d = device(await newUser(label));
  const patient = patientRow();
  const appointment = appointmentRow(String(patient.id), takeSlot());
  const results = await push(d.client, d.clientId, [
    upsertPatient(d.clientId, patient),
    upsertAppointment(d.clientId, appointment),
  ]);
  expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);
  return { ...d, patient, appointment };
}

const ids = (rows: Row[]): string[] => rows.map((r) => String(r.id)).sort();

/**
 * Pulls from `cursor` again and again until `done` holds for everything pulled so far; returns
 * every response, so a test can count how often each row came.
 */
async function pullUntil(
  client: SupabaseClient,
  cursor: string,
  done: (pulled: PullResponse[]) => boolean,
  maxPulls = 50,
): Promise<PullResponse[]> {
  const pulled: PullResponse[] = [];
  let next = cursor;
  while (!done(pulled)) {
    if (pulled.length >= maxPulls) throw new Error(`still waiting after ${maxPulls} pulls`);
    const response = await pull(client, next);
    pulled.push(response);
    next = response.cursor;
  }
  return pulled;
}

describe('sync_pull: what each caller sees', () => {
  it('gives a patient their own rows and reference data, and nobody else’s rows', async () => {
    const a = await patientDevice('pull-a');
    const b = await patientDevice('pull-b');
    const staff = device(await newStaff(clinic.clinicId, 'pull-staff'));
    const walkIn = patientRow();
    await push(staff.client, staff.clientId, [upsertPatient(staff.clientId, walkIn)]);

    const forA = await pull(a.client);
    expect(ids(forA.changes.patients)).toEqual([a.patient.id]);
    expect(ids(forA.changes.appointments)).toEqual([a.appointment.id]);
    expect(forA.deleted).toEqual([]);
    expect(forA.changes.patients[0]).not.toHaveProperty('txid');
    expect(forA.changes.patients[0]).toMatchObject({ user_id: a.user.userId, version: 1 });
    expect(ids(forA.changes.clinics)).toEqual(expect.arrayContaining([SEEDED_CLINIC, clinic.clinicId]));
    expect(ids(forA.changes.doctors)).toEqual(expect.arrayContaining([SEEDED_DOCTOR, clinic.doctorId]));
    const bookedSlot = forA.changes.slots.find((s) => s.id === a.appointment.slot_id);
    expect(bookedSlot).toMatchObject({ available: false, doctor_id: clinic.doctorId });
    expect(forA.changes.slots.every((s) => typeof s.available === 'boolean')).toBe(true);
    expect(forA.changes.slots.every((s) => new Date(String(s.ends_at)) > new Date())).toBe(true);

    const forB = await pull(b.client);
    expect(ids(forB.changes.patients)).toEqual([b.patient.id]);
    expect(ids(forB.changes.appointments)).toEqual([b.appointment.id]);

    const forStaff = await pull(staff.client);
    expect(ids(forStaff.changes.patients)).toEqual([walkIn.id]);
    expect(forStaff.changes.appointments).toEqual([]);
  });

  it('refuses a cursor it did not give out, and starts over on one from another database', async () => {
    const a = await patientDevice('pull-cursor');
    const { error } = await a.client.rpc('sync_pull', { since: 'yesterday' });
    expect(error?.code).toBe('22023');
    expect(error?.message).toMatch(/not a cursor/);
    const fromTheFuture = await pull(a.client, '9000000000000000000');
    expect(ids(fromTheFuture.changes.patients)).toEqual([a.patient.id]);
  });
});

describe('sync_pull: cursor', () => {
  it('delivers each change once: nothing repeats, and a later change comes in the next pull', async () => {
    const a = await patientDevice('pull-once');
    const first = await pull(a.client);
    const renamed = { ...a.patient, full_name: 'Sunita Devi Sharma' };
    await push(a.client, a.clientId, [upsertPatient(a.clientId, renamed)]);

    const pulled = await pullUntil(a.client, first.cursor, (p) =>
      p.some((r) => r.changes.patients.length > 0),
    );
    const after = await pull(a.client, pulled.at(-1)!.cursor);

    const patients = [...pulled, after].flatMap((r) => r.changes.patients);
    expect(patients).toEqual([
      expect.objectContaining({ id: a.patient.id, full_name: renamed.full_name, version: 2 }),
    ]);
    expect([...pulled, after].flatMap((r) => r.changes.appointments)).toEqual([]);
  });

  it('never skips nor repeats a row whose transaction commits after a later one', async () => {
    const staff = device(await newStaff(clinic.clinicId, 'pull-race'));
    const start = await pull(staff.client);
    const early = patientRow({ clinic_id: clinic.clinicId, registered_by: staff.user.userId });
    const late = patientRow({ clinic_id: clinic.clinicId, registered_by: staff.user.userId });
    const insert = `insert into public.patients (id, clinic_id, registered_by, full_name, date_of_birth, sex, preferred_language)
      values ($1, $2, $3, $4, $5, $6, $7)`;
    const params = (row: Row) => [
      row.id,
      row.clinic_id,
      row.registered_by,
      row.full_name,
      row.date_of_birth,
      row.sex,
      row.preferred_language,
    ];

    // `early` starts first (smaller transaction id) but commits last.
    const open = await connect();
    const pulled: PullResponse[] = [];
    try {
      await open.query('begin');
      await open.query(insert, params(early));
      await sql(insert, params(late));
      const during = await pull(staff.client, start.cursor);
      pulled.push(during);
      expect(ids(during.changes.patients)).not.toContain(early.id);
      await open.query('commit');
    } finally {
      await open.end();
    }
    const seen = (p: PullResponse[]) => p.flatMap((r) => ids(r.changes.patients));
    pulled.push(
      ...(await pullUntil(staff.client, pulled[0]!.cursor, (p) => {
        const all = seen([...pulled, ...p]);
        return all.includes(String(early.id)) && all.includes(String(late.id));
      })),
    );
    pulled.push(await pull(staff.client, pulled.at(-1)!.cursor));

    const all = seen(pulled);
    expect(all.filter((id) => id === early.id)).toHaveLength(1);
    expect(all.filter((id) => id === late.id)).toHaveLength(1);
    expect(all).toHaveLength(2);
  });

  it('moves a slot into the next pull of every device when it is booked and freed', async () => {
    const a = await patientDevice('pull-slot-a');
    const b = await patientDevice('pull-slot-b');
    const start = await pull(b.client);
    const slot = takeSlot();
    const booking = appointmentRow(String(a.patient.id), slot);
    await push(a.client, a.clientId, [upsertAppointment(a.clientId, booking)]);

    const booked = await pullUntil(b.client, start.cursor, (p) =>
      p.some((r) => r.changes.slots.some((s) => s.id === slot.id)),
    );
    expect(booked.flatMap((r) => r.changes.slots).filter((s) => s.id === slot.id)).toEqual([
      expect.objectContaining({ available: false }),
    ]);
    expect(booked.flatMap((r) => r.changes.appointments)).toEqual([]);

    await push(a.client, a.clientId, [upsertAppointment(a.clientId, { ...booking, status: 'cancelled' })]);
    const freed = await pullUntil(b.client, booked.at(-1)!.cursor, (p) =>
      p.some((r) => r.changes.slots.some((s) => s.id === slot.id)),
    );
    expect(freed.flatMap((r) => r.changes.slots).filter((s) => s.id === slot.id)).toEqual([
      expect.objectContaining({ available: true }),
    ]);
  });
});

describe('sync_pull: deletes', () => {
  it('sends tombstones to the owner only', async () => {
    const a = await patientDevice('pull-delete-a');
    const b = await patientDevice('pull-delete-b');
    const startA = await pull(a.client);
    const startB = await pull(b.client);
    const drop = mutation(a.clientId, {
      entity: 'appointments',
      op: 'delete',
      key: String(a.appointment.id),
    });
    answer(await push(a.client, a.clientId, [drop]), drop.id, 'applied');

    const forA = await pullUntil(a.client, startA.cursor, (p) => p.some((r) => r.deleted.length > 0));
    expect(forA.flatMap((r) => r.deleted)).toEqual([{ entity: 'appointments', id: a.appointment.id }]);
    const forB = await pull(b.client, startB.cursor);
    expect(forB.deleted).toEqual([]);
  });

  it('sends the staff of the clinic tombstones for a deleted walk-in and its appointments', async () => {
    const staff = device(await newStaff(clinic.clinicId, 'pull-delete-staff'));
    const walkIn = patientRow();
    const booking = appointmentRow(String(walkIn.id), takeSlot());
    await push(staff.client, staff.clientId, [
      upsertPatient(staff.clientId, walkIn),
      upsertAppointment(staff.clientId, booking),
    ]);
    const start = await pull(staff.client);
    await push(staff.client, staff.clientId, [
      mutation(staff.clientId, { entity: 'patients', op: 'delete', key: String(walkIn.id) }),
    ]);

    const pulled = await pullUntil(staff.client, start.cursor, (p) => p.some((r) => r.deleted.length > 0));
    const deleted = pulled.flatMap((r) => r.deleted);
    expect(deleted).toEqual(
      expect.arrayContaining([
        { entity: 'patients', id: walkIn.id },
        { entity: 'appointments', id: booking.id },
      ]),
    );
    expect(deleted).toHaveLength(2);
  });

  it('drops the tombstone when a deleted id is written again', async () => {
    const a = await patientDevice('pull-recreate');
    const start = await pull(a.client);
    const drop = mutation(a.clientId, {
      entity: 'appointments',
      op: 'delete',
      key: String(a.appointment.id),
    });
    const recreated = upsertAppointment(
      a.clientId,
      { ...appointmentRow(String(a.patient.id), takeSlot()), id: a.appointment.id },
      [drop.id],
    );
    const results = await push(a.client, a.clientId, [drop, recreated]);
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);

    const pulled = await pullUntil(a.client, start.cursor, (p) =>
      p.some((r) => r.changes.appointments.length > 0),
    );
    expect(pulled.flatMap((r) => r.deleted)).toEqual([]);
    expect(ids(pulled.flatMap((r) => r.changes.appointments))).toEqual([a.appointment.id]);
  });
});
