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
import { type LocalMutation, refKey } from './local-mutation.ts';
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
  /** The outbox was not read to its end: entries past the prefix may be sendable. */
  more: boolean;
  /**
   * Every entry read up to this seq is in the first batch (or was in flight): once that batch is on
   * the server, the next plan may start reading after it (`from`). New entries only get higher seqs.
   */
  clearTo: number;
}

/** The seq up to which every entry of `prefix` (in seq order) is in the first batch. */
function clearedUpTo(prefix: readonly LocalMutation[], plan: Plan, from: number): number {
  const first = new Set((plan.batches[0] ?? []).flatMap((p) => p.covers.map((m) => m.id)));
  let to = from;
  for (const m of prefix) {
    if (!first.has(m.id)) break;
    to = m.seq;
  }
  return to;
}

/** Full: no later entry could join the first batch, so reading further cannot change it. */
function firstBatchFull(plan: Plan, limits: PlanLimits): boolean {
  return plan.batches.length > 1 || (plan.batches[0]?.length ?? 0) >= limits.maxMutations;
}

/** Ids the prefix depends on that are not in it (sent, or queued past it), in flight aside. */
function outside(prefix: readonly LocalMutation[], inFlight: ReadonlySet<string>): string[] {
  const ids = new Set(prefix.map((m) => m.id));
  const missing = new Set<string>();
  const add = (d: string) => {
    if (!ids.has(d) && !inFlight.has(d)) missing.add(d);
  };
  for (const m of prefix) {
    m.deps.forEach(add);
    m.after.forEach(add);
  }
  return [...missing];
}

/** A batch on its way while the next one is planned (see `planInWindows`). */
export interface InFlight {
  /** Its outbox entries. */
  ids: ReadonlySet<string>;
  /** `entity:key` of the rows it upserts. */
  upserts: ReadonlySet<string>;
  /** Every entry up to this seq is in it (the `clearTo` of the plan that made it). */
  clearTo: number;
}

/**
 * The entry as it will be once the batch in flight is applied: a row that batch upserts exists on
 * the server, so its later writes no longer create it (what merging that batch's answers records),
 * and a create-then-delete of it must be sent, not dropped.
 */
function asIfApplied(m: LocalMutation, inFlight: InFlight | undefined): LocalMutation {
  return m.createsRow && inFlight?.upserts.has(refKey(m.entity, m.key)) ? { ...m, createsRow: false } : m;
}

/**
 * `inFlight`: a batch on its way (the drain plans the next batch meanwhile). Its entries are left
 * out, and the plan is made as if the server had applied them: the drain sends it only once their
 * answers say so. Reading starts after the entries that all belong to it.
 */
export async function planInWindows(
  store: OutboxReader,
  limits: PlanLimits,
  window: number = defaultWindow(limits),
  inFlight?: InFlight,
): Promise<WindowedPlan> {
  const prefix: LocalMutation[] = [];
  const from = inFlight?.clearTo ?? -1;
  const skipped = inFlight?.ids ?? new Set<string>();
  let afterSeq = from;
  for (;;) {
    const page = await store.readOutbox({ afterSeq, limit: window });
    for (const m of page.entries) if (!skipped.has(m.id)) prefix.push(asIfApplied(m, inFlight));
    afterSeq = page.entries[page.entries.length - 1]?.seq ?? afterSeq;
    // A full window of nothing readable (all quarantined) ends the plan rather than risk a loop.
    const more = page.more && page.entries.length > 0;
    // The whole outbox is read: a dependency not in it is on the server.
    const waitingOn = more ? await store.outboxHolds(outside(prefix, skipped)) : new Set<string>();
    const plan = planOutboxSafely(prefix, { limits, waitingOn });
    if (!more || firstBatchFull(plan, limits))
      return { plan, read: prefix.length, more, clearTo: clearedUpTo(prefix, plan, from) };
  }
}
