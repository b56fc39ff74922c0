/**
 * The one status snapshot the engine publishes, as an external store (`subscribe` + `getSnapshot`,
 * the shape React's useSyncExternalStore wants): a new object only when a field changed.
 */
import type { ErrorKind } from './errors.ts';
import type { SchedulerPhase } from './schedule.ts';
import type { OutboxCounts } from './stores/sync-store.ts';

export type SyncPhase = SchedulerPhase;

export interface SyncError {
  kind: ErrorKind;
  message: string;
  at: number;
}

export interface SyncStatus {
  phase: SyncPhase;
  online: boolean;
  /** Outbox entries per state, from the store; null until first counted (say nothing until then). */
  counts: OutboxCounts | null;
  /** When a backoff ends (epoch ms); null unless backing off. */
  nextRetryAt: number | null;
  /** The last failed drain (network, server, auth); cleared by the next success. */
  lastError: SyncError | null;
  /** When a drain last succeeded on this engine (epoch ms). */
  lastSuccessAt: number | null;
}

export const INITIAL_STATUS: SyncStatus = {
  phase: 'idle',
  online: true,
  counts: null,
  nextRetryAt: null,
  lastError: null,
  lastSuccessAt: null,
};

function sameCounts(a: OutboxCounts | null, b: OutboxCounts | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.pending === b.pending && a.sending === b.sending && a.rejected === b.rejected && a.blocked === b.blocked
  );
}

function sameError(a: SyncError | null, b: SyncError | null): boolean {
  if (a === null || b === null) return a === b;
  return a.kind === b.kind && a.message === b.message && a.at === b.at;
}

export function sameStatus(a: SyncStatus, b: SyncStatus): boolean {
  return (
    a.phase === b.phase &&
    a.online === b.online &&
    a.nextRetryAt === b.nextRetryAt &&
    a.lastSuccessAt === b.lastSuccessAt &&
    sameCounts(a.counts, b.counts) &&
    sameError(a.lastError, b.lastError)
  );
}

export class StatusStore {
  private snapshot: SyncStatus = INITIAL_STATUS;
  private readonly listeners = new Set<() => void>();

  getSnapshot = (): SyncStatus => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  update(patch: Partial<SyncStatus>): void {
    const next = { ...this.snapshot, ...patch };
    if (sameStatus(next, this.snapshot)) return;
    this.snapshot = next;
    for (const l of [...this.listeners]) l();
  }
}
