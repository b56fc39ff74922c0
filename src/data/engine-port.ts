/**
 * What the screens need from the sync engine, in one small interface: the engine's own status
 * snapshot (`SyncStatus`, not a re-mapped copy) and the few commands they give. `engine-adapter.ts`
 * builds it from the engine in sync/, and tests pass a fake.
 */
import type { SyncStatus } from '../../sync/sync-status.ts';

export interface EnginePort {
  getStatus(): SyncStatus;
  /** Called on every status change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Drain now (the "Sync now" button, and after sign-in). */
  syncNow(): void;
  /** Drops a queued write (and what cannot happen without it), restoring the rows as they were. */
  discard(mutationId: string): Promise<void>;
  /** Moves every outbox record that does not read as an entry to the quarantine (QA's). */
  setAsideUnreadable(): Promise<void>;
  /** Sends a refused write again, carrying the row as it is now (after the patient fixed it). */
  retry(mutationId: string): Promise<void>;
  /** Idempotent; also restarts an engine that was stopped. */
  start(): void;
  /** Stops the triggers and waits for a drain in flight (sign-out clears the device meanwhile). */
  stop(): Promise<void>;
}
