/**
 * Plans the outbox a window at a time instead of reading it whole: the shortest prefix of it (in
 * `seq` order) whose first batch is full, read from the seq index one window after another. Only the
 * first batch is sent before the next plan, so what lies past it would only be parsed, planned and
 * dropped again, every round: at 10,000 entries that copy, and its plan, were most of the memory.
 *
 * Dependencies point back in `seq`, so a prefix holds what its entries depend on, with one exception:
 * a correction (`replacesRejected`) is a new, later entry that what waited on the rejected one now
 * depends on. Such ids, still queued past the prefix, are looked up by id and passed to the planner
 * as `waitingOn`: what depends on them waits for a later round, as it would behind an unsent parent.
 * A create-then-delete whose delete lies past the prefix is sent, then its delete: as if the delete
 * had been written after the create went out.
 */
import type { LocalMutation } from './local-mutation.ts';
import { type Plan, type PlanLimits, planOutboxSafely } from './planner.ts';
import type { SyncStore } from './stores/sync-store.ts';

export type OutboxReader = Pick<SyncStore, 'readOutbox' | 'outboxHolds'>;

/**
 * Entries read per window when the caller does not say: one batch, so that an outbox of fresh
 * writes is read (and parsed) once, batch by batch; never so few that a run of held entries at
 * the head of the outbox takes a read each.
 */
export function defaultWindow(limits: PlanLimits): number {
  return Math.max(limits.maxMutations, 100);
}

export interface WindowedPlan {
  plan: Plan;
  /** Outbox entries the plan was made from (the prefix read): what this round held in memory. */
  read: number;
}

/** Full: no later entry could join the first batch, so reading further cannot change it. */
function firstBatchFull(plan: Plan, limits: PlanLimits): boolean {
  return plan.batches.length > 1 || (plan.batches[0]?.length ?? 0) >= limits.maxMutations;
}

/** Ids the prefix depends on that are not in it (sent, or queued past it). */
function outside(prefix: readonly LocalMutation[]): string[] {
  const ids = new Set(prefix.map((m) => m.id));
  const missing = new Set<string>();
  for (const m of prefix) for (const d of [...m.deps, ...m.after]) if (!ids.has(d)) missing.add(d);
  return [...missing];
}

export async function planInWindows(
  store: OutboxReader,
  limits: PlanLimits,
  window: number = defaultWindow(limits),
): Promise<WindowedPlan> {
  const prefix: LocalMutation[] = [];
  let afterSeq = -1;
  for (;;) {
    const page = await store.readOutbox({ afterSeq, limit: window });
    prefix.push(...page.entries);
    afterSeq = page.entries[page.entries.length - 1]?.seq ?? afterSeq;
    // A full window of nothing readable (all quarantined) ends the plan rather than risk a loop.
    const more = page.more && page.entries.length > 0;
    // The whole outbox is read: a dependency not in it is on the server.
    const waitingOn = more ? await store.outboxHolds(outside(prefix)) : new Set<string>();
    const plan = planOutboxSafely(prefix, { limits, waitingOn });
    if (!more || firstBatchFull(plan, limits)) return { plan, read: prefix.length };
  }
}
