/**
 * When this device last sent writes and saw the outbox empty afterwards: "All sent at 14:05".
 *
 * The engine's `lastSuccessAt` is not that: any drain that succeeds sets it, also the first pull after
 * sign-in that sent nothing. So the time is taken only from a success that came after writes were
 * seen waiting, once none are. Kept in localStorage it survives a reload and reaches other tabs
 * (the `storage` event), whose outbox this tab may have drained.
 */
import { useEffect, useSyncExternalStore } from 'react';
import type { SyncStatus } from '../../sync/sync-status.ts';
import type { EnginePort } from './engine-port.ts';
import { waitingCount } from './sync-indicator.ts';

const KEY = 'consult.lastSentAt';

export interface SentTracker {
  /** Writes were seen waiting; `since` is the engine's last success at that moment. */
  owed: { since: number | null } | null;
  /** The success that emptied the outbox after sending what was seen waiting (epoch ms). */
  sentAt: number | null;
}

export const NOTHING_SENT: SentTracker = { owed: null, sentAt: null };

/**
 * The tracker after one engine snapshot. Every snapshot must pass through, in order; `now` is when
 * it was seen.
 *
 * Writes seen waiting that leave the outbox with nothing needing attention were sent: by this page's
 * engine (its success is the time), or by the service worker's Background Sync or another tab, whose
 * success this engine never sees (then the moment the outbox was seen empty is the time). A user
 * discards only refused writes, which are not waiting, so they never count as sent.
 */
export function trackSent(
  prev: SentTracker,
  status: Pick<SyncStatus, 'counts' | 'lastSuccessAt'>,
  now: number = Date.now(),
): SentTracker {
  const { counts, lastSuccessAt } = status;
  // Not counted yet: nothing is known, least of all that everything went.
  if (counts === null) return prev;
  if (waitingCount(counts) > 0) return prev.owed ? prev : { ...prev, owed: { since: lastSuccessAt } };
  if (prev.owed === null || counts.rejected + counts.blocked > 0) return prev;
  const ownSuccess = lastSuccessAt !== null && (prev.owed.since === null || lastSuccessAt > prev.owed.since);
  return { owed: null, sentAt: ownSuccess ? lastSuccessAt : now };
}

const sameTab = new Set<() => void>();

function read(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

function subscribe(onChange: () => void): () => void {
  const onStorage = (e: StorageEvent) => {
    if (e.key === KEY) onChange();
  };
  window.addEventListener('storage', onStorage);
  sameTab.add(onChange);
  return () => {
    window.removeEventListener('storage', onStorage);
    sameTab.delete(onChange);
  };
}

/** The later of two ISO times (either may be missing). */
export function laterOf(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

function remember(sentAt: number): void {
  const iso = new Date(sentAt).toISOString();
  // Another tab may have recorded a later send meanwhile: never move the time back.
  if (laterOf(iso, read()) !== iso || iso === read()) return;
  try {
    localStorage.setItem(KEY, iso);
  } catch {
    // Without storage there is nothing to show across reloads; the next send tries again.
  }
  for (const l of [...sameTab]) l();
}

/**
 * Forgets the time when this device's data is cleared (sign-out, switching accounts): the next person
 * must not read "All sent at …" about writes that were not theirs, before they wrote anything.
 */
export function forgetLastSent(
  storage: Pick<Storage, 'removeItem'> | undefined = globalThis.localStorage,
): void {
  try {
    storage?.removeItem(KEY);
  } catch {
    // Blocked storage holds no time to forget.
  }
  for (const l of [...sameTab]) l();
}

export function useLastSentAt(engine: Pick<EnginePort, 'getStatus' | 'subscribe'>): Date | null {
  const stored = useSyncExternalStore(subscribe, read, () => null);
  useEffect(() => {
    let tracker = trackSent(NOTHING_SENT, engine.getStatus());
    return engine.subscribe(() => {
      const next = trackSent(tracker, engine.getStatus());
      if (next.sentAt !== null && next.sentAt !== tracker.sentAt) remember(next.sentAt);
      tracker = next;
    });
  }, [engine]);
  return stored ? new Date(stored) : null;
}
