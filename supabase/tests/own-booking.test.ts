/**
 * Booking the same time twice (issue 8, part 3): a slot held by the same patient's own appointment
 * is refused as `own_booking`, saying so; held by someone else it stays `slot_taken`.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { newUser } from './stack-clients.ts';
import {
  answer,
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
  clinic = await createClinic(4);
});

describe('booking a slot twice', () => {
  it('tells the patient the slot is held by their own booking', async () => {
    const user = await newUser('twice');
    const clientId = randomUUID();
    const patient = patientRow();
    const slot = clinic.slots[0]!;
    const first = upsertAppointment(clientId, appointmentRow(String(patient.id), slot));
    const second = upsertAppointment(clientId, appointmentRow(String(patient.id), slot));
    const results = await push(user.client, clientId, [upsertPatient(clientId, patient), first, second]);
    answer(results, first.id, 'applied');
    const refused = answer(results, second.id, 'rejected');
    expect(refused).toMatchObject({ code: 'own_booking', field: 'slot_id' });
    expect(refused.message).toContain(`you already booked this time: appointment ${first.key}`);
  });

  it("still answers slot_taken when someone else's appointment holds the slot", async () => {
    const slot = clinic.slots[1]!;
    const a = await newUser('first');
    const clientA = randomUUID();
    const patientA = patientRow();
    await push(a.client, clientA, [
      upsertPatient(clientA, patientA),
      upsertAppointment(clientA, appointmentRow(String(patientA.id), slot)),
    ]);
    const b = await newUser('second');
    const clientB = randomUUID();
    const patientB = patientRow();
    const late = upsertAppointment(clientB, appointmentRow(String(patientB.id), slot));
    const results = await push(b.client, clientB, [upsertPatient(clientB, patientB), late]);
    expect(answer(results, late.id, 'rejected').code).toBe('slot_taken');
  });
});
