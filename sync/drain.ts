/**
 * One drain, top to bottom: plan the outbox, push it batch by batch and apply each batch's answers,
 * then pull page after page. No timers and no scheduling (`scheduler.ts` decides when); a call that
 * fails the whole drain (network, 5xx, auth) ends it with the classified action, and a batch the
 * server refuses for what it holds is split until the mutation to blame is found.
 */
import { classify, type SyncAction } from './classify.ts';
import { ERROR_KINDS, isPlanCycleError, isTransportError, SyncTransportError } from './errors.ts';
import type { LocalMutation } from './local-mutation.ts';
import { housekeepingChange, refusedChange, resultsChange } from './outbox-changes.ts';
import { planInWindows } from './plan-windows.ts';
import type { Plan, PlanLimits, PlannedMutation } from './planner.ts';
import type { Logger } from './ports.ts';
import { PULL_LIMITS, PUSH_LIMITS, type PushResult } from './protocol.ts';
import type { OutboxChange, SyncStore } from './stores/sync-store.ts';
import type { SyncTransport } from './transports/transport.ts';

/**
 * Rows per pull page the engine asks for: about 2 MB of JSON, where one answer used to carry
 * everything (over 5 MB for a kiosk's first pull, which holds every future slot of every clinic).
 * Bigger than the server's default (PULL_LIMITS.defaultRows) because each page is a round trip on a
 * slow link. Measured with `bench/run.ts sync` (100 ms latency, a new kiosk's 1,000 writes and its
 * first pull): 15 round trips with pages of 1,000 rows, 9 with 2,000, 5 with 5,000.
 */
export const DEFAULT_PULL_PAGE_ROWS = 5 * PULL_LIMITS.defaultRows;

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
  /** Changes per pull page: what one answer may hold in memory. */
  pullPageRows?: number | undefined;
  /** Most pull pages in one drain; if the server still has more, `morePull` says so. */
  maxPullPages?: number | undefined;
}

/** A failure that ends the whole drain. */
export type DrainFailure = Extract<SyncAction, { type: 'retry-later' | 'refresh-session' | 'pause' }>;

export type DrainOutcome =
  /** `pulled`: rows merged from every page; `morePull`: pages were left for the next drain. */
  | { status: 'synced'; pushed: number; pulled: number; pages: number; morePull: boolean }
  | { status: 'failed'; failure: DrainFailure };

/** Thrown inside a drain to end it; never leaves `drain`. */
class Stop {
  constructor(readonly failure: DrainFailure) {}
}

/** Thrown by a call the server refused for what it carried; the push rounds split the batch. */
class Refused {
  constructor(readonly action: Extract<SyncAction, { type: 'split' }>) {}
}

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

/** A pull the server will not continue from this cursor: resync from the start. */
const CURSOR_GONE: unique symbol = Symbol('cursor gone');

async function drainOrStop(ctx: DrainContext): Promise<DrainOutcome> {
  const { store, transport } = ctx;
  const clientId = await store.getClientId();
  // Answers are merged only if nobody purged everyone (signed out) while they were on the way.
  let epoch = await store.getEpoch();
  const call = callOnce(ctx);

  const pushed = await pushRounds(ctx, clientId, epoch, call);

  // Page after page, each merged with its cursor in one store transaction as it arrives: one page in
  // memory at a time, and a failure mid-way keeps the pages already merged.
  const maxRows = ctx.pullPageRows ?? DEFAULT_PULL_PAGE_ROWS;
  const maxPages = ctx.maxPullPages ?? 50;
  let pulled = 0;
  let resynced = false;
  for (let pages = 1; ; pages++) {
    const cursor = await store.getCursor();
    const page = await call(() =>
      transport.pull(cursor, { maxRows }).catch((e: unknown): typeof CURSOR_GONE => {
        // 410: the server purged the history this cursor points into (sync retention).
        if (cursor !== null && isTransportError(e) && e.status === 410) return CURSOR_GONE;
        throw e;
      }),
    ).catch((e: unknown): typeof CURSOR_GONE => {
      // A page cannot be split. A refused pull from a cursor is a cursor the server will not take.
      if (e instanceof Refused && cursor !== null) return CURSOR_GONE;
      if (!(e instanceof Refused)) throw e;
      const { kind, error } = e.action;
      throw new Stop({ type: 'retry-later', kind, message: error.message, retryAfterMs: null });
    });
    if (page === CURSOR_GONE) {
      if (resynced) {
        const message = 'the server refused a full pull after a resync';
        throw new Stop({ type: 'retry-later', kind: ERROR_KINDS.badRequest, message, retryAfterMs: null });
      }
      // Full resync, never silent loss: the device's copies of server rows go (rows with unsent
      // writes stay, and so does the whole outbox), and the pull starts again from nothing, so a row
      // deleted on the server while this device was away does not linger. Conflict notices and
      // quarantined records go with them, as on sign-out.
      ctx.log.warn('pull cursor refused: full resync', { hadCursor: true });
      await store.purge({ everyone: true });
      epoch = await store.getEpoch();
      resynced = true;
      continue;
    }
    pulled += (await store.applyPull(page, epoch)).merged;
    const done = { status: 'synced', pushed, pulled, pages } as const;
    if (!page.hasMore) return { ...done, morePull: false };
    // Signed out meanwhile: the page was dropped and the cursor reset; the next session's drain
    // starts over under its own user.
    if ((await store.getEpoch()) !== epoch) return { ...done, morePull: false };
    if (pages >= maxPages) return { ...done, morePull: true };
  }
}

type Call = <T>(fn: () => Promise<T>) => Promise<T>;

/**
 * Push rounds: each sends the first batch of a fresh plan and applies its answers. A batch the server
 * refuses whole (`split`) is not sent again as it was: the next round sends at most half as many
 * mutations, and so on down to the one to blame, which is rejected with the server's reason; the next
 * plan then holds what depends on it (blocked) and sends the rest. Each batch that goes through
 * doubles the size again, up to the limits. One poison write among n costs about 2·log2(n) more
 * calls, and nothing unrelated waits behind it. Returns how many mutations were answered.
 */
async function pushRounds(ctx: DrainContext, clientId: string, epoch: number, call: Call): Promise<number> {
  const { store, transport } = ctx;
  const limits = ctx.limits ?? PUSH_LIMITS;
  let most = limits.maxMutations;
  let pushed = 0;
  for (let round = 0; round < (ctx.maxRounds ?? 100); round++) {
    const batch = (await plan(ctx, { ...limits, maxMutations: most })).batches[0];
    if (!batch) break;
    const covered = batch.flatMap((p) => p.covers.map((m) => m.id));
    // `attempted` marks only the id that goes on the wire: the others' ids never reach the ledger.
    const wireIds = new Set(batch.map((p) => p.wire.id));
    await store.apply({
      patch: covered.map((id) =>
        wireIds.has(id) ? { id, state: 'sending', attempted: true } : { id, state: 'sending' },
      ),
    });
    // Still attempted (the server may have committed), but no longer in flight.
    const backToPending = () => store.apply({ patch: covered.map((id) => ({ id, state: 'pending' })) });
    // As planned: the planner gives a group its newest write's seq, and counted these bytes.
    const wire = batch.map((p) => p.wire);
    let results: PushResult[];
    try {
      results = await call(async () => matching(wireIds, await transport.push(clientId, wire)));
    } catch (e) {
      if (!(e instanceof Refused)) {
        await backToPending();
        throw e;
      }
      const { kind, error } = e.action;
      const only = batch.length === 1 ? batch[0] : undefined;
      if (only) {
        await store.apply(withWireSeq(refusedChange(only, error), batch));
        ctx.log.warn('mutation refused whole; it needs attention', { id: only.wire.id, kind });
      } else {
        await backToPending();
        ctx.log.warn('batch refused whole; sending it in halves', { size: batch.length, kind });
      }
      most = Math.ceil(batch.length / 2);
      continue;
    }
    most = Math.min(limits.maxMutations, most * 2);
    const { change, summary } = resultsChange(batch, results);
    await store.apply({ ...withWireSeq(change, batch), epoch });
    pushed += batch.length;
    ctx.log.debug('pushed batch', { size: batch.length, ...summary });
  }
  return pushed;
}

/** One answer per wire mutation, under its id; else the answer is not to this batch (`split`). */
function matching(wireIds: ReadonlySet<string>, results: PushResult[]): PushResult[] {
  if (results.length === wireIds.size && results.every((r) => wireIds.has(r.id))) return results;
  throw new SyncTransportError(ERROR_KINDS.badResponse, 'sync_push: answers do not match the batch', 200);
}

/** Runs a server call; a 401 refreshes the session once per drain and tries again. */
function callOnce(ctx: DrainContext): Call {
  let refreshed = false;
  return async (fn) => {
    for (;;) {
      try {
        return await fn();
      } catch (error) {
        const action = classify({ error });
        if (action.type === 'refresh-session' && !refreshed && ctx.refreshSession) {
          refreshed = true;
          if (await ctx.refreshSession().catch(() => false)) continue;
        }
        if (action.type === 'split') throw new Refused(action);
        if (action.type === 'retry-later' || action.type === 'refresh-session' || action.type === 'pause')
          throw new Stop(action);
        throw error;
      }
    }
  };
}

/** Plans, applying what the plan implies before anything is sent (holds, vanished, oversize). */
async function plan(ctx: DrainContext, limits: PlanLimits): Promise<Plan> {
  for (let attempt = 0; attempt < 3; attempt++) {
    let plan: Plan;
    try {
      // A window at a time, never the whole outbox: only the first batch goes out before the next plan.
      plan = (await planInWindows(ctx.store, limits, ctx.outboxWindow)).plan;
    } catch (e) {
      if (!isPlanCycleError(e)) throw e;
      // Only corrupt data can do this (deps always point back in time): surface it, do not spin.
      ctx.log.error('dependency cycle in the outbox', { ids: e.ids });
      const error = {
        code: 'conflict' as const,
        message: 'dependency cycle; discard and write again',
        field: null,
      };
      await ctx.store.apply({ patch: e.ids.map((id) => ({ id, state: 'rejected', error })) });
      continue;
    }
    const change = housekeepingChange(plan);
    if (change) await ctx.store.apply(change);
    // Oversized ones were just rejected: plan again so that nothing waiting on them goes out.
    if (plan.oversized.length === 0) return plan;
  }
  return { batches: [], vanished: [], held: [], released: [], oversized: [] };
}

function seqOnWire(m: LocalMutation): number {
  return m.wireSeq ?? m.seq;
}

/**
 * A rejected group becomes one record that keeps its first member's seq (its place in the outbox);
 * it remembers the group's newest seq for the wire, or a retry of it would look older than a member
 * the server may already have applied, and be answered as superseded.
 */
function withWireSeq(change: OutboxChange, batch: readonly PlannedMutation[]): OutboxChange {
  if (!change.replace?.length) return change;
  return {
    ...change,
    replace: change.replace.map((r) => {
      const group = batch.find((p) => p.covers.some((m) => r.replaces.includes(m.id)));
      if (!group) return r;
      const newest = Math.max(...group.covers.map(seqOnWire));
      return newest > r.record.seq ? { ...r, record: { ...r.record, wireSeq: newest } } : r;
    }),
  };
}
