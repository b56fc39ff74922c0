/**
 * What the screens need from the sync engine, in one small interface: the status they show and the
 * few commands they give. `services.ts` adapts the engine in sync/ to it, so a change of the engine's
 * API touches one file, and tests can pass a fake.
 */
export interface EngineStatus {
  /** A push or pull is in flight. */
  draining: boolean;
  /** When the outbox last drained empty (ISO), if ever on this device. */
  lastSentAt: string | null;
  /** No session: queued writes wait until the patient signs in (or anonymous sign-in succeeds). */
  needsSignIn: boolean;
  /** The last failed drain (network, server, auth), cleared by the next success; for testers. */
  lastFailure: { kind: string; message: string; at: string } | null;
  /** When the engine will try again after a failure (ISO), if it is backing off. */
  nextRetryAt: string | null;
}

export interface EnginePort {
  getStatus(): EngineStatus;
  /** Called on every status change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Drain now (the "Sync now" button, and after sign-in). */
  syncNow(): void;
  /** Drops a queued write (and what cannot happen without it), restoring the rows as they were. */
  discard(mutationId: string): Promise<void>;
  /** Sends a refused write again, carrying the row as it is now (after the patient fixed it). */
  retry(mutationId: string): Promise<void>;
  /** Idempotent; also restarts an engine that was stopped. */
  start(): void;
  /** Stops the triggers and waits for a drain in flight (sign-out clears the device meanwhile). */
  stop(): Promise<void>;
}
