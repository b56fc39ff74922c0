/**
 * Staff moving today's appointments along the server's state machine (sync/entities.ts): which
 * actions to offer for a status, and the status write itself, queued through the one write path
 * so it works offline and is sent in order with everything else the tablet wrote.
 */
import {
  APPOINTMENT_TRANSITIONS,
  type Appointment,
  type AppointmentStatus,
  appointmentTransitionAllowed,
} from '../../sync/entities.ts';
import type { SyncStore } from '../../sync/stores/sync-store.ts';
import { writeEntity } from './entity-writes.ts';
import type { WriteResult } from './write-result.ts';

/** The staff actions, in the order the screen offers them. Cancelling stays the patient's word. */
export const STAFF_TARGETS = ['confirmed', 'rejected', 'checked_in', 'completed', 'no_show'] as const;
export type StaffTarget = (typeof STAFF_TARGETS)[number];

/**
 * The actions staff may take from `from`: one step of the machine each (a button that jumps two
 * steps would hide the one in between from whoever reads the history).
 */
export function staffActions(from: AppointmentStatus): StaffTarget[] {
  return STAFF_TARGETS.filter(
    (to) =>
      APPOINTMENT_TRANSITIONS[from][to]?.includes('clinic') &&
      appointmentTransitionAllowed(from, to, 'clinic'),
  );
}

/**
 * Queues the status change. `shown` is the row as the screen read it: as the base, only the status
 * is written over a stored copy; with none stored (the tablet keeps no patient's rows) the row as
 * read goes whole, and the server judges the transition from its own current status.
 */
export function setStaffStatus(
  services: { store: Pick<SyncStore, 'write'> },
  shown: Appointment,
  to: StaffTarget,
): Promise<WriteResult<Appointment>> {
  const { join_url: _server, ...fields } = shown;
  return writeEntity(services.store, 'appointments', { ...fields, status: to }, { base: fields });
}
