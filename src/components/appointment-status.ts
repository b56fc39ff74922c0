/**
 * What the clinic has done with an appointment, in a patient's words. Kept apart from where the
 * patient's own change is (`sync-label.ts`): "Confirmed by the clinic" and "Saved on this phone" are
 * two different facts, and one word for both ("Booked") said neither.
 */
import type { APPOINTMENT_STATUSES } from '../../sync/entities.ts';
import type { ItemSyncState } from '../data/item-sync-state.ts';
import type { MessageKey } from '../i18n/messages-en.ts';

type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** `openRequest`: asked by specialty, and no doctor or time is chosen yet. */
export function clinicStatusKey(status: AppointmentStatus, openRequest: boolean): MessageKey {
  if (status === 'requested' && openRequest) return 'apptStatus.openRequest';
  return `apptStatus.${status}`;
}

/**
 * The clinic's status to show beside the patient's own change, or none while that change needs
 * attention: the row then holds what the server refused (a booking it never took, a cancel it did
 * not make), and "Waiting for the clinic to confirm" beside "Needs attention" said the clinic had a
 * booking it never received. Once the change is fixed or discarded, the status shows again.
 */
export function shownClinicStatus(
  status: AppointmentStatus,
  openRequest: boolean,
  sync: ItemSyncState,
): MessageKey | null {
  return sync.kind === 'attention' ? null : clinicStatusKey(status, openRequest);
}
