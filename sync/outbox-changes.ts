/**
 * Pure translations of decisions into one atomic `OutboxChange`: the answers to a pushed batch,
 * the planner's housekeeping, a discard (drop), a retry. The engine only sequences them.
 */
import { classify } from './classify.ts';
import { mergeBases } from './field-changes.ts';
import { isStorableText, UNSTORABLE_TEXT } from './free-text.ts';
import type { LocalMutation, MutationError, Row } from './local-mutation.ts';
import type { Plan, PlannedMutation } from './planner.ts';
import type { PushResult } from './protocol.ts';
import type { ConflictNotice, MutationPatch, OutboxChange, RowChange } from './stores/sync-store.ts';

function union(lists: readonly (readonly string[])[], exclude: ReadonlySet<string>): string[] {
  return [...new Set(lists.flat())].filter((id) => !exclude.has(id));
}

/** Rows as they were before the earliest of `entries` per row: what undoing them restores. */
export function revertedRows(entries: readonly LocalMutation[]): RowChange[] {
  const earliest = new Map<string, LocalMutation>();
  for (const m of entries) {
    const k = `${m.entity}:${m.key}`;
    const seen = earliest.get(k);
    if (!seen || m.seq < seen.seq) earliest.set(k, m);
  }
  return [...earliest.values()].map((m) => ({ table: m.entity, key: m.key, row: m.before as Row | null }));
}

/**
 * Sends a rejected entry again as a new one (a new id: the server's ledger already answered the old
 * one) carrying the row as it is now, in the old one's place; what depended on it follows the new id.
 */
export function retryChange(
  rejected: LocalMutation,
  row: Row | undefined,
  newId: string,
  createdAt: string,
): { change: OutboxChange; record: LocalMutation } {
  const { error: _error, blockedBy: _blockedBy, ...rest } = rejected;
  const record: LocalMutation = {
    ...rest,
    id: newId,
    state: 'pending',
    attempted: false,
    data: rejected.op === 'upsert' ? (row ?? rejected.data) : null,
    createdAt,
  };
  return {
    change: { replace: [{ replaces: [rejected.id], record }], rewire: { [rejected.id]: newId } },
    record,
  };
}

/** Undo `entries`: drop them, restore their rows, and unhook anything ordered after them. */
export function dropChange(entries: readonly LocalMutation[]): OutboxChange {
  const ids = entries.map((m) => m.id);
  return {
    remove: ids,
    localRows: revertedRows(entries),
    rewire: Object.fromEntries(ids.map((id) => [id, null])),
  };
}

/**
 * A rejected group becomes one entry (under the wire id the server judged) so the user sees and
 * fixes one thing; it keeps the group's first position, origin and `before` for a later discard.
 */
function collapseRejected(covers: readonly LocalMutation[], error: MutationError): OutboxChange {
  const first = covers[0] as LocalMutation;
  const last = covers[covers.length - 1] as LocalMutation;
  const ids = new Set(covers.map((m) => m.id));
  const { blockedBy: _dropped, base: _lastBase, ...rest } = last;
  // The collapsed entry still stands for every member's edit: the earliest base of each field.
  const base = mergeBases(covers.map((m) => m.base));
  const record: LocalMutation = {
    ...rest,
    ...(base === undefined ? {} : { base }),
    seq: first.seq,
    before: first.before,
    // An earlier member sent under its own id (response lost) may be on the server: then this row
    // exists there, and a later delete of it must be sent.
    createsRow: first.createsRow && !covers.slice(0, -1).some((m) => m.attempted),
    attempted: true,
    state: 'rejected',
    error,
    deps: union(
      covers.map((m) => m.deps),
      ids,
    ),
    after: union(
      covers.map((m) => m.after),
      ids,
    ),
    refKeys: [...new Set(covers.flatMap((m) => m.refKeys))],
  };
  const earlier = covers.slice(0, -1).map((m) => m.id);
  return {
    replace: [{ replaces: covers.map((m) => m.id), record }],
    rewire: Object.fromEntries(earlier.map((id) => [id, last.id])),
  };
}

/** The fields of this write the server kept another write's value of, to show beside them. */
function conflictsOf(p: PlannedMutation, result: PushResult, at: string): ConflictNotice[] {
  const answer = result.status === 'duplicate' ? result.first : result;
  if (answer.status !== 'applied') return [];
  return (answer.conflicts ?? []).map((c) => ({
    entity: p.wire.entity,
    key: p.wire.key,
    field: c.field,
    yours: c.yours,
    theirs: c.theirs,
    at,
  }));
}

/**
 * One change doing all of `parts`, each array built once: merging answer by answer copied every
 * array so far for each of a batch's answers, quadratic in the batch (at 1,000 mutations a batch,
 * the most memory a drain allocated in Chromium, measured with `bench/run.ts drain-10k`).
 */
function mergeAll(parts: readonly OutboxChange[]): OutboxChange {
  return {
    conflicts: parts.flatMap((c) => c.conflicts ?? []),
    replace: parts.flatMap((c) => c.replace ?? []),
    remove: parts.flatMap((c) => c.remove ?? []),
    patch: parts.flatMap((c) => c.patch ?? []),
    rewire: Object.assign({}, ...parts.map((c) => c.rewire)),
    serverRows: parts.flatMap((c) => c.serverRows ?? []),
    localRows: parts.flatMap((c) => c.localRows ?? []),
  };
}

export interface ResultSummary {
  applied: number;
  rejected: number;
  blocked: number;
}

/** The answers to one pushed batch, one per planned mutation (checked by the caller). */
export function resultsChange(
  batch: readonly PlannedMutation[],
  results: readonly PushResult[],
  at: string = new Date().toISOString(),
): { change: OutboxChange; summary: ResultSummary } {
  const byId = new Map(results.map((r) => [r.id, r]));
  const parts: OutboxChange[] = [];
  const summary: ResultSummary = { applied: 0, rejected: 0, blocked: 0 };
  for (const p of batch) {
    const result = byId.get(p.wire.id);
    if (!result) continue;
    const action = classify({ result });
    const ids = p.covers.map((m) => m.id);
    switch (action.type) {
      case 'commit':
        summary.applied++;
        parts.push({
          remove: ids,
          serverRows: [{ table: p.wire.entity, key: p.wire.key, row: action.row }],
          conflicts: conflictsOf(p, result, at),
        });
        break;
      case 'reject':
        summary.rejected++;
        parts.push(
          ids.length === 1
            ? { patch: [{ id: p.wire.id, state: 'rejected', error: action.error, blockedBy: null }] }
            : collapseRejected(p.covers, action.error),
        );
        break;
      case 'block':
        summary.blocked++;
        parts.push({ patch: ids.map((id) => ({ id, state: 'blocked', blockedBy: action.blockedBy })) });
        break;
      case 'split':
      case 'retry-later':
      case 'refresh-session':
      case 'pause':
        // Call-level actions never come from a per-mutation answer; left pending, sent again.
        parts.push({ patch: ids.map((id) => ({ id, state: 'pending' })) });
        break;
      default: {
        const never: never = action;
        throw new Error(`unhandled action ${JSON.stringify(never)}`);
      }
    }
  }
  return { change: mergeAll(parts), summary };
}

/**
 * A mutation the server refused as a whole batch of one (`split` down to it): rejected with the
 * server's words, as a `rejected` answer would be. When its text is what no server can store (U+0000,
 * a lone surrogate: written before the device checked, or by a bug) the field is named, so the form
 * can point at it.
 */
export function refusedChange(p: PlannedMutation, error: MutationError): OutboxChange {
  const field = error.field ?? unstorableField(p.wire.data);
  const named: MutationError = field
    ? { ...error, field, message: `${field} ${UNSTORABLE_TEXT}; ${error.message}` }
    : error;
  return p.covers.length === 1
    ? { patch: [{ id: p.wire.id, state: 'rejected', error: named, blockedBy: null }] }
    : collapseRejected(p.covers, named);
}

/** The first field (in key order) whose text, at any depth, Postgres or PostgREST cannot take. */
function unstorableField(data: Row | null): string | null {
  const holds = (v: unknown): boolean =>
    typeof v === 'string'
      ? !isStorableText(v)
      : typeof v === 'object' &&
        v !== null &&
        Object.entries(v).some(([k, x]) => !isStorableText(k) || holds(x));
  return (
    Object.keys(data ?? {})
      .sort()
      .find((k) => !isStorableText(k) || holds(data?.[k])) ?? null
  );
}

/** What a plan implies before anything is sent: vanished chains, holds, releases, oversize. */
export function housekeepingChange(plan: Plan): OutboxChange | null {
  const patch: MutationPatch[] = [];
  for (const { mutation, blockedBy } of plan.held)
    if (mutation.state !== 'blocked' || mutation.blockedBy !== blockedBy)
      patch.push({ id: mutation.id, state: 'blocked', blockedBy });
  for (const m of plan.released) patch.push({ id: m.id, state: 'pending', blockedBy: null });
  for (const p of plan.oversized)
    for (const m of p.covers)
      patch.push({
        id: m.id,
        state: 'rejected',
        error: { code: 'validation', message: 'too large to send; shorten the text and retry', field: null },
      });
  const vanished = plan.vanished.length > 0 ? dropChange(plan.vanished) : {};
  if (patch.length === 0 && plan.vanished.length === 0) return null;
  return mergeAll([vanished, { patch }]);
}
