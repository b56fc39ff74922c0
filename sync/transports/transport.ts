/**
 * What the engine needs from a server. Implementations throw `SyncTransportError` (errors.ts) for
 * call-level failures; per-mutation outcomes come back as `PushResult`s, one per mutation, in order.
 */
import type { Mutation, PullResponse, PushResult } from '../protocol.ts';

export interface SyncTransport {
  push(clientId: string, mutations: readonly Mutation[]): Promise<PushResult[]>;
  pull(cursor: string | null): Promise<PullResponse>;
}
