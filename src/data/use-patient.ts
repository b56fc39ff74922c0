/**
 * The patient this phone belongs to. The patient app keeps one profile; RLS lets a patient's
 * session pull only its own, so the oldest row is it, a clinic's walk-ins and a profile another
 * account queued on this phone left aside (own-rows.ts).
 */
import { type Patient, patientFields } from '../../sync/entities.ts';
import { otherAccountRows, ownPatients } from './own-rows.ts';
import { useRowsWithOutbox } from './use-rows-with-outbox.ts';
import { useSessionUserState } from './use-session-user.ts';

/** `otherAccounts`: `entity:key` of rows another account's queued writes are on (otherAccountRows). */
export function pickOwnPatient(
  patients: readonly Patient[],
  otherAccounts: ReadonlySet<string> = new Set(),
): Patient | null {
  const sorted = ownPatients(patients)
    .filter((p) => !otherAccounts.has(`patients:${p.id}`))
    .sort((a, b) => (a.created_at ?? '').localeCompare(b.created_at ?? ''));
  return sorted[0] ?? null;
}

/**
 * The patients table and the outbox from one read, with the own profile picked; undefined while
 * loading. Booking, the profile and My appointments all take "the user's profile" from here.
 */
export function useOwnPatientRead() {
  const read = useRowsWithOutbox('patients', patientFields);
  // Until the session is read, a queued profile cannot be told the user's or another account's.
  const { user, known } = useSessionUserState();
  if (!read || !known) return undefined;
  const others = otherAccountRows(read.outbox, user);
  return {
    ...read,
    patient: pickOwnPatient(read.rows, others),
    /** A profile another account queued on this phone is here (told, not shown: own-rows.ts). */
    otherAccountProfile: read.rows.some((p) => others.has(`patients:${p.id}`)),
  };
}

/** undefined while loading, null when no profile exists yet. */
export function useOwnPatient(): Patient | null | undefined {
  const read = useOwnPatientRead();
  return read === undefined ? undefined : read.patient;
}
