/**
 * Booking, cancelling and fixing appointments, each a write through the one write path
 * (entity-writes.ts); discarding a refused change is the engine's command.
 */
import type { Appointment } from '../../sync/entities.ts';
import { newUuid } from '../lib/uuid.ts';
import type { AppointmentRow } from './appointment-view.ts';
import { writeEntity } from './entity-writes.ts';
import type { Slot } from './reference-rows.ts';
import type { Services } from './services.ts';
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

export function bookAppointment(
  services: Pick<Services, 'store'>,
  input: BookingInput,
): Promise<WriteResult<Appointment>> {
  // The id is made here, for this booking: nothing can be stored under it.
  return writeEntity(services.store, 'appointments', newAppointment(input), { fresh: true });
}

/** The row as the device may write it: `join_url` is the server's alone. */
export function editableFields(row: AppointmentRow): Omit<AppointmentRow, 'join_url'> {
  const { join_url: _server, ...fields } = row;
  return fields;
}

/**
 * Cancelling is itself a queued write: the clinic learns of it when the phone is next online. It
 * changes the status alone (field-level, from the row the screen showed), so a stale screen never
 * puts back what the clinic or another device changed since.
 */
export function cancelAppointment(
  services: Pick<Services, 'store'>,
  row: AppointmentRow,
): Promise<WriteResult<Appointment>> {
  const shown = editableFields(row);
  return writeEntity(services.store, 'appointments', { ...shown, status: 'cancelled' }, { base: shown });
}

/**
 * Fixes a booking the server refused (slot taken): the same appointment, with the new slot, takes
 * the place of the refused write, so it keeps its id and place in the list.
 */
export function rebookAppointment(
  services: Pick<Services, 'store'>,
  row: AppointmentRow,
  slot: Slot,
): Promise<WriteResult<Appointment>> {
  const rebooked = newAppointment({ patientId: row.patient_id, slot, reason: row.reason }, row.id);
  return writeEntity(services.store, 'appointments', rebooked, { replacesRejected: true });
}

export function discardChange(services: Services, mutationId: string | null): Promise<void> {
  return mutationId === null ? services.engine.setAsideUnreadable() : services.engine.discard(mutationId);
}
