/**
 * One `OutboxChange` applied inside a store transaction: replaces, removals, patches, rewiring,
 * restored rows and server rows (merged unless a local write of the row is still queued).
 */
import { type LocalMutation, type Row, refKey } from '../local-mutation.ts';
import { ENTITY_NAMES } from '../protocol.ts';
import type { RawTx } from './raw-tables.ts';
import {
  ALL_TABLES,
  type ApplyReport,
  type MutationPatch,
  type OutboxChange,
  type RowChange,
} from './sync-store.ts';
import { isEntity, type TxReader } from './tx-reader.ts';

function versionOf(row: Row | undefined): number | null {
  return typeof row?.version === 'number' ? row.version : null;
}

/** Bumped by a purge of everyone (see `SyncStore.getEpoch`). */
export async function epochIn(tx: RawTx): Promise<number> {
  const e = await tx.getMeta('epoch');
  return typeof e === 'number' ? e : 0;
}

/**
 * Drops the replaced entries and points what depended on them at their replacement; what the
 * server blocked behind them is released (its blocker is gone; the next plan holds it again if
 * something else still stops it).
 */
export async function replaceChange(
  r: TxReader,
  replaced: ReadonlySet<string>,
  by: string,
): Promise<OutboxChange> {
  const outbox = await r.mutations(await r.tx.allMutations());
  return {
    remove: [...replaced],
    rewire: Object.fromEntries([...replaced].map((id) => [id, by])),
    patch: outbox
      .filter((x) => !replaced.has(x.id) && x.state === 'blocked' && x.blockedBy && replaced.has(x.blockedBy))
      .map((x) => ({ id: x.id, state: 'pending', blockedBy: null })),
  };
}

export async function applyChange(r: TxReader, change: OutboxChange): Promise<ApplyReport> {
  const { tx } = r;
  if (change.epoch !== undefined && change.epoch !== (await epochIn(tx))) {
    // Everyone was purged since the request went out: these rows may be the previous user's.
    const { serverRows, cursor: _cursor, epoch: _epoch, conflicts: _conflicts, ...outboxOnly } = change;
    const report = await applyChange(r, outboxOnly);
    return { merged: report.merged, skipped: report.skipped + (serverRows?.length ?? 0) };
  }
  for (const { replaces, record } of change.replace ?? []) {
    const present = await Promise.all(replaces.map((id) => tx.getMutation(id)));
    if (!present.some((p) => p !== undefined)) continue;
    for (const id of replaces) await tx.deleteMutation(id);
    await tx.putMutation(record);
  }
  if (change.remove?.length) await tx.deleteMutations(change.remove);
  await applyPatches(r, change.patch ?? []);
  const rewire = change.rewire ?? {};
  if (Object.keys(rewire).length > 0) {
    const map = (ids: readonly string[]) => {
      const out = new Set<string>();
      for (const id of ids) {
        const to = id in rewire ? rewire[id] : id;
        if (to) out.add(to);
      }
      return [...out];
    };
    for (const m of await r.mutations(await tx.allMutations())) {
      if (!m.deps.some((d) => d in rewire) && !m.after.some((d) => d in rewire)) continue;
      const deps = map(m.deps).filter((d) => d !== m.id);
      const after = map(m.after).filter((d) => d !== m.id && !deps.includes(d));
      await tx.putMutation({ ...m, deps, after });
    }
  }
  await putRowChanges(tx, change.localRows ?? []);
  for (const c of change.conflicts ?? []) await tx.putConflict(c);
  const report = await mergeServerRows(r, change.serverRows ?? []);
  if (change.cursor !== undefined) await tx.putMeta('cursor', change.cursor);
  return report;
}

/** Patches read in one request and written in one, each over the entry as the previous left it. */
async function applyPatches(r: TxReader, patches: readonly MutationPatch[]): Promise<void> {
  if (patches.length === 0) return;
  const ids = [...new Set(patches.map((p) => p.id))];
  const found = await r.mutations((await r.tx.getMutations(ids)).filter((x) => x !== undefined));
  const byId = new Map(found.map((m) => [m.id, m]));
  const changed = new Map<string, LocalMutation>();
  for (const p of patches) {
    const current = byId.get(p.id);
    if (!current) continue;
    const next: LocalMutation = { ...current };
    if (p.state !== undefined) next.state = p.state;
    if (p.attempted !== undefined) next.attempted = p.attempted;
    if (p.error === null) delete next.error;
    else if (p.error !== undefined) next.error = p.error;
    if (p.blockedBy === null) delete next.blockedBy;
    else if (p.blockedBy !== undefined) next.blockedBy = p.blockedBy;
    byId.set(p.id, next);
    changed.set(p.id, next);
  }
  if (changed.size > 0) await r.tx.putMutations([...changed.values()]);
}

/**
 * Server rows, merged unless a local write of the row is still queued. The queued entries and the
 * stored rows of every row named are read up front (one request per entity), the decisions made in
 * order over that view, and the result written in bulk.
 */
async function mergeServerRows(r: TxReader, changes: readonly RowChange[]): Promise<ApplyReport> {
  const { tx } = r;
  const pendingOf = new Map<string, LocalMutation[]>();
  const localOf = new Map<string, Row | undefined>();
  for (const entity of ENTITY_NAMES) {
    const keys = [...new Set(changes.filter((c) => c.table === entity).map((c) => c.key))];
    if (keys.length === 0) continue;
    for (const m of await r.mutations(await tx.mutationsOfRows(keys.map((key) => [entity, key] as const)))) {
      const k = refKey(m.entity, m.key);
      pendingOf.set(k, [...(pendingOf.get(k) ?? []), m]);
    }
    const rows = await r.rowsByKey(entity, keys);
    for (const key of keys) localOf.set(refKey(entity, key), rows.get(key));
  }
  const written: RowChange[] = [];
  const unmarked = new Map<string, LocalMutation>();
  let merged = 0;
  let skipped = 0;
  for (const c of changes) {
    if (isEntity(c.table)) {
      const k = refKey(c.table, c.key);
      const pending = pendingOf.get(k) ?? [];
      if (pending.length > 0) {
        // The local write wins until it is confirmed; but the row now exists on the server, so
        // a later delete of it must be sent rather than vanish with an unsent create.
        if (c.row !== null)
          for (const m of pending) if (m.createsRow) unmarked.set(m.id, { ...m, createsRow: false });
        keepAsRestorePoint(unmarked, pending, c.row);
        skipped++;
        continue;
      }
      const incoming = versionOf(c.row ?? undefined);
      const current = versionOf(localOf.get(k));
      // A duplicate's answer (or a late tab) may carry an older version than a pull already gave.
      if (c.row !== null && incoming !== null && current !== null && incoming < current) {
        skipped++;
        continue;
      }
      localOf.set(k, c.row ?? undefined);
    }
    written.push(c);
    merged++;
  }
  if (unmarked.size > 0) await tx.putMutations([...unmarked.values()]);
  await putRowChanges(tx, written);
  return { merged, skipped };
}

/**
 * A server row that arrived while local writes of it were queued becomes what undoing them restores:
 * the earliest queued write's `before`. Otherwise a refused write the user discards would put back
 * the row as it was before their edit, and the server's newer state (already past the cursor) would
 * never come again. `changed` collects the entries to write back.
 */
function keepAsRestorePoint(
  changed: Map<string, LocalMutation>,
  pending: readonly LocalMutation[],
  row: Row | null,
): void {
  const first = pending.reduce((a, b) => (b.seq < a.seq ? b : a));
  const earliest = changed.get(first.id) ?? first;
  const had = versionOf((earliest.before ?? undefined) as Row | undefined);
  const incoming = versionOf(row ?? undefined);
  // A duplicate's answer may carry an older version than the restore point already holds.
  if (row !== null && had !== null && incoming !== null && incoming < had) return;
  changed.set(earliest.id, { ...earliest, before: row, ...(row !== null ? { createsRow: false } : {}) });
}

/** Writes row changes in bulk, one request per table and kind; the last change of a row wins. */
async function putRowChanges(tx: RawTx, changes: readonly RowChange[]): Promise<void> {
  if (changes.length === 0) return;
  const last = new Map<string, RowChange>();
  for (const c of changes) last.set(`${c.table}:${c.key}`, c);
  for (const table of ALL_TABLES) {
    const mine = [...last.values()].filter((c) => c.table === table);
    const gone = mine.filter((c) => c.row === null).map((c) => c.key);
    const rows = mine.flatMap((c) => (c.row === null ? [] : [c.row]));
    if (gone.length > 0) await tx.deleteRows(table, gone);
    if (rows.length > 0) await tx.putRows(table, rows);
  }
}
