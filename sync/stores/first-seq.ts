/**
 * The seq a save starts from. A database with no counter yet (and no client id) starts at 1. A
 * counter that is unreadable (damaged, or edited by hand), missing from a database already in use,
 * or behind the outbox resumes from the clock in milliseconds: above every seq the counter can have
 * handed out (one a write), so neither the outbox's unique seq index nor the server's stale-write
 * guard (a smaller seq of this device is taken as an older write) meets a reused one. Restarting at
 * 1 would fail every save while anything is queued, and after that make the server ignore them.
 */
export function firstSeqOf(stored: unknown, inUse: boolean, behind: boolean, now: number): number {
  const valid = typeof stored === 'number' && Number.isSafeInteger(stored) && stored >= 1;
  if (valid && !behind) return stored;
  if (!valid && stored === undefined && !inUse) return 1;
  return Math.max(valid ? stored : 0, now);
}
