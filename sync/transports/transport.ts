/**
 * What the engine needs from a server. Implementations throw `SyncTransportError` (errors.ts) for
 * call-level failures; per-mutation outcomes come back as `PushResult`s, one per mutation, in order.
 */
import type { Mutation, PullResponse, PushAndPullResponse, PushResult } from '../protocol.ts';

export interface PullOptions {
  /** Most changes in this page (PULL_LIMITS); the server's default when absent. */
  maxRows?: number;
  /** Most bytes of JSON in this page (PULL_LIMITS); the server's default when absent. */
  maxBytes?: number;
  /**
   * A clinic kiosk's pull: no appointment rows, only their tombstones (a kiosk keeps none it did
   * not write; see `sync_pull`'s `kiosk`). Only a plain pull carries it, never a push's page.
   */
  kiosk?: boolean;
}

/** The page a push asks for with its batch: the changes after `since`, as a pull from it would. */
export interface PullRequest extends PullOptions {
  since: string | null;
}

export interface SyncTransport {
  push(clientId: string, mutations: readonly Mutation[]): Promise<PushResult[]>;
  /** One page of changes after `cursor`; while the answer `hasMore`, call again with its cursor. */
  pull(cursor: string | null, options?: PullOptions): Promise<PullResponse>;
  /**
   * `push` and, in the same round trip, the page `pull(request.since, request)` would answer once
   * the batch is applied (`pull` null from a server older than that: pull separately). The whole
   * call fails as one: a refused cursor refuses the batch too.
   * Optional so that a stand-in may leave it out; the drain then pushes and pulls in separate
   * calls. A wrapper of another transport must pass it on, or the app pays a round trip per drain.
   */
  pushAndPull?(
    clientId: string,
    mutations: readonly Mutation[],
    request: PullRequest,
  ): Promise<PushAndPullResponse>;
}
