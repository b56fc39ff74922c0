/**
 * Booking caps (issue 8, part 5): a patient holds at most `max_active_bookings` active bookings (5),
 * an account without sign-in at most `max_active_bookings_anonymous` (2); one more is rejected with
 * `booking_limit`, and cancelling one frees a place.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { anonClient, newUser } from './stack-clients.ts';
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
});
