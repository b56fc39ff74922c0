/**
 * Clear errors (issue 8, part 5): the same UUID in upper and lower case names the same row, and a
 * time must be an ISO 8601 timestamp, not a word whose value depends on when the server reads it.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { newUser } from './stack-clients.ts';
import {
  answer,
  appointmentRow,
  createClinic,
  mutation,
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

describe('clear errors', () => {
  it('applies a data.id in upper case whose key is the same UUID in lower case', async () => {
    const user = await newUser('upper');
    const clientId = randomUUID();
    const patient = patientRow();
    const upper = mutation(clientId, {
      entity: 'patients',
      data: { ...patient, id: String(patient.id).toUpperCase() },
      key: String(patient.id),
    });
    const applied = answer(await push(user.client, clientId, [upper]), upper.id, 'applied');
    expect(applied.row).toMatchObject({ id: patient.id });
  });

  for (const word of ['now', 'epoch', 'infinity', 'tomorrow', '2026-12-01 09:30']) {
    it(`refuses starts_at "${word}", asking for an ISO 8601 timestamp`, async () => {
      const user = await newUser('when');
      const clientId = randomUUID();
      const patient = patientRow();
      const booking = upsertAppointment(
        clientId,
        appointmentRow(String(patient.id), clinic.slots[0]!, { starts_at: word }),
      );
      const results = await push(user.client, clientId, [upsertPatient(clientId, patient), booking]);
      const refused = answer(results, booking.id, 'rejected');
      expect(refused).toMatchObject({ code: 'validation', field: 'starts_at' });
      expect(refused.message).toContain('ISO 8601 timestamp with a time zone');
    });
  }
});
