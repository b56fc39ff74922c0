/**
 * One drain, top to bottom: plan the outbox, push it batch by batch and apply each batch's answers
 * (`drain-push.ts`, planning in `drain-plan.ts`), then pull page after page (`pull-pages.ts`). Each
 * push asks for the pull page in the same call, so a drain of one batch with nothing more to pull is
 * one round trip. No timers and no scheduling (`scheduler.ts` decides when); a call that fails the
 * whole drain (network, 5xx, auth) ends it with the classified action, and a batch the server
 * refuses for what it holds is split until the mutation to blame is found.
 */
import { callOnce, type DrainFailure, Stop } from './drain-calls.ts';
import { pushRounds } from './drain-push.ts';
import { ERROR_KINDS } from './errors.ts';
import type { PlanLimits } from './planner.ts';
import type { Logger } from './ports.ts';
import { PULL_LIMITS } from './protocol.ts';
import { pullPages } from './pull-pages.ts';
import type { SyncStore } from './stores/sync-store.ts';
import type { PullOptions, SyncTransport } from './transports/transport.ts';

export type { DrainFailure } from './drain-calls.ts';

/**
 * Rows per pull page the engine asks for: about 2 MB of JSON, where one answer used to carry
 * everything (over 5 MB for a kiosk's first pull, which holds every future slot of every clinic).
 * Bigger than the server's default (PULL_LIMITS.defaultRows) because each page is a round trip on a
 * slow link. Measured with `bench/run.ts sync` (100 ms latency, a new kiosk's 1,000 writes and its
 * first pull): 15 round trips with pages of 1,000 rows, 9 with 2,000, 5 with 5,000.
 */
export const DEFAULT_PULL_PAGE_ROWS = 5 * PULL_LIMITS.defaultRows;

/**
 * Bytes per pull page the engine asks for (the server's estimate of the answer's JSON): what bounds
 * one answer in memory and in flight, where rows vary from a 40-byte slot to a kilobyte of patient.
 * A page must arrive within the transport's timeout on 2G; 1 MiB of JSON is about a fifth of that
 * gzipped. Four times the server's default, because each page is a round trip: a new phone's first
 * sync (55 KB, slots as runs) and a kiosk's pull after a drain of 1,000 writes are one page each.
 */
export const DEFAULT_PULL_PAGE_BYTES = 4 * PULL_LIMITS.defaultBytes;

export interface DrainContext {
  store: SyncStore;
  transport: SyncTransport;
  log: Logger;
  /** Refreshes the auth session; true when a valid session is now in place. */
  refreshSession?: (() => Promise<boolean>) | undefined;
  limits?: PlanLimits | undefined;
  /** Outbox entries read per window when planning (see plan-windows.ts). */
  outboxWindow?: number | undefined;
  /** Most push rounds in one drain before yielding to the timer. */
  maxRounds?: number | undefined;
  /** Most changes per pull page. */
  pullPageRows?: number | undefined;
  /** Most bytes per pull page (the server's estimate): what one answer may hold in memory. */
  pullPageBytes?: number | undefined;
  /** Most pull pages in one drain; if the server still has more, `morePull` says so. */
  maxPullPages?: number | undefined;
}

export type DrainOutcome =
  /** `pulled`: rows merged from every page; `morePull`: pages were left for the next drain. */
  | { status: 'synced'; pushed: number; pulled: number; pages: number; morePull: boolean }
  | { status: 'failed'; failure: DrainFailure };

export async function drain(ctx: DrainContext): Promise<DrainOutcome> {
  try {
    return await drainOrStop(ctx);
  } catch (e) {
    if (e instanceof Stop) return { status: 'failed', failure: e.failure };
    ctx.log.error('drain crashed', { error: e instanceof Error ? e.name : 'unknown' });
    const failure: DrainFailure = {
      type: 'retry-later',
      kind: ERROR_KINDS.badResponse,
      message: String(e),
      retryAfterMs: null,
    };
    return { status: 'failed', failure };
  }
}

async function drainOrStop(ctx: DrainContext): Promise<DrainOutcome> {
  const clientId = await ctx.store.getClientId();
  // Answers are merged only if nobody purged everyone (signed out) while they were on the way.
  const epoch = await ctx.store.getEpoch();
  const call = callOnce(ctx.refreshSession);
  // One page size for the pages pushes bring back and the pulls after them.
  const page: PullOptions = {
    maxRows: ctx.pullPageRows ?? DEFAULT_PULL_PAGE_ROWS,
    maxBytes: ctx.pullPageBytes ?? DEFAULT_PULL_PAGE_BYTES,
  };

  const pushed = await pushRounds(ctx, clientId, epoch, call, page);
  const done = { status: 'synced', pushed: pushed.count } as const;
  // The last push brought the pull up to date: no separate pull.
  if (pushed.caughtUp) return { ...done, pulled: pushed.pulled, pages: pushed.pages, morePull: false };
  const maxPages = ctx.maxPullPages ?? 50;
  const rest = await pullPages({ ...ctx, page, maxPages }, call, epoch, pushed.pages);
  return { ...done, pulled: pushed.pulled + rest.pulled, pages: rest.pages, morePull: rest.morePull };
}
