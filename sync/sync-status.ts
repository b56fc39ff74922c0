/**
 * What the UI shows about syncing, as an external store (`subscribe` + `getSnapshot`, the shape
 * React's useSyncExternalStore wants): the snapshot object only changes when its content does.
 */
import type { ErrorKind } from './errors.ts';
import type { LocalMutation, MutationError, MutationState } from './local-mutation.ts';
import type { EntityName, MutationOp } from './protocol.ts';

export type SyncPhase = 'idle' | 'draining' | 'backoff' | 'needs-sign-in' | 'stopped';

export interface MutationStatus {
  id: string;
  entity: EntityName;
  key: string;
  op: MutationOp;
  state: MutationState;
  error: MutationError | null;
  blockedBy: string | null;
  createdAt: string;
}

export interface SyncStatus {
  phase: SyncPhase;
  online: boolean;
  /** Saved on the device, not yet on the server, and not stuck (rejected or blocked). */
  pendingCount: number;
  rejectedCount: number;
  blockedCount: number;
  /** A push is in flight from this engine. */
  sending: boolean;
  lastSuccessAt: number | null;
  lastError: { kind: ErrorKind; message: string; at: number } | null;
  needsSignIn: boolean;
  nextRetryAt: number | null;
  mutations: readonly MutationStatus[];
}

export const INITIAL_STATUS: SyncStatus = {
  phase: 'idle',
  online: true,
  pendingCount: 0,
  rejectedCount: 0,
  blockedCount: 0,
  sending: false,
  lastSuccessAt: null,
  lastError: null,
  needsSignIn: false,
  nextRetryAt: null,
  mutations: [],
};

export function outboxStatus(
  outbox: readonly LocalMutation[],
): Pick<SyncStatus, 'pendingCount' | 'rejectedCount' | 'blockedCount' | 'mutations'> {
  return {
    pendingCount: outbox.filter((m) => m.state === 'pending' || m.state === 'sending').length,
    rejectedCount: outbox.filter((m) => m.state === 'rejected').length,
    blockedCount: outbox.filter((m) => m.state === 'blocked').length,
    mutations: outbox.map((m) => ({
      id: m.id,
      entity: m.entity,
      key: m.key,
      op: m.op,
      state: m.state,
      error: m.error ?? null,
      blockedBy: m.blockedBy ?? null,
      createdAt: m.createdAt,
    })),
  };
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
    if (JSON.stringify(next) === JSON.stringify(this.snapshot)) return;
    this.snapshot = next;
    for (const l of [...this.listeners]) l();
  }
}
