/**
 * Signing out removes the patient's data from this phone. Unsent writes are the only copy of what
 * was typed, so sign-out refuses while any exist, unless the caller passes the ids of exactly the
 * entries it showed the patient and the patient confirmed deleting.
 */
import type { LocalMutation } from '../../sync/local-mutation.ts';
import { saveAuthChoice } from '../lib/device-prefs.ts';
import type { Services } from './services.ts';

export type SignOutResult = { done: true } | { done: false; unsent: LocalMutation[] };

/** True when the confirmed ids are exactly the outbox now: nothing new slipped in unseen. */
export function confirmationCovers(
  outbox: readonly LocalMutation[],
  confirmedIds: readonly string[],
): boolean {
  const confirmed = new Set(confirmedIds);
  return outbox.length === confirmed.size && outbox.every((m) => confirmed.has(m.id));
}

export async function signOut(
  services: Services,
  confirmedDiscardIds: readonly string[] = [],
): Promise<SignOutResult> {
  const outbox = await services.store.listOutbox();
  if (outbox.length > 0 && !confirmationCovers(outbox, confirmedDiscardIds))
    return { done: false, unsent: outbox };
  if (outbox.length > 0) await services.store.apply({ remove: outbox.map((m) => m.id) });
  await services.store.purge({ everyone: true });
  // Local sign-out works offline; the server session simply expires.
  await (await services.supabase()).auth.signOut({ scope: 'local' });
  saveAuthChoice('none');
  return { done: true };
}
