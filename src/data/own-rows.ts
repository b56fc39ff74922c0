/**
 * What the patient app may show as the user's own. It reads the device's tables, which hold only
 * the user's rows while the session is a patient's: RLS sends nothing else. A clinic staff account
 * signed in to the patient app (at the kiosk setup before the PIN, or by mistake on any phone) pulls
 * the clinic's walk-ins and its doctors' appointments, and "Your profile" showed a walk-in's
 * details, "My appointments" other patients' bookings. These keep the screens to the user's own.
 */
import type { LocalMutation } from '../../sync/local-mutation.ts';
import { madeByAnother, type SessionUser } from './session-user.ts';

/** A walk-in a clinic registered (it has `clinic_id`) is never the phone's own profile. */
export function ownPatients<T extends { clinic_id?: string | null | undefined }>(rows: readonly T[]): T[] {
  return rows.filter((p) => !p.clinic_id);
}

/**
 * Appointments of the own profile, and any this device has a write of queued (the user's own
 * writes are shown whatever happens to their profile meanwhile, a refusal included).
 */
export function ownAppointments<T extends { id: string; patient_id: string }>(
  rows: readonly T[],
  ownPatientId: string | null,
  queued: ReadonlySet<string>,
): T[] {
  return rows.filter((a) => a.patient_id === ownPatientId || queued.has(a.id));
}

/**
 * `entity:key` of every row a queued write of another account than the session's (`madeByAnother`)
 * is on. Seen: a patient's session was lost with their profile unsent, someone else signed in on the
 * phone, and "Your profile" showed the first person's name and birth date, refused ("this account
 * may not make this change"), and their booking could be made under it. Such rows are never the
 * user's own: they are listed apart, as another account's, with nothing but what it was and when.
 * With no session known, the writes are taken as the user's, who signs in again to send them.
 */
export function otherAccountRows(
  outbox: readonly Pick<LocalMutation, 'entity' | 'key' | 'actor'>[],
  user: SessionUser | null,
): Set<string> {
  const keys = new Set<string>();
  if (!user) return keys;
  for (const m of outbox) if (madeByAnother(m.actor, user)) keys.add(`${m.entity}:${m.key}`);
  return keys;
}
