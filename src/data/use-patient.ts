/**
 * The patient this phone belongs to. The patient app keeps one profile; RLS lets a patient's
 * session pull only its own, so the oldest row is it, a clinic's walk-ins left aside (own-rows.ts).
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { type Patient, patientFields } from '../../sync/entities.ts';
import { ownPatients } from './own-rows.ts';
import { parseRows } from './reference-rows.ts';
import { useServices } from './services-context.tsx';

export function pickOwnPatient(patients: readonly Patient[]): Patient | null {
  const sorted = ownPatients(patients).sort((a, b) => (a.created_at ?? '').localeCompare(b.created_at ?? ''));
  return sorted[0] ?? null;
}

/** undefined while loading, null when no profile exists yet. */
export function useOwnPatient(): Patient | null | undefined {
  const { db } = useServices();
  return useLiveQuery(
    async () => pickOwnPatient(parseRows(patientFields, await db.patients.toArray())),
    [db],
  );
}
