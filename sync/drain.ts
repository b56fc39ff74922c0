/**
 * One drain, top to bottom: plan the outbox, push it batch by batch and apply each batch's answers,
 * then pull page after page. Each push asks for the pull page in the same call, so a drain of one
 * batch with nothing more to pull is one round trip. No timers and no scheduling (`scheduler.ts`
 * decides when); a call that fails the whole drain (network, 5xx, auth) ends it with the classified
 * action, and a batch the server refuses for what it holds is split until the mutation to blame is
 * found.
 */
import { type Call, callOnce, type DrainFailure, Refused, Stop } from './drain-calls.ts';
import { ERROR_KINDS, isPlanCycleError, isTransportError, SyncTransportError } from './errors.ts';
import type { LocalMutation } from './local-mutation.ts';
import { housekeepingChange, refusedChange, resultsChange } from './outbox-changes.ts';
import { planInWindows } from './plan-windows.ts';
import type { Plan, PlanLimits, PlannedMutation } from './planner.ts';
import type { Logger } from './ports.ts';
import { type Mutation, PULL_LIMITS, PUSH_LIMITS, type PullResponse, type PushResult } from './protocol.ts';
import { pullPages } from './pull-pages.ts';
import type { OutboxChange, SyncStore } from './stores/sync-store.ts';
import type { PullOptions, PullRequest, SyncTransport } from './transports/transport.ts';

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

interface PushedRounds {
  /** Mutations answered. */
  count: number;
  /** Rows merged from the pages the pushes brought back, and how many pages. */
  pulled: number;
  pages: number;
  /** The last push's page left nothing more to pull. */
  caughtUp: boolean;
}

/**
 * Push rounds: each sends the first batch of a fresh plan and applies its answers. A batch the server
 * refuses whole (`split`) is not sent again as it was: the next round sends at most half as many
 * mutations, and so on down to the one to blame, which is rejected with the server's reason; the next
 * plan then holds what depends on it (blocked) and sends the rest. Each batch that goes through
 * doubles the size again, up to the limits. One poison write among n costs about 2·log2(n) more
 * calls, and nothing unrelated waits behind it.
 *
 * Each push asks for the pull page from the store's cursor in the same call (`pushAndPull`) and
 * merges it, after the batch's answers, as a pulled page. A refusal of such a call may be the
 * cursor's fault as well as the batch's (410 for a purged history): the rest of the drain then
 * pushes without it, so the split and the pull's full resync each see their own cause.
 */
async function pushRounds(
  ctx: DrainContext,
  clientId: string,
  epoch: number,
  call: Call,
  page: PullOptions,
): Promise<PushedRounds> {
  const { store } = ctx;
  const limits = ctx.limits ?? PUSH_LIMITS;
  let most = limits.maxMutations;
  let withPull = ctx.transport.pushAndPull !== undefined;
  const pushed: PushedRounds = { count: 0, pulled: 0, pages: 0, caughtUp: false };
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
    const since = withPull ? await store.getCursor() : undefined;
    let answer: PushAnswer | typeof PULL_REFUSED;
    try {
      const pull = since === undefined ? undefined : { ...page, since };
      answer = await call(() => pushBatch(ctx.transport, clientId, wire, wireIds, pull));
    } catch (e) {
      if (!(e instanceof Refused)) {
        await backToPending();
        throw e;
      }
      if (since !== undefined) answer = PULL_REFUSED;
      else {
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
    }
    if (answer === PULL_REFUSED) {
      // The same batch goes again, alone: a refusal of it then splits it, a refused cursor resyncs.
      await backToPending();
      ctx.log.warn('push with its pull refused; pushing and pulling apart', { size: batch.length });
      withPull = false;
      continue;
    }
    most = Math.min(limits.maxMutations, most * 2);
    const { change, summary } = resultsChange(batch, answer.results);
    await store.apply({ ...withWireSeq(change, batch), epoch });
    pushed.count += batch.length;
    ctx.log.debug('pushed batch', { size: batch.length, ...summary });
    // After the answers: a row of this batch in the page is no longer a pending write, so it merges.
    if (answer.pull) {
      pushed.pulled += (await store.applyPull(answer.pull, epoch)).merged;
      pushed.pages++;
    }
    pushed.caughtUp = answer.pull !== null && !answer.pull.hasMore;
  }
  return pushed;
}

interface PushAnswer {
  results: PushResult[];
  /** The page after the batch, when the push asked for it. */
  pull: PullResponse | null;
}

/**
 * A push that asked for the pull page was refused: by a 4xx nothing was applied; by an answer that
 * did not parse the batch may have been, and the ledger answers its second sending `duplicate`.
 */
const PULL_REFUSED: unique symbol = Symbol('pull refused');

/** Pushes `wire`, asking for the page `request` names unless it is undefined. */
async function pushBatch(
  transport: SyncTransport,
  clientId: string,
  wire: Mutation[],
  wireIds: ReadonlySet<string>,
  request: PullRequest | undefined,
): Promise<PushAnswer | typeof PULL_REFUSED> {
  if (request === undefined || !transport.pushAndPull)
    return { results: matching(wireIds, await transport.push(clientId, wire)), pull: null };
  try {
    const { results, pull } = await transport.pushAndPull(clientId, wire, request);
    return { results: matching(wireIds, results), pull };
  } catch (e) {
    // 410: the server purged the history this cursor points into; not a failure of the batch.
    if (request.since !== null && isTransportError(e) && e.status === 410) return PULL_REFUSED;
    throw e;
  }
}

/** One answer per wire mutation, under its id; else the answer is not to this batch (`split`). */
function matching(wireIds: ReadonlySet<string>, results: PushResult[]): PushResult[] {
  if (results.length === wireIds.size && results.every((r) => wireIds.has(r.id))) return results;
  throw new SyncTransportError(ERROR_KINDS.badResponse, 'sync_push: answers do not match the batch', 200);
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
