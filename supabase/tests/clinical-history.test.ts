/**
 * Patients cancel; they never delete clinical history (issue 8, part 5): a confirmed or completed
 * appointment, or a profile that has one, cannot be deleted from a device, over the Data API or
 * through sync_push.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, sql, type TestUser } from './stack-clients.ts';
import {
  answer,
  appointmentRow,
  createClinic,
  mutation,
  patientRow,
  push,
  type Row,
  type TestClinic,
  upsertAppointment,
  upsertPatient,
} from './sync-fixtures.ts';

let clinic: TestClinic;

beforeAll(async () => {
  clinic = await createClinic(12);
});

/** A patient with one appointment, which the clinic then marks `status`. */
async function bookedBy(
  status: string,
): Promise<{ user: TestUser; clientId: string; patient: Row; appointment: Row }> {
  const user = await newUser(`history-${status}`);
  const clientId = randomUUID();
  const patient = patientRow();
  const slot = clinic.slots.shift()!;
  const appointment = appointmentRow(String(patient.id), slot);
  await push(user.client, clientId, [
    upsertPatient(clientId, patient),
    upsertAppointment(clientId, appointment),
  ]);
  await sql('update public.appointments set status = $2 where id = $1', [appointment.id, status]);
  return { user, clientId, patient, appointment: { ...appointment, status } };
}

const exists = async (table: string, id: unknown) =>
  (await sql(`select id from public.${table} where id = $1`, [id])).length === 1;

describe('clinical history', () => {
  for (const status of ['confirmed', 'completed']) {
    it(`refuses a patient's delete of a ${status} appointment through sync_push`, async () => {
      const { user, clientId, appointment } = await bookedBy(status);
      const remove = mutation(clientId, {
        entity: 'appointments',
        op: 'delete',
        key: String(appointment.id),
      });
      const refused = answer(await push(user.client, clientId, [remove]), remove.id, 'rejected');
      expect(refused.code).toBe('forbidden');
      expect(refused.message).toContain('cancel it instead');
      expect(await exists('appointments', appointment.id)).toBe(true);
    });

    it(`refuses a patient's delete of a ${status} appointment over the Data API`, async () => {
      const { user, appointment } = await bookedBy(status);
      const { error } = await user.client.from('appointments').delete().eq('id', appointment.id);
      expect(error?.message).toContain('cannot be deleted');
      expect(await exists('appointments', appointment.id)).toBe(true);
    });
  }

  it('refuses deleting a profile that has a confirmed appointment, which would cascade to it', async () => {
    const { user, clientId, patient, appointment } = await bookedBy('confirmed');
    const remove = mutation(clientId, { entity: 'patients', op: 'delete', key: String(patient.id) });
    expect(answer(await push(user.client, clientId, [remove]), remove.id, 'rejected').code).toBe('forbidden');
    expect(await exists('patients', patient.id)).toBe(true);
    expect(await exists('appointments', appointment.id)).toBe(true);
  });

  it('still lets a patient cancel a confirmed appointment, and delete a requested one', async () => {
    const confirmed = await bookedBy('confirmed');
    const cancel = upsertAppointment(confirmed.clientId, { ...confirmed.appointment, status: 'cancelled' });
    answer(await push(confirmed.user.client, confirmed.clientId, [cancel]), cancel.id, 'applied');

    const requested = await bookedBy('requested');
    const remove = mutation(requested.clientId, {
      entity: 'appointments',
      op: 'delete',
      key: String(requested.appointment.id),
    });
    answer(await push(requested.user.client, requested.clientId, [remove]), remove.id, 'applied');
    expect(await exists('appointments', requested.appointment.id)).toBe(false);
  });
});
