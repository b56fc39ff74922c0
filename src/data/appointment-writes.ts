/**
 * Booking, cancelling and fixing appointments. Each is a local write (row + outbox entry in one
 * transaction); the engine sends it when it can. Nothing here calls the network.
 */
import type { Appointment } from '../../sync/entities.ts';
import { appointmentFields } from '../../sync/entities.ts';
import { newUuid } from '../lib/uuid.ts';
import type { AppointmentRow } from './appointment-view.ts';
import { requestBackgroundSync } from './background-sync.ts';
import type { Slot } from './reference-rows.ts';
import type { Services } from './services.ts';
import { requestPersistentStorage } from './storage.ts';
import type { WriteResult } from './write-result.ts';

export interface BookingInput {
  patientId: string;
  slot: Slot;
  reason: string;
}

export function newAppointment(input: BookingInput, id: string = newUuid()): Appointment {
  return {
    id,
    patient_id: input.patientId,
    doctor_id: input.slot.doctor_id,
    slot_id: input.slot.id,
    starts_at: input.slot.starts_at,
    ends_at: input.slot.ends_at,
    // The slot decides the mode: the server refuses a video booking of an in-clinic slot.
    mode: input.slot.mode,
    reason: input.reason,
    status: 'requested',
  };
}

async function writeAppointment(services: Services, candidate: unknown): Promise<WriteResult<Appointment>> {
  const parsed = appointmentFields.safeParse(candidate);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues };
  await services.store.write({ entity: 'appointments', op: 'upsert', row: parsed.data });
  void requestPersistentStorage();
  requestBackgroundSync();
  return { ok: true, row: parsed.data };
}

export function bookAppointment(services: Services, input: BookingInput): Promise<WriteResult<Appointment>> {
  return writeAppointment(services, newAppointment(input));
}

/** Cancelling is itself a queued write: the clinic learns of it when the phone is next online. */
export function cancelAppointment(
  services: Services,
  row: AppointmentRow,
): Promise<WriteResult<Appointment>> {
  const { join_url: _server, ...fields } = row;
  return writeAppointment(services, { ...fields, status: 'cancelled' });
}

/**
 * Fixes a booking the server refused (slot taken): the refused write is discarded, then the same
 * appointment is written again with the new slot, so it keeps its id and place in the list.
 */
export async function rebookAppointment(
  services: Services,
  row: AppointmentRow,
  refusedMutationIds: readonly string[],
  slot: Slot,
): Promise<WriteResult<Appointment>> {
  for (const id of refusedMutationIds) await services.engine.discard(id);
  return writeAppointment(
    services,
    newAppointment({ patientId: row.patient_id, slot, reason: row.reason }, row.id),
  );
}

export function discardChange(services: Services, mutationId: string): Promise<void> {
  return services.engine.discard(mutationId);
}
