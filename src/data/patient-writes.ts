/** Profile writes: one store write (row + outbox entry) through the one write path. */
import type { Patient } from '../../sync/entities.ts';
import { writeEntity } from './entity-writes.ts';
import type { Services } from './services.ts';
import type { WriteResult } from './write-result.ts';

/**
 * Saving the profile is also how the patient fixes one the server refused: the corrected profile
 * takes the place of the refused write, which would otherwise hold it back forever. `shown` is the
 * profile as the form showed it before the user's changes (null for a new profile): only the fields
 * the user changed are written and sent. `fresh`: the screen made the profile's id for this save
 * (a first profile), so the store reads nothing of it first (`WriteInput.fresh`).
 */
export function saveProfile(
  services: Pick<Services, 'store'>,
  candidate: unknown,
  shown: Patient | null = null,
  { fresh = false }: { fresh?: boolean } = {},
): Promise<WriteResult<Patient>> {
  return writeEntity(services.store, 'patients', candidate, { replacesRejected: true, base: shown, fresh });
}
