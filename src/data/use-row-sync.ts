/** The patient's own profile with where it stands on its way to the server, from one consistent read. */
import { type Patient, patientFields } from '../../sync/entities.ts';
import { type ItemSyncState, rowSyncStates } from './item-sync-state.ts';
import { pickOwnPatient } from './use-patient.ts';
import { useRowsWithOutbox } from './use-rows-with-outbox.ts';

export interface OwnPatientSync {
  /** null when no profile exists yet. */
  patient: Patient | null;
  /** null with no profile: there is nothing to be on its way. */
  sync: ItemSyncState | null;
}

/** undefined while loading. */
export function useOwnPatientSync(): OwnPatientSync | undefined {
  const read = useRowsWithOutbox('patients', patientFields);
  if (!read) return undefined;
  const patient = pickOwnPatient(read.rows);
  if (!patient) return { patient: null, sync: null };
  return { patient, sync: rowSyncStates(read.outbox)('patients', patient) };
}
