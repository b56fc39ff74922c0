/**
 * Signing out removes the patient's data from this phone. Unsent writes are the only copy of what
 * was typed, so sign-out refuses while any exist, unless the caller passes the ids of exactly the
 * entries it showed the patient and the patient confirmed deleting.
 *
 * On a shared phone or a kiosk the next person must never see the previous one's data, so the order
 * matters: the engine is stopped first (waiting for a drain in flight), then the session goes, then
 * every row, the pull cursor (the next session gets a full pull of its own rows) and what is kept
 * for this browser tab (a booking in progress). The store's epoch, bumped by the purge, voids any
 * answer another tab or the service worker fetched with the old session.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { LocalMutation } from '../../sync/local-mutation.ts';
import { saveAuthChoice } from '../lib/device-prefs.ts';
import type { AsyncStorage } from './auth-storage.ts';
import type { Services } from './services.ts';
import { forgetLastSent } from './use-last-sent.ts';

export type SignOutResult = { done: true } | { done: false; unsent: LocalMutation[] };

/** True when the confirmed ids are exactly the outbox now: nothing new slipped in unseen. */
export function confirmationCovers(
  outbox: readonly LocalMutation[],
  confirmedIds: readonly string[],
): boolean {
  const confirmed = new Set(confirmedIds);
  return outbox.length === confirmed.size && outbox.every((m) => confirmed.has(m.id));
}

/** Drafts kept for this tab (a booking in progress holds a reason for consulting). */
export function clearTabDrafts(
  storage: Pick<Storage, 'clear'> | undefined = globalThis.sessionStorage,
): void {
  try {
    storage?.clear();
  } catch {
    // Blocked storage holds nothing to clear.
  }
}

/**
 * Removes everyone's synced rows and resets the cursor, keeping any unsent write; the caller has
 * already dealt with the outbox and the session.
 */
export async function clearDeviceData(services: Services): Promise<void> {
  await services.store.purge({ everyone: true });
  clearTabDrafts();
  forgetLastSent();
}

/**
 * Signs this device out even with no connection. supabase-js tells the server first and, when that
 * fails (offline), returns the error and keeps the session; a device being left must forget it anyway
 * (the server session simply expires). The second call finds no stored session, skips the server and
 * clears the client's memory of it (and tells its listeners).
 */
export async function forgetSession(client: SupabaseClient): Promise<void> {
  const { error } = await client.auth.signOut({ scope: 'local' });
  if (!error) return;
  // `storage` and `storageKey` are protected in supabase-js's types, but they are where the session is kept.
  const { storage, storageKey } = client.auth as unknown as { storage: AsyncStorage; storageKey: string };
  await storage.removeItem(storageKey);
  await client.auth.signOut({ scope: 'local' });
}

export async function signOut(
  services: Services,
  confirmedDiscardIds: readonly string[] = [],
): Promise<SignOutResult> {
  const first = await services.store.listOutbox();
  if (first.length > 0 && !confirmationCovers(first, confirmedDiscardIds))
    return { done: false, unsent: first };
  await services.engine.stop();
  try {
    // Checked again now that nothing drains: a write may have landed meanwhile.
    const outbox = await services.store.listOutbox();
    if (outbox.length > 0 && !confirmationCovers(outbox, confirmedDiscardIds))
      return { done: false, unsent: outbox };
    await forgetSession(await services.supabase());
    // The patient confirmed losing exactly these: the engine drops them as it drops any discarded
    // write (it owns the outbox's commands); the purge below then removes the rows they touched.
    for (const m of outbox) await services.engine.discard(m.id);
    await clearDeviceData(services);
    saveAuthChoice('none');
    return { done: true };
  } finally {
    services.engine.start();
  }
}
