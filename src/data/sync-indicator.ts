/**
 * What the always-visible status indicator says, derived from the engine's snapshot. Its counts come
 * from the outbox itself (the store counts it after every change, other tabs' included), so it can
 * never claim "all sent" while anything is still queued.
 */
import type { ErrorKind } from '../../sync/errors.ts';
import type { OutboxCounts } from '../../sync/stores/sync-store.ts';
import type { SyncStatus } from '../../sync/sync-status.ts';

export interface IndicatorInput {
  status: Pick<SyncStatus, 'online' | 'phase'> & {
    counts: OutboxCounts;
    nextRetryAt?: number | null;
    lastError?: { kind: ErrorKind } | null;
  };
  /** When the outbox last became empty after a push (this device), if ever. */
  lastSentAt: Date | null;
}

export type Indicator =
  | { kind: 'attention'; count: number; offline: boolean }
  | { kind: 'offline'; waiting: number }
  | { kind: 'sending'; waiting: number }
  | { kind: 'sign-in'; waiting: number }
  | { kind: 'waiting'; waiting: number }
  /**
   * Backing off after failed drains: the queue leaves on its own at `at`, or now with "Try now".
   * `webPage`: the network answered with a web page (a Wi-Fi login), which the user can fix.
   */
  | { kind: 'retrying'; waiting: number; at: Date; webPage: boolean }
  | { kind: 'all-sent'; at: Date }
  | { kind: 'nothing-yet' };

/** Entries the user must act on (fix or discard) before they can be sent. */
export function attentionCount(counts: OutboxCounts): number {
  return counts.rejected + counts.blocked;
}

/** Entries on their way: queued, or in a push right now. */
export function waitingCount(counts: OutboxCounts): number {
  return counts.pending + counts.sending;
}

export function deriveIndicator({ status, lastSentAt }: IndicatorInput): Indicator {
  const attention = attentionCount(status.counts);
  const waiting = waitingCount(status.counts);
  // Needs attention wins: nothing else the indicator could say is something the user can act on.
  if (attention > 0) return { kind: 'attention', count: attention, offline: !status.online };
  if (!status.online) return { kind: 'offline', waiting };
  if (waiting > 0) {
    // Entries are marked `sending` for as long as their push is in flight, in any tab.
    if (status.counts.sending > 0) return { kind: 'sending', waiting };
    if (status.phase === 'needs-sign-in') return { kind: 'sign-in', waiting };
    if (status.phase === 'backoff' && status.nextRetryAt != null)
      return {
        kind: 'retrying',
        waiting,
        at: new Date(status.nextRetryAt),
        webPage: status.lastError?.kind === 'captive_portal',
      };
    return { kind: 'waiting', waiting };
  }
  return lastSentAt ? { kind: 'all-sent', at: lastSentAt } : { kind: 'nothing-yet' };
}
