/**
 * Booking caps (issue 8, part 5): a patient holds at most `max_active_bookings` active bookings (5),
 * an account without sign-in at most `max_active_bookings_anonymous` (2); one more is rejected with
 * `booking_limit`, and cancelling one frees a place.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { anonClient, newUser, sql } from './stack-clients.ts';
import {
  appointmentRow,
  createClinic,
  patientRow,
  push,
  type TestClinic,
  upsertAppointment,
  upsertPatient,
} from './sync-fixtures.ts';

let clinic: TestClinic;

beforeAll(async () => {
  clinic = await createClinic(24);
});

describe('booking caps', () => {
  it('books at most 5 active appointments for a signed-in patient, even in one call', async () => {
    const user = await newUser('cap');
    const clientId = randomUUID();
    const patient = patientRow();
    const bookings = clinic.slots
      .splice(0, 7)
      .map((slot) => upsertAppointment(clientId, appointmentRow(String(patient.id), slot)));
    const results = await push(user.client, clientId, [upsertPatient(clientId, patient), ...bookings]);
    const answers = results.slice(1);
    expect(answers.map((r) => r.status)).toEqual([...Array(5).fill('applied'), 'rejected', 'rejected']);
    expect(answers[5]).toMatchObject({ code: 'booking_limit' });
    expect(answers[5]?.status === 'rejected' && answers[5].message).toContain(
      'already holds 5 active bookings',
    );

    // Cancelling one frees a place.
    const first = bookings[0]!;
    const cancel = upsertAppointment(clientId, { ...first.data, status: 'cancelled' });
    const retry = { ...bookings[5]!, id: randomUUID() };
    const again = await push(user.client, clientId, [cancel, retry]);
    expect(again.map((r) => r.status)).toEqual(['applied', 'applied']);
  });

  it('books at most 2 for an account without sign-in, and says signing in allows more', async () => {
    const client = anonClient();
    const { error } = await client.auth.signInAnonymously();
    expect(error).toBeNull();
    const clientId = randomUUID();
    const patient = patientRow();
    const bookings = clinic.slots
      .splice(0, 3)
      .map((slot) => upsertAppointment(clientId, appointmentRow(String(patient.id), slot)));
    const results = await push(client, clientId, [upsertPatient(clientId, patient), ...bookings]);
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'rejected']);
    expect(results[3]).toMatchObject({ code: 'booking_limit' });
    expect(results[3]?.status === 'rejected' && results[3].message).toContain('sign in to book more');
  });

  it('counts a past booking moved to a future slot, through sync_push and the Data API', async () => {
    // A request the clinic never answered before its time is not active; moving it to a later slot
    // makes it active again, and went through without the check (the trigger watched status only).
    const client = anonClient();
    await client.auth.signInAnonymously();
    const clientId = randomUUID();
    const patient = patientRow();
    const held = clinic.slots
      .splice(0, 2)
      .map((slot) => upsertAppointment(clientId, appointmentRow(String(patient.id), slot)));
    const booked = await push(client, clientId, [upsertPatient(clientId, patient), ...held]);
    expect(booked.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    const past = appointmentRow(String(patient.id), clinic.pastSlot);
    await sql(
      `insert into public.appointments (id, patient_id, doctor_id, slot_id, starts_at, ends_at, mode, reason, status)
       values ($1, $2, $3, $4, $5, $6, $7, $8, 'requested')`,
      [
        past.id,
        past.patient_id,
        past.doctor_id,
        past.slot_id,
        past.starts_at,
        past.ends_at,
        past.mode,
        past.reason,
      ],
    );
    const [later, other] = clinic.slots.splice(0, 2);
    if (!later || !other) throw new Error('out of test slots');
    const move = (slot: typeof later) => ({
      slot_id: slot.id,
      starts_at: slot.starts_at,
      ends_at: slot.ends_at,
      mode: slot.mode,
    });
    const [moved] = await push(client, clientId, [upsertAppointment(clientId, { ...past, ...move(later) })]);
    expect(moved).toMatchObject({ status: 'rejected', code: 'booking_limit' });
    const patch = await client.from('appointments').update(move(other)).eq('id', past.id);
    expect(patch.error?.message).toContain('already holds 2 active bookings');
    const [row] = await sql<{ starts_at: Date }>('select starts_at from public.appointments where id = $1', [
      past.id,
    ]);
    expect(row?.starts_at.toISOString()).toBe(new Date(String(past.starts_at)).toISOString());
  });
});
