/** Doctors, clinics and slots cached on the device by `sync_pull`; undefined while loading. */
import { useLiveQuery } from 'dexie-react-hooks';
import { loadDoctorSlots } from './doctor-slots.ts';
import { type Clinic, clinicRow, type Doctor, doctorRow, parseRows, type Slot } from './reference-rows.ts';
import { useServices } from './services-context.tsx';

export function useDoctors(): Doctor[] | undefined {
  const { db } = useServices();
  return useLiveQuery(async () => parseRows(doctorRow, await db.doctors.toArray()), [db]);
}

export function useClinics(): Clinic[] | undefined {
  const { db } = useServices();
  return useLiveQuery(async () => parseRows(clinicRow, await db.clinics.toArray()), [db]);
}

/** Free slots of one doctor that start after `now`, in time order. */
export function freeSlots(slots: readonly Slot[], now: Date): Slot[] {
  const nowIso = now.toISOString();
  return slots
    .filter((s) => s.available && new Date(s.starts_at).toISOString() > nowIso)
    .sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at));
}

/**
 * The doctor's slots as this device knows them, the ones its own appointments hold marked taken;
 * undefined while loading. useLiveQuery keeps its last answer while a new query runs: the answer is
 * tagged with its doctor, so another doctor's times never show, even for a moment.
 */
export function useDoctorSlots(doctorId: string | null): Slot[] | undefined {
  const { db } = useServices();
  const answer = useLiveQuery(
    async () => ({ doctorId, slots: doctorId ? await loadDoctorSlots(db, doctorId) : [] }),
    [db, doctorId],
  );
  return answer?.doctorId === doctorId ? answer.slots : undefined;
}

/** Whether any availability has reached this phone; undefined while loading. */
export function useHasSlots(): boolean | undefined {
  const { db } = useServices();
  return useLiveQuery(async () => (await db.slots.count()) > 0, [db]);
}
