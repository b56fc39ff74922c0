/**
 * What the testing screen shows about the sync engine: its status snapshot (phase, counts, last
 * failure, next retry) and, from the outbox, the latest refusal the server gave a queued write.
 */
import type { LocalMutation, MutationError } from '../../../sync/local-mutation.ts';
import type { DrainEndReport } from '../../../sync/ports.ts';
import type { SyncStatus } from '../../../sync/sync-status.ts';
import { waitingCount } from '../../data/sync-indicator.ts';

/**
 * `backing-off`: a drain failed and the engine waits until `nextRetryAt`; `waiting`: writes are
 * queued, the device is online and nothing is in flight, between drains.
 */
export const ENGINE_PHASES = [
  'sending',
  'needs-sign-in',
  'offline',
  'backing-off',
  'waiting',
  'idle',
] as const;
export type EnginePhase = (typeof ENGINE_PHASES)[number];

export interface EngineView {
  phase: EnginePhase;
  online: boolean;
  /** Queued or being sent. */
  pendingCount: number;
  rejectedCount: number;
  blockedCount: number;
  /** ISO time a drain last succeeded on this device, if ever. */
  lastSentAt: string | null;
  /** The most recent refusal the server gave a queued write (the outbox keeps it until resolved). */
  lastError: (MutationError & { mutationId: string; entity: string; key: string }) | null;
  /** The engine's last failed drain (network, server, auth), and its next retry while backing off. */
  lastFailure: { kind: string; message: string; at: string } | null;
  nextRetryAt: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * When a drain last ended synced, by the sync log (kept across reloads, and holding the service
 * worker's drains too). The engine's own time is this page's only: after a reload it read "Never"
 * above a log of successful drains.
 */
export function lastSyncedAt(log: readonly { end: DrainEndReport | null }[]): number | null {
  let at: number | null = null;
  for (const e of log) if (e.end?.status === 'synced' && (at === null || e.end.at > at)) at = e.end.at;
  return at;
}

export function describeEngine(input: {
  status: SyncStatus;
  outbox: readonly LocalMutation[];
  /** The sync log's entries, when read. */
  log?: readonly { end: DrainEndReport | null }[];
}): EngineView {
  const { status, outbox } = input;
  const logged = lastSyncedAt(input.log ?? []);
  const engineAt = status.lastSuccessAt;
  const lastSuccess = logged === null ? engineAt : engineAt === null ? logged : Math.max(engineAt, logged);
  const counts = status.counts ?? { pending: 0, sending: 0, rejected: 0, blocked: 0 };
  const waiting = waitingCount(counts);
  const phase: EnginePhase =
    counts.sending > 0
      ? 'sending'
      : status.phase === 'needs-sign-in'
        ? 'needs-sign-in'
        : !status.online
          ? 'offline'
          : status.phase === 'backoff' && waiting > 0
            ? 'backing-off'
            : waiting > 0
              ? 'waiting'
              : 'idle';
  // The refusal of the latest-queued write that carries one (seq is the enqueue order).
  const refused = outbox
    .filter((m) => m.error)
    .reduce<LocalMutation | null>((latest, m) => (latest === null || m.seq > latest.seq ? m : latest), null);
  const lastError = refused?.error
    ? { ...refused.error, mutationId: refused.id, entity: refused.entity, key: refused.key }
    : null;
  const failure = status.lastError;
  return {
    phase,
    online: status.online,
    pendingCount: waiting,
    rejectedCount: counts.rejected,
    blockedCount: counts.blocked,
    lastSentAt: iso(lastSuccess),
    lastError,
    lastFailure: failure ? { kind: failure.kind, message: failure.message, at: iso(failure.at) ?? '' } : null,
    nextRetryAt: iso(status.nextRetryAt),
  };
}
