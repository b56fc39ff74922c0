/**
 * One `OutboxChange` applied inside a store transaction: replaces, removals, patches, rewiring,
 * restored rows and server rows (merged unless a local write of the row is still queued).
 */
import { type LocalMutation, type Row, refKey } from '../local-mutation.ts';
import { ENTITY_NAMES, type EntityName } from '../protocol.ts';
import type { OutboxRowsSession } from './outbox-rows.ts';
import type { RawTx } from './raw-tables.ts';
import {
  ALL_TABLES,
  type ApplyReport,
  type MutationPatch,
  type OutboxChange,
  type RowChange,
} from './sync-store.ts';
import { isEntity, keyOf, type TxReader } from './tx-reader.ts';

/** The `version` of a stored or incoming row (any record, unparsed), or null. */
function versionOf(row: unknown): number | null {
  const version = typeof row === 'object' && row !== null ? (row as Row).version : undefined;
  return typeof version === 'number' ? version : null;
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

/** `rows`: the store's index of the outbox's rows (outbox-rows.ts), told what this change does to it. */
export async function applyChange(
  r: TxReader,
  change: OutboxChange,
  rows?: OutboxRowsSession,
): Promise<ApplyReport> {
  const { tx } = r;
  if (change.epoch !== undefined && change.epoch !== (await epochIn(tx))) {
    // Everyone was purged since the request went out: these rows may be the previous user's.
    const {
      serverRows,
      cursor: _cursor,
      epoch: _epoch,
      conflicts: _conflicts,
      countFrom: _from,
      ...outboxOnly
    } = change;
    const report = await applyChange(r, outboxOnly, rows);
    const dropped = Math.max(0, (serverRows?.length ?? 0) - (change.countFrom ?? 0));
    return { merged: report.merged, skipped: report.skipped + dropped };
  }
  for (const { replaces, record } of change.replace ?? []) {
    const present = await Promise.all(replaces.map((id) => tx.getMutation(id)));
    if (!present.some((p) => p !== undefined)) continue;
    for (const id of replaces) await tx.deleteMutation(id);
    await tx.putMutation(record);
    rows?.remove(replaces);
    rows?.put(record);
  }
  if (change.remove?.length) {
    await tx.deleteMutations(change.remove);
    rows?.remove(change.remove);
  }
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
  const report = await mergeServerRows(r, change.serverRows ?? [], change.countFrom ?? 0, rows);
  if (change.cursor !== undefined) await tx.putMeta('cursor', change.cursor);
  return report;
}

/**
 * Patches read in one round and written in one request, each over the entry as the previous left it.
 * The stored records are patched as read, not parsed: a patch sets a few fields and needs nothing
 * else of the record, and what it read was parsed when the engine read it to plan (the boundary).
 * A record that fails parsing stays as it was found and is quarantined by the next read.
 */
async function applyPatches(r: TxReader, patches: readonly MutationPatch[]): Promise<void> {
  if (patches.length === 0) return;
  const byId = await patchedEntries(r, patches);
  const changed = new Map<string, StoredEntry>();
  for (const p of patches) {
    const current = byId.get(p.id);
    if (!current) continue;
    const next: StoredEntry = { ...current };
    if (p.state !== undefined) next.state = p.state;
    if (p.attempted !== undefined) next.attempted = p.attempted;
    if (p.error === null) delete next.error;
    else if (p.error !== undefined) next.error = p.error;
    if (p.blockedBy === null) delete next.blockedBy;
    else if (p.blockedBy !== undefined) next.blockedBy = p.blockedBy;
    byId.set(p.id, next);
    changed.set(p.id, next);
  }
  // Written back as they were read plus the patch: a valid entry stays one.
  if (changed.size > 0) await r.tx.putMutations([...changed.values()] as LocalMutation[]);
}

/**
 * The stored entries the patches name, by id. When every patch gives its seq and they lie in a run
 * no more than twice their number long (a batch marked `sending`), the run is one range read
 * instead of a get per entry (each its own IndexedDB request, its own event and result in the page);
 * whatever the range did not hold (an entry whose seq changed, as a collapsed group's does) is read
 * by id.
 */
async function patchedEntries(
  r: TxReader,
  patches: readonly MutationPatch[],
): Promise<Map<string, StoredEntry>> {
  const ids = new Set(patches.map((p) => p.id));
  const byId = new Map<string, StoredEntry>();
  const keep = (raws: readonly unknown[]) => {
    for (const raw of raws) {
      const id = keyOf(raw);
      if (id !== null && ids.has(id)) byId.set(id, raw as StoredEntry);
    }
  };
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const p of patches) {
    lo = Math.min(lo, p.seq ?? Number.NEGATIVE_INFINITY);
    hi = Math.max(hi, p.seq ?? Number.POSITIVE_INFINITY);
  }
  const span = hi - lo + 1;
  if (ids.size > 1 && Number.isFinite(span) && span <= 2 * ids.size)
    keep(await r.tx.mutationsAfter(lo - 1, span));
  const missing = [...ids].filter((id) => !byId.has(id));
  if (missing.length > 0) keep(await r.tx.getMutations(missing));
  return byId;
}

/** An outbox record as stored, unparsed: a patch sets its fields and carries the rest over. */
type StoredEntry = Record<string, unknown>;

/**
 * The queued entries of these rows, by `refKey`. One request per row is the cost of a large outbox;
 * when the outbox holds no more entries than there are rows (a drain's last batch: its own entries
 * were just removed), reading all of it is one request, and counting first costs one more.
 */
async function pendingOfRows(
  r: TxReader,
  rows: readonly (readonly [EntityName, string])[],
  index: OutboxRowsSession | undefined,
) {
  const { tx } = r;
  const pendingOf = new Map<string, LocalMutation[]>();
  if (rows.length === 0) return pendingOf;
  const size = await tx.outboxSize();
  if (size === 0) {
    index?.emptied();
    return pendingOf;
  }
  const wanted = new Set(rows.map(([entity, key]) => refKey(entity, key)));
  let raws: unknown[];
  if (size <= rows.length) raws = await tx.allMutations();
  else {
    // Only the rows the store's index says may hold entries (outbox-rows.ts); all of them without it.
    const holding = index ? await index.holding(wanted, size) : null;
    const ask = holding ? rows.filter(([entity, key]) => holding.has(refKey(entity, key))) : rows;
    raws = ask.length > 0 ? await tx.mutationsOfRows(ask) : [];
  }
  for (const m of await r.mutations(raws)) {
    const k = refKey(m.entity, m.key);
    if (wanted.has(k)) pendingOf.set(k, [...(pendingOf.get(k) ?? []), m]);
  }
  return pendingOf;
}

/**
 * Server rows, merged unless a local write of the row is still queued. The stored rows of every row
 * named (one request per entity) and their queued entries are read up front, the decisions made in
 * order over that view, and the result written in bulk.
 */
async function mergeServerRows(
  r: TxReader,
  changes: readonly RowChange[],
  countFrom: number,
  index: OutboxRowsSession | undefined,
): Promise<ApplyReport> {
  const { tx } = r;
  // Each named row as stored, then as this change leaves it (undefined: none).
  const localOf = new Map<string, unknown>();
  const rows: (readonly [EntityName, string])[] = [];
  for (const entity of ENTITY_NAMES) {
    const keys = [...new Set(changes.filter((c) => c.table === entity).map((c) => c.key))];
    if (keys.length === 0) continue;
    for (const key of keys) rows.push([entity, key]);
    // Not parsed: the row is replaced by the server's or left as is, so parsing it would only
    // quarantine what is about to be overwritten (a later read still would).
    const stored = await tx.getRows(entity, keys);
    for (const [i, key] of keys.entries()) localOf.set(refKey(entity, key), stored[i]);
  }
  const pendingOf = await pendingOfRows(r, rows, index);
  const written: RowChange[] = [];
  const unmarked = new Map<string, LocalMutation>();
  let merged = 0;
  let skipped = 0;
  for (const [i, c] of changes.entries()) {
    // Rows before `countFrom` (a push's answers) are merged alike but not counted.
    const counted = i >= countFrom ? 1 : 0;
    if (isEntity(c.table)) {
      const k = refKey(c.table, c.key);
      const pending = pendingOf.get(k) ?? [];
      if (pending.length > 0) {
        // The local write wins until it is confirmed; but the row now exists on the server, so
        // a later delete of it must be sent rather than vanish with an unsent create.
        if (c.row !== null)
          for (const m of pending) if (m.createsRow) unmarked.set(m.id, { ...m, createsRow: false });
        keepAsRestorePoint(unmarked, pending, c.row);
        skipped += counted;
        continue;
      }
      const stored = localOf.get(k);
      const incoming = versionOf(c.row);
      const current = versionOf(stored);
      // A duplicate's answer (or a late tab) may carry an older version than a pull already gave.
      if (c.row !== null && incoming !== null && current !== null && incoming < current) {
        skipped += counted;
        continue;
      }
      // Stored exactly so already (a push's rows come back in the next page): merged, not written
      // again, as a put costs IndexedDB a copy of the row.
      if (c.row !== null && sameRecord(c.row, stored)) {
        merged += counted;
        continue;
      }
      localOf.set(k, c.row ?? undefined);
    }
    written.push(c);
    merged += counted;
  }
  if (unmarked.size > 0) await tx.putMutations([...unmarked.values()]);
  await putRowChanges(tx, written);
  return { merged, skipped };
}

/** Equal as stored records: the same keys with equal values, nested records and lists compared alike. */
export function sameRecord(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // Counted and compared without listing keys: this runs for every row of every page.
  let keys = 0;
  for (const key in x) {
    if (!Object.hasOwn(x, key)) continue;
    if (!Object.hasOwn(y, key) || !sameRecord(x[key], y[key])) return false;
    keys++;
  }
  for (const key in y) if (Object.hasOwn(y, key)) keys--;
  return keys === 0;
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
  const had = versionOf(earliest.before);
  const incoming = versionOf(row);
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
