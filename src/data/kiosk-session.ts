/**
 * A kiosk serves one patient after another, so what a session leaves behind is removed as it ends:
 * the patient's synced rows (kept only while a write of theirs waits in the outbox: it is the only
 * copy), and this tab's drafts. What stays is the hashed entry that finds them again (kiosk-index.ts).
 *
 * The same sweep handles what a pull brings: a staff session pulls every patient of the clinic. Each
 * pulled patient becomes an index entry, then their rows leave the device.
 */

import { patientFields } from '../../sync/entities.ts';
import type { SyncStore } from '../../sync/stores/sync-store.ts';
import { saveAuthChoice } from '../lib/device-prefs.ts';
import { clearKioskConfig } from './kiosk-config.ts';
import type { PatientIndex } from './kiosk-index.ts';
import type { MatchablePatient } from './kiosk-match.ts';
import type { Services } from './services.ts';
import { clearDeviceData, clearTabDrafts, forgetSession } from './sign-out.ts';

/** What of the store a sweep uses. */
export type SweepStore = Pick<SyncStore, 'listRows' | 'listOutbox' | 'purge'>;

/** Patients on the device, as the index needs them; a row that does not parse is left to the purge. */
async function patientsOnDevice(services: {
  store: SweepStore;
}): Promise<{ ids: string[]; matchable: MatchablePatient[] }> {
  const rows = await services.store.listRows('patients');
  const ids: string[] = [];
  const matchable: MatchablePatient[] = [];
  for (const row of rows) {
    if (typeof row.id === 'string') ids.push(row.id);
    const parsed = patientFields.safeParse(row);
    if (parsed.success) matchable.push(parsed.data);
  }
  return { ids, matchable };
}

/**
 * Indexes every patient on the device, then removes everyone's rows but `keep`'s (the patient at the
 * tablet now) and the appointments of patients not on it (pulled alone). Returns who stayed because
 * a write of theirs is unsent.
 */
export async function sweepPatients(
  services: { store: SweepStore },
  index: Pick<PatientIndex, 'add'>,
  keep: readonly string[] = [],
): Promise<string[]> {
  const { ids, matchable } = await patientsOnDevice(services);
  await index.add(matchable);
  const owners = (await services.store.listRows('appointments'))
    .map((a) => a.patient_id)
    .filter((id): id is string => typeof id === 'string');
  const kept = new Set(keep);
  const gone = [...new Set([...ids, ...owners])].filter((id) => !kept.has(id));
  if (gone.length === 0) return [];
  return (await services.store.purge({ patientIds: gone })).kept;
}

/**
 * A sweep for the store's change events. Purging itself is a change, and a patient with an unsent
 * write stays after it: the same sweep is skipped until the outbox or the patients on the device
 * differ, so a kept patient does not set off a purge after every purge.
 */
export function changeSweeper(
  services: { store: SweepStore },
  index: Pick<PatientIndex, 'add'>,
): (keep: readonly string[]) => Promise<void> {
  // What the last sweep left on purpose: patients kept for their unsent writes, and the outbox size
  // then. Decided from the store as it is now, never from a snapshot taken around the sweep, so a
  // pull that lands while a sweep runs is swept by the next change event.
  let kept = new Set<string>();
  let outboxAtSweep = -1;
  let running: Promise<void> = Promise.resolve();
  return (keep) => {
    running = running
      .then(async () => {
        const [patients, appointments, outbox] = await Promise.all([
          services.store.listRows('patients'),
          services.store.listRows('appointments'),
          services.store.listOutbox(),
        ]);
        const people = [...patients.map((p) => p.id), ...appointments.map((a) => a.patient_id)];
        const onlyKept = people.every((id) => typeof id !== 'string' || kept.has(id) || keep.includes(id));
        if (onlyKept && outbox.length === outboxAtSweep) return;
        kept = new Set(await sweepPatients(services, index, keep));
        outboxAtSweep = outbox.length;
      })
      .catch((error: unknown) => {
        // The next change tries again; a failed sweep must not stop the ones after it.
        console.warn('kiosk sweep failed', error);
      });
    return running;
  };
}

/** The end of one patient's session ("Done" or idle): nothing of them stays readable. */
export async function endPatientSession(
  services: { store: SweepStore },
  index: Pick<PatientIndex, 'add'>,
): Promise<void> {
  clearTabDrafts();
  await sweepPatients(services, index);
}

/**
 * Leaving kiosk mode: staff are signed out and every patient's data is removed, the index and its
 * key included. Unsent writes are kept (the only copy): returns how many, for the screen to say so.
 * The saved configuration goes too, so a reload opens the patient app. The engine stays stopped:
 * the page's Supabase client may still hold the session in memory, so the screen that says what was
 * kept reloads the page to go on.
 */
export async function leaveKioskMode(services: Services, index: Pick<PatientIndex, 'wipe'>): Promise<number> {
  await services.engine.stop();
  await forgetSession(await services.supabase());
  await clearDeviceData(services);
  await index.wipe();
  clearKioskConfig();
  saveAuthChoice('none');
  return (await services.store.listOutbox()).length;
}
