/**
 * What the testing screen shows about the sync engine, from what the app exposes of it: the engine
 * port's status (sending, last success, sign-in needed), the browser's network flag and the outbox,
 * counted exactly as the engine counts it (`outboxStatus`).
 */
import type { LocalMutation, MutationError } from '../../../sync/local-mutation.ts';
import { outboxStatus } from '../../../sync/sync-status.ts';
import type { EngineStatus } from '../../data/engine-port.ts';

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
  pendingCount: number;
  rejectedCount: number;
  blockedCount: number;
  /** ISO time the outbox last drained empty on this device, if ever. */
  lastSentAt: string | null;
  /** The most recent refusal the server gave a queued write (the outbox keeps it until resolved). */
  lastError: (MutationError & { mutationId: string; entity: string; key: string }) | null;
  /** The engine's last failed drain (network, server, auth) and its next retry, while backing off. */
  lastFailure: EngineStatus['lastFailure'];
  nextRetryAt: string | null;
}

export function describeEngine(input: {
  engine: EngineStatus;
  online: boolean;
  outbox: readonly LocalMutation[];
}): EngineView {
  const { engine, online, outbox } = input;
  const counts = outboxStatus(outbox);
  const phase: EnginePhase = engine.draining
    ? 'sending'
    : engine.needsSignIn
      ? 'needs-sign-in'
      : !online
        ? 'offline'
        : engine.nextRetryAt !== null && counts.pendingCount > 0
          ? 'backing-off'
          : counts.pendingCount > 0
            ? 'waiting'
            : 'idle';
  // The refusal of the latest-queued write that carries one (seq is the enqueue order).
  const refused = outbox
    .filter((m) => m.error)
    .reduce<LocalMutation | null>((latest, m) => (latest === null || m.seq > latest.seq ? m : latest), null);
  const lastError = refused?.error
    ? { ...refused.error, mutationId: refused.id, entity: refused.entity, key: refused.key }
    : null;
  return {
    phase,
    online,
    pendingCount: counts.pendingCount,
    rejectedCount: counts.rejectedCount,
    blockedCount: counts.blockedCount,
    lastSentAt: engine.lastSentAt,
    lastError,
    lastFailure: engine.lastFailure,
    nextRetryAt: engine.nextRetryAt,
  };
}
