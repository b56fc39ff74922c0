/**
 * The planner turns the outbox into what to send: it holds back what waits behind a rejection,
 * drops create-then-delete chains the server never saw (with what needed them), coalesces repeated
 * upserts of a row (field by field, see field-changes.ts), orders the rest topologically and cuts batches under PUSH_LIMITS.
 * Pure: the outbox in, a plan out; the engine applies the plan's consequences to the store.
 */
import { isPlanCycleError, PlanCycleError } from './errors.ts';
import { coalesceEdits } from './field-changes.ts';
import { type LocalMutation, refKey, toWire } from './local-mutation.ts';
import { utf8Length } from './platform.ts';
import { type Mutation, PUSH_LIMITS } from './protocol.ts';

export interface PlanLimits {
  maxMutations: number;
  maxBytes: number;
}

export interface PlanOptions {
  limits?: PlanLimits;
  /** Merge consecutive upserts of one row into one wire mutation (default true). */
  coalesce?: boolean;
  /**
   * Ids still queued but not in `outbox` (it is one window of the outbox): what depends on them
   * waits for a later plan, neither sent nor marked.
   */
  waitingOn?: ReadonlySet<string>;
}

/** One wire mutation and the outbox entries it settles (the last one's id is the wire id). */
export interface PlannedMutation {
  wire: Mutation;
  covers: LocalMutation[];
}

export interface Plan {
  batches: PlannedMutation[][];
  /** Never-sent create-then-delete chains and what needed them: drop them and revert their rows. */
  vanished: LocalMutation[];
  /** Waiting behind a rejected mutation (`blockedBy` is that rejection). */
  held: { mutation: LocalMutation; blockedBy: string }[];
  /** Marked blocked before, now free to go (their blocker was retried or discarded). */
  released: LocalMutation[];
  /** Too big to send even alone. */
  oversized: PlannedMutation[];
}

function jsonBytes(value: unknown): number {
  return utf8Length(JSON.stringify(value));
}

function allDeps(m: LocalMutation): string[] {
  return [...m.deps, ...m.after];
}

/** Every entry reachable from `roots` along dependency edges reversed (who depends on whom). */
function dependentsOf(
  roots: readonly string[],
  entries: readonly LocalMutation[],
  edges: (m: LocalMutation) => readonly string[],
): Map<string, string> {
  const dependents = new Map<string, string[]>();
  for (const m of entries)
    for (const d of edges(m)) {
      const list = dependents.get(d) ?? [];
      list.push(m.id);
      dependents.set(d, list);
    }
  // id -> the root it was reached from
  const reached = new Map<string, string>();
  const isRoot = new Set(roots);
  const stack = roots.map((r) => [r, r] as const);
  while (stack.length > 0) {
    const [id, root] = stack.pop() as readonly [string, string];
    for (const next of dependents.get(id) ?? []) {
      if (reached.has(next) || isRoot.has(next)) continue;
      reached.set(next, root);
      stack.push([next, root]);
    }
  }
  return reached;
}

/** The entries `discard(id)` takes along: those that cannot happen without it (hard deps only). */
export function discardSet(id: string, outbox: readonly LocalMutation[]): LocalMutation[] {
  const reached = dependentsOf([id], outbox, (m) => m.deps);
  return outbox.filter((m) => m.id === id || reached.has(m.id));
}

export function planOutbox(outbox: readonly LocalMutation[], options: PlanOptions = {}): Plan {
  const limits = options.limits ?? PUSH_LIMITS;
  const coalesce = options.coalesce ?? true;
  const entries = [...outbox].sort((a, b) => a.seq - b.seq);
  const byId = new Map(entries.map((m) => [m.id, m]));

  // Chains of one row, in enqueue order.
  const chains = new Map<string, LocalMutation[]>();
  for (const m of entries) {
    const k = refKey(m.entity, m.key);
    const chain = chains.get(k);
    if (chain) chain.push(m);
    else chains.set(k, [m]);
  }
  // A create-then-delete the server never applied vanishes. "Never applied": each entry's own id
  // was never on the wire (`attempted` is set only for the id a group is sent under), or the
  // server answered it `rejected` (the ledger had not applied it; `blocked` proves nothing).
  const vanishing = new Set<string>();
  for (const chain of chains.values()) {
    const head = chain[0];
    const last = chain[chain.length - 1];
    if (!head || !last) continue;
    const neverApplied =
      head.createsRow &&
      head.op === 'upsert' &&
      last.op === 'delete' &&
      chain.every((m) => m.state === 'rejected' || !m.attempted);
    if (neverApplied) for (const m of chain) vanishing.add(m.id);
  }
  // What needed a vanished write (an appointment of a patient never sent) vanishes with it; what was
  // only ordered after it (a delete waiting for a child's write) just loses that edge.
  for (const [id] of dependentsOf([...vanishing], entries, (m) => m.deps)) vanishing.add(id);
  const vanished = entries.filter((m) => vanishing.has(m.id));
  const remaining = entries.filter((m) => !vanishing.has(m.id));

  const rejected = remaining.filter((m) => m.state === 'rejected').map((m) => m.id);
  const heldBy = dependentsOf(rejected, remaining, allDeps);
  const held = remaining.flatMap((m) => {
    const root = heldBy.get(m.id);
    return root ? [{ mutation: m, blockedBy: root }] : [];
  });
  const released = remaining.filter((m) => m.state === 'blocked' && !heldBy.has(m.id));
  const waiting = options.waitingOn?.size
    ? dependentsOf([...options.waitingOn], remaining, allDeps)
    : new Map<string, string>();
  const sendable = remaining.filter((m) => m.state !== 'rejected' && !heldBy.has(m.id) && !waiting.has(m.id));

  // Groups: one per entry, or runs of consecutive upserts of a row merged.
  const groups: LocalMutation[][] = [];
  const groupOf = new Map<string, number>();
  const lastGroupOfRow = new Map<string, number>();
  for (const m of sendable) {
    const k = refKey(m.entity, m.key);
    const g = lastGroupOfRow.get(k);
    const prev = g === undefined ? undefined : groups[g];
    const prevLast = prev?.[prev.length - 1];
    if (coalesce && g !== undefined && prev && prevLast?.op === 'upsert' && m.op === 'upsert') {
      prev.push(m);
      groupOf.set(m.id, g);
      continue;
    }
    groups.push([m]);
    groupOf.set(m.id, groups.length - 1);
    lastGroupOfRow.set(k, groups.length - 1);
  }

  // Edges between groups; deps on entries no longer in the outbox are already on the server.
  const incoming = groups.map(() => new Set<number>());
  const outgoing = groups.map(() => new Set<number>());
  groups.forEach((members, gi) => {
    for (const m of members)
      for (const d of allDeps(m)) {
        const dg = groupOf.get(d);
        if (dg === undefined || dg === gi || !byId.has(d)) continue;
        incoming[gi]?.add(dg);
        outgoing[dg]?.add(gi);
      }
  });

  // Kahn's algorithm, earliest enqueue first among the ready ones: the user's order where free.
  // Folded, not spread: a row edited many times offline makes a group of any size.
  const minSeq = groups.map((members) =>
    members.reduce((n, m) => Math.min(n, m.seq), Number.POSITIVE_INFINITY),
  );
  const indegree = incoming.map((s) => s.size);
  // `ready` stays sorted by descending seq, so pop() is the earliest; binary insertion keeps it so.
  const ready = groups.map((_, i) => i).filter((i) => indegree[i] === 0);
  ready.sort((a, b) => (minSeq[b] ?? 0) - (minSeq[a] ?? 0));
  const insertReady = (gi: number) => {
    const s = minSeq[gi] ?? 0;
    let lo = 0;
    let hi = ready.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((minSeq[ready[mid] as number] ?? 0) > s) lo = mid + 1;
      else hi = mid;
    }
    ready.splice(lo, 0, gi);
  };
  const order: number[] = [];
  while (ready.length > 0) {
    const gi = ready.pop() as number;
    order.push(gi);
    for (const next of outgoing[gi] ?? []) {
      indegree[next] = (indegree[next] ?? 0) - 1;
      if (indegree[next] === 0) insertReady(next);
    }
  }
  if (order.length < groups.length) {
    const stuck = groups.flatMap((members, i) => (order.includes(i) ? [] : members.map((m) => m.id)));
    throw new PlanCycleError(stuck);
  }

  const wireIdOf = (gi: number) => {
    const members = groups[gi] ?? [];
    return members[members.length - 1]?.id ?? '';
  };
  const planned: PlannedMutation[] = order.map((gi) => {
    const members = groups[gi] ?? [];
    const last = members[members.length - 1] as LocalMutation;
    const deps = [...(incoming[gi] ?? [])].map(wireIdOf);
    // A group goes out under its newest write's seq (what the server compares a late request
    // with), set here so that the bytes counted below are the bytes sent.
    // (One member: `toWire` gives it that seq already.)
    if (members.length === 1) return { wire: toWire(last, deps), covers: members };
    const wire = {
      ...toWire(last, deps),
      seq: members.reduce((n, m) => Math.max(n, m.wireSeq ?? m.seq), 0),
      // Whose the merged write is: the first account that wrote the row here, so that a later
      // account's edit never carries an earlier one's writes under its own name.
      actor: members.find((m) => m.actor !== null)?.actor ?? null,
    };
    // Merged field by field: what each edit changed, from the value its user first saw.
    const { base: _last, ...whole } = wire;
    const { data, base } = coalesceEdits(members);
    return { wire: { ...whole, data, ...(base === undefined ? {} : { base }) }, covers: members };
  });

  const batches: PlannedMutation[][] = [];
  const oversized: PlannedMutation[] = [];
  let current: PlannedMutation[] = [];
  let currentBytes = 2; // "[]"
  for (const p of planned) {
    const bytes = jsonBytes(p.wire);
    if (bytes + 2 > limits.maxBytes) {
      oversized.push(p);
      continue;
    }
    const extra = bytes + (current.length > 0 ? 1 : 0);
    if (current.length >= limits.maxMutations || currentBytes + extra > limits.maxBytes) {
      batches.push(current);
      current = [];
      currentBytes = 2;
    }
    currentBytes += bytes + (current.length > 0 ? 1 : 0);
    current.push(p);
  }
  if (current.length > 0) batches.push(current);
  return { batches, vanished, held, released, oversized };
}

/** Plans with coalescing, and without when merging would create a cycle (a row written both before and after something that depends on it). */
export function planOutboxSafely(outbox: readonly LocalMutation[], options: PlanOptions = {}): Plan {
  try {
    return planOutbox(outbox, options);
  } catch (e) {
    if (options.coalesce === false || !isPlanCycleError(e)) throw e;
    return planOutbox(outbox, { ...options, coalesce: false });
  }
}
