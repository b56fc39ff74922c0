/**
 * What the engine needs from a server. Implementations throw `SyncTransportError` (errors.ts) for
 * call-level failures; per-mutation outcomes come back as `PushResult`s, one per mutation, in order.
 */
import type { Mutation, PullResponse, PushResult } from '../protocol.ts';

export interface PullOptions {
  /** Most changes in this page (PULL_LIMITS); the server's default when absent. */
  maxRows?: number;
  /** Most bytes of JSON in this page (PULL_LIMITS); the server's default when absent. */
  maxBytes?: number;
}

export interface SyncTransport {
  push(clientId: string, mutations: readonly Mutation[]): Promise<PushResult[]>;
  /** One page of changes after `cursor`; while the answer `hasMore`, call again with its cursor. */
  pull(cursor: string | null, options?: PullOptions): Promise<PullResponse>;
}
