/** The patient's own profile with where it stands on its way to the server, from one consistent read. */
import type { Patient } from '../../sync/entities.ts';
import { type ItemSyncState, rowSyncStates } from './item-sync-state.ts';
import { useOwnPatientRead } from './use-patient.ts';

export interface OwnPatientSync {
  /** null when no profile exists yet. */
  patient: Patient | null;
  /** null with no profile: there is nothing to be on its way. */
  sync: ItemSyncState | null;
  /** Another account's unsent profile is on this phone (a lost session, then this one signed in). */
  otherAccountProfile: boolean;
}

/** undefined while loading. */
export function useOwnPatientSync(): OwnPatientSync | undefined {
  const read = useOwnPatientRead();
  if (!read) return undefined;
  const { patient, otherAccountProfile } = read;
  if (!patient) return { patient: null, sync: null, otherAccountProfile };
  return { patient, sync: rowSyncStates(read.outbox)('patients', patient), otherAccountProfile };
}
