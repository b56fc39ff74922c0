/**
 * The drain benchmarks' queue: walk-in registrations at a kiosk (1 patient : `perPatient`
 * appointments), written through the store as the app writes them. Shared by the Node rows
 * (`sync-drain.ts`) and the page that drains in Chromium (`browser/drain.ts`), so it uses only
 * what both have (`crypto.randomUUID` is global in Node 20 and in a page).
 */
import type { SyncStore, WriteInput } from '../sync/stores/sync-store.ts';

/** A future slot of the bench clinic (as `BenchStack.addSlots` returns it). */
export interface WalkInSlot {
  id: string;
  doctor_id: string;
  starts_at: string;
  ends_at: string;
  mode: 'video' | 'in_person';
}

/** Patient `p`'s registration and bookings, in the order the kiosk writes them. */
function walkIn(slots: readonly WalkInSlot[], p: number, perPatient: number): WriteInput[] {
  const patientId = crypto.randomUUID();
  const writes: WriteInput[] = [
    {
      entity: 'patients',
      op: 'upsert',
      row: {
        id: patientId,
        full_name: `Walk-in patient ${p + 1}`,
        date_of_birth: '1984-03-15',
        sex: p % 2 === 0 ? 'female' : 'male',
        phone: `+9198${String(10_000_000 + p).slice(-8)}`,
        address: 'Ward 4, Rampur',
        preferred_language: 'hi',
      },
    },
  ];
  for (let a = 0; a < perPatient; a++) {
    const slot = slots[p * perPatient + a];
    if (!slot) throw new Error('not enough slots for the scenario');
    writes.push({
      entity: 'appointments',
      op: 'upsert',
      row: {
        id: crypto.randomUUID(),
        patient_id: patientId,
        doctor_id: slot.doctor_id,
        slot_id: slot.id,
        starts_at: slot.starts_at,
        ends_at: slot.ends_at,
        mode: slot.mode,
        reason: 'Fever and cough for three days',
        status: 'requested',
      },
    });
  }
  return writes;
}

/**
 * Queues `patients` new patients with `perPatient` appointments each into `store`: each patient
 * with its bookings in one store transaction (`writeAll`, as the app saves a profile and its
 * booking), so seeding 10,000 writes takes 2,000 transactions, not 10,000, and leaves less garbage
 * in the process that then measures the drain. The outbox holds the same entries either way: each
 * write keeps the dependencies it would have had written alone.
 */
export async function queueWalkIns<S extends SyncStore>(
  store: S,
  slots: readonly WalkInSlot[],
  patients: number,
  perPatient: number,
): Promise<S> {
  for (let p = 0; p < patients; p++) await store.writeAll(walkIn(slots, p, perPatient));
  return store;
}
