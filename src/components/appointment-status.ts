/**
 * What the clinic has done with an appointment, in a patient's words. Kept apart from where the
 * patient's own change is (`sync-label.ts`): "Confirmed by the clinic" and "Saved on this phone" are
 * two different facts, and one word for both ("Booked") said neither.
 */
import type { APPOINTMENT_STATUSES } from '../../sync/entities.ts';
import type { MessageKey } from '../i18n/messages-en.ts';

type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** `openRequest`: asked by specialty, and no doctor or time is chosen yet. */
export function clinicStatusKey(status: AppointmentStatus, openRequest: boolean): MessageKey {
  if (status === 'requested' && openRequest) return 'apptStatus.openRequest';
  return `apptStatus.${status}`;
}
