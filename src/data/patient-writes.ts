/** Profile writes: validated with the entity's own schema, then one store write (row + outbox). */
import { type Patient, patientFields } from '../../sync/entities.ts';
import type { Services } from './services.ts';
import { requestPersistentStorage } from './storage.ts';
import type { WriteResult } from './write-result.ts';

export async function saveProfile(services: Services, candidate: unknown): Promise<WriteResult<Patient>> {
  const parsed = patientFields.safeParse(candidate);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues };
  await services.store.write({ entity: 'patients', op: 'upsert', row: parsed.data });
  void requestPersistentStorage();
  return { ok: true, row: parsed.data };
}
