/**
 * The push half of a drain. Each round sends one batch, planned fresh from the outbox, and applies
 * its answers; each push asks for the pull page from the cursor in the same call (`pushAndPull`).
 *
 * The local work overlaps the network wait, without changing what the server sees: while a batch is
 * in flight, the previous batch's answers are applied and the next batch is planned and marked
 * (`ready`, leaving the batch in flight out). The next batch goes out only once the answers to the
 * one before are in and every one of them applied, so the server still receives batches one after
 * another, in dependency order, each marked `attempted` before it leaves. Otherwise the readied
 * batch is taken back (`unready`) and the next round plans again over the answers.
 *
 * A batch the server refuses whole (`split`) is not sent again as it was: the next round sends at
 * most half as many mutations, and so on down to the one to blame, which is rejected with the
 * server's reason; the next plan then holds what depends on it (blocked) and sends the rest. Each
 * batch that goes through doubles the size again, up to the limits. One poison write among n costs
 * about 2·log2(n) more calls, and nothing unrelated waits behind it.
 *
 * A refusal of a push that asked for the page may be the cursor's fault as well as the batch's (410
 * for a purged history): the rest of the drain then pushes without it, so the split and the pull's
 * full resync each see their own cause.
 */

import { classify } from './classify.ts';
import type { DrainContext } from './drain.ts';
import { type Call, Refused } from './drain-calls.ts';
import { backToPending, inFlight, type ReadyBatch, ready, unready } from './drain-plan.ts';
import { ERROR_KINDS, isTransportError, SyncTransportError } from './errors.ts';
import type { LocalMutation } from './local-mutation.ts';
import { refusedChange, resultsChange } from './outbox-changes.ts';
import type { PlannedMutation } from './planner.ts';
import { type Mutation, PUSH_LIMITS, type PullResponse, type PushResult } from './protocol.ts';
import type { OutboxChange } from './stores/sync-store.ts';
import type { PullOptions, PullRequest, SyncTransport } from './transports/transport.ts';

export interface PushedRounds {
  /** Mutations answered. */
  count: number;
  /** Rows merged from the pages the pushes brought back, and how many pages. */
  pulled: number;
  pages: number;
  /** The last push's page left nothing more to pull. */
  caughtUp: boolean;
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

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(p: Promise<T>): Promise<Outcome<T>> =>
  p.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );

export async function pushRounds(
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
  // The answers of the last batch, being applied while the next one is on its way.
  let applying: Promise<void> = Promise.resolve();
  // The cursor the last page left, known before its page is merged.
  let cursor: string | null | undefined;
  let next: ReadyBatch | null = null;
  try {
    for (let round = 0; round < (ctx.maxRounds ?? 100); round++) {
      const current: ReadyBatch | null =
        next ?? (await applying.then(() => ready(ctx, { ...limits, maxMutations: most })));
      next = null;
      if (!current) break;
      const { batch, wireIds }: ReadyBatch = current;
      // As planned: the planner gives a group its newest write's seq, and counted these bytes.
      const wire: Mutation[] = batch.map((p) => p.wire);
      const since = withPull ? (cursor !== undefined ? cursor : await store.getCursor()) : undefined;
      const pull = since === undefined ? undefined : { ...page, since };
      const flight: Promise<Outcome<PushAnswer | typeof PULL_REFUSED>> = settle(
        call(() => pushBatch(ctx.transport, clientId, wire, wireIds, pull)),
      );
      // Meanwhile: the previous answers, then the next batch as if this one were applied.
      const grown = Math.min(limits.maxMutations, most * 2);
      // Nothing more was planned: new writes wait for the next round, as they would have.
      const local: Promise<Outcome<ReadyBatch | null>> = settle(
        applying.then(() =>
          current.more ? ready(ctx, { ...limits, maxMutations: grown }, inFlight(current)) : null,
        ),
      );
      const [sent, readied]: [Outcome<PushAnswer | typeof PULL_REFUSED>, Outcome<ReadyBatch | null>] =
        await Promise.all([flight, local]);
      applying = Promise.resolve();
      if (!readied.ok) {
        if (!sent.ok) await backToPending(store, current);
        throw readied.error;
      }
      const following: ReadyBatch | null = readied.value;
      if (!sent.ok) {
        if (following) await unready(store, following);
        const e = sent.error;
        if (!(e instanceof Refused)) {
          await backToPending(store, current);
          throw e;
        }
        if (since !== undefined) {
          await pulledApart(ctx, current);
          withPull = false;
          cursor = undefined;
          continue;
        }
        const { kind, error } = e.action;
        const only = batch.length === 1 ? batch[0] : undefined;
        if (only) {
          await store.apply(withWireSeq(refusedChange(only, error), batch));
          ctx.log.warn('mutation refused whole; it needs attention', { id: only.wire.id, kind });
        } else {
          await backToPending(store, current);
          ctx.log.warn('batch refused whole; sending it in halves', { size: batch.length, kind });
        }
        most = Math.ceil(batch.length / 2);
        continue;
      }
      const answer = sent.value;
      if (answer === PULL_REFUSED) {
        if (following) await unready(store, following);
        await pulledApart(ctx, current);
        withPull = false;
        cursor = undefined;
        continue;
      }
      most = grown;
      // The readied batch goes next only if this one is all on the server: else it is planned again.
      if (following && answer.results.every((r) => classify({ result: r }).type === 'commit'))
        next = following;
      else if (following) await unready(store, following);
      if (answer.pull) cursor = answer.pull.cursor;
      pushed.caughtUp = answer.pull !== null && !answer.pull.hasMore;
      applying = applyAnswer(ctx, epoch, batch, answer, pushed);
      // With nothing readied, the next round plans over these answers: apply them first.
      if (!next) await applying;
    }
  } finally {
    // Never left half done: the last answers are applied, a readied batch that will not go is taken back.
    await applying;
    if (next) await unready(store, next);
  }
  return pushed;
}

/** The same batch goes again, alone: a refusal of it then splits it, a refused cursor resyncs. */
async function pulledApart(ctx: DrainContext, current: ReadyBatch): Promise<void> {
  await backToPending(ctx.store, current);
  ctx.log.warn('push with its pull refused; pushing and pulling apart', { size: current.batch.length });
}

/**
 * A batch's answers, then the page it brought, in one transaction (a row of this batch in the page is
 * no longer a pending write, so it merges).
 */
async function applyAnswer(
  ctx: DrainContext,
  epoch: number,
  batch: readonly PlannedMutation[],
  answer: PushAnswer,
  pushed: PushedRounds,
): Promise<void> {
  const { change, summary } = resultsChange(batch, answer.results);
  const answers = withWireSeq(change, batch);
  if (answer.pull) {
    // One transaction for both, the answers first (one commit fewer per round; see applyPull).
    pushed.pulled += (await ctx.store.applyPull(answer.pull, epoch, answers)).merged;
    pushed.pages++;
  } else await ctx.store.apply({ ...answers, epoch });
  pushed.count += batch.length;
  ctx.log.debug('pushed batch', { size: batch.length, ...summary });
}

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
      const newest = group.covers.reduce((n, m) => Math.max(n, seqOnWire(m)), 0);
      return newest > r.record.seq ? { ...r, record: { ...r.record, wireSeq: newest } } : r;
    }),
  };
}
