/**
 * A batch made ready to send: planned from the outbox a window at a time, what the plan implies
 * applied first (holds, vanished chains, oversize), then its entries marked `sending` and its wire
 * ids `attempted`, in one transaction, durably, before anything goes out: the server never holds a
 * write the device believes unsent. The push rounds ready the next batch while one is in flight, leaving that one's
 * entries out of the plan as if applied, and put it back (`unready`) when its answers say otherwise.
 */
import type { DrainContext } from './drain.ts';
import { isPlanCycleError } from './errors.ts';
import { refKey } from './local-mutation.ts';
import { housekeepingChange } from './outbox-changes.ts';
import { type InFlight, planInWindows, type WindowedPlan } from './plan-windows.ts';
import type { Plan, PlanLimits, PlannedMutation } from './planner.ts';
import type { OutboxSession, SyncStore } from './stores/sync-store.ts';

export interface ReadyBatch {
  batch: PlannedMutation[];
  /** Every outbox entry the batch settles, marked `sending`. */
  covered: string[];
  /** The ids that go on the wire, marked `attempted`. */
  wireIds: ReadonlySet<string>;
  /** The plan held more than this batch, or the outbox was not read to its end. */
  more: boolean;
  /** Where the plan after this batch may start reading (see `WindowedPlan.clearTo`). */
  clearTo: number;
}

const NOTHING: Plan = { batches: [], vanished: [], held: [], released: [], oversized: [] };

/**
 * Plans, applying what the plan implies before anything is sent. `ahead`: a batch on its way, left
 * out of the plan; what depends on it is planned as if it were applied.
 */
async function plan(
  ctx: DrainContext,
  outbox: OutboxSession,
  limits: PlanLimits,
  ahead?: InFlight,
): Promise<WindowedPlan> {
  for (let attempt = 0; attempt < 3; attempt++) {
    let windowed: WindowedPlan;
    try {
      // A window at a time, never the whole outbox: only the first batch goes out before the next plan.
      windowed = await planInWindows(outbox, limits, ctx.outboxWindow, ahead);
    } catch (e) {
      if (!isPlanCycleError(e)) throw e;
      // Only corrupt data can do this (deps always point back in time): surface it, do not spin.
      ctx.log.error('dependency cycle in the outbox', { ids: e.ids });
      const error = {
        code: 'conflict' as const,
        message: 'dependency cycle; discard and write again',
        field: null,
      };
      await outbox.apply({ patch: e.ids.map((id) => ({ id, state: 'rejected', error })) });
      continue;
    }
    const change = housekeepingChange(windowed.plan);
    if (change) await outbox.apply(change);
    // Oversized ones were just rejected: plan again so that nothing waiting on them goes out.
    if (windowed.plan.oversized.length === 0) return windowed;
  }
  return { plan: NOTHING, read: 0, more: false, clearTo: -1 };
}

/**
 * Plans the first batch and marks it, in one transaction of the store (`planning`): the entries are
 * marked as the plan read them, not read again. Null when nothing is left to send.
 */
export function ready(ctx: DrainContext, limits: PlanLimits, ahead?: InFlight): Promise<ReadyBatch | null> {
  return ctx.store.planning(async (outbox) => {
    const planned = await plan(ctx, outbox, limits, ahead);
    const batch = planned.plan.batches[0];
    if (!batch) return null;
    const covered = batch.flatMap((p) => p.covers.map((m) => m.id));
    // `attempted` marks only the id that goes on the wire: the others' ids never reach the ledger.
    // It must be on each record, durably, before the batch leaves: the save path (`enqueue.ts`) and
    // the planner read it per record, in other tabs too. So each wire entry is rewritten anyway, and
    // `sending` rides along at no cost; kept in memory instead it would save only the rewrite of a
    // group's non-wire members, and every tab's status would lose the count of what is in flight.
    const wireIds = new Set(batch.map((p) => p.wire.id));
    // With each entry's seq: what this transaction did not read yet is read as one range (see MutationPatch).
    await outbox.apply({
      patch: batch.flatMap((p) =>
        p.covers.map(({ id, seq }) =>
          wireIds.has(id) ? { id, seq, state: 'sending', attempted: true } : { id, seq, state: 'sending' },
        ),
      ),
    });
    const more = planned.more || planned.plan.batches.length > 1;
    return { batch, covered, wireIds, more, clearTo: planned.clearTo };
  });
}

/** The batch as the plan of the next one sees it while it is on its way. */
export function inFlight(r: ReadyBatch): InFlight {
  const upserts = r.batch.filter((p) => p.wire.op === 'upsert').map((p) => refKey(p.wire.entity, p.wire.key));
  return { ids: new Set(r.covered), upserts: new Set(upserts), clearTo: r.clearTo };
}

/** A batch that went out and failed: still attempted (the server may have committed), no longer in flight. */
export async function backToPending(store: SyncStore, r: ReadyBatch): Promise<void> {
  await store.apply({
    patch: r.batch.flatMap((p) => p.covers.map(({ id, seq }) => ({ id, seq, state: 'pending' as const }))),
  });
}

/**
 * A batch readied but never sent: pending again. Its wire ids stay `attempted`: without Web Locks
 * another drain of this store may have sent the same entries meanwhile, and an entry wrongly thought
 * unsent could vanish with a later delete while the server keeps its row. Wrongly thought sent, a
 * create-then-delete is only sent rather than dropped.
 */
export async function unready(store: SyncStore, r: ReadyBatch): Promise<void> {
  await backToPending(store, r);
}
