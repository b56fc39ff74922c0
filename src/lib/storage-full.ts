/**
 * A save the device had no room for. IndexedDB aborts the transaction with a QuotaExceededError
 * (nothing of it is stored); Dexie may wrap it (`inner`), and other code may chain it (`cause`).
 * The screens said "Could not save: " and the browser's English words for an aborted transaction,
 * which tell a patient neither what happened nor what to do, in any language.
 */

/** What `errorMessage` (use-action.ts) gives for such a failure; FailureNotice words it. */
export const STORAGE_FULL = 'storage-full';

const QUOTA_NAMES = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED']);

export function isStorageFull(error: unknown): boolean {
  let e: unknown = error;
  // Only a few levels: the wrappers are Dexie's and ours, never a long chain (or a cycle).
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth++) {
    const { name, inner, cause } = e as { name?: unknown; inner?: unknown; cause?: unknown };
    if (typeof name === 'string' && QUOTA_NAMES.has(name)) return true;
    e = inner ?? cause;
  }
  return false;
}
