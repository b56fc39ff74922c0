/** Profile writes: validated with the entity's own schema, then one store write (row + outbox). */
import { type Patient, patientFields } from '../../sync/entities.ts';
import { requestBackgroundSync } from './background-sync.ts';
import type { Services } from './services.ts';
import { requestPersistentStorage } from './storage.ts';
import type { WriteResult } from './write-result.ts';

export async function saveProfile(services: Services, candidate: unknown): Promise<WriteResult<Patient>> {
  const parsed = patientFields.safeParse(candidate);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues };
  const refused = (await services.store.listOutbox()).filter(
    (m) => m.entity === 'patients' && m.key === parsed.data.id && m.state === 'rejected',
  );
  await services.store.write({ entity: 'patients', op: 'upsert', row: parsed.data });
  // The corrected profile replaces what the server refused; without this the new write would wait
  // behind the refused one forever.
  for (const m of refused) await services.engine.retry(m.id);
  void requestPersistentStorage();
  requestBackgroundSync();
  return { ok: true, row: parsed.data };
}
