/**
 * Server rows (a batch's answers, a pull page) merged into the store inside one transaction: each
 * row replaces the stored one unless a local write of it is still queued or it is older than what
 * is stored, and is not written at all when it is stored exactly so already. This runs for every
 * row of every page of a drain, so its loops build one map per purpose and no copies per row.
 */
import { type LocalMutation, type Row, refKey } from '../local-mutation.ts';
import { ENTITY_NAMES, type EntityName } from '../protocol.ts';
import type { OutboxRowsSession } from './outbox-rows.ts';
import type { RawTx } from './raw-tables.ts';
import { ALL_TABLES, type ApplyReport, type RowChange, type TableName } from './sync-store.ts';
import { isEntity, type TxReader } from './tx-reader.ts';

/** The `version` of a stored or incoming row (any record, unparsed), or null. */
export function versionOf(row: unknown): number | null {
  const version = typeof row === 'object' && row !== null ? (row as Row).version : undefined;
  return typeof version === 'number' ? version : null;
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
 * The queued entries of these rows (by `refKey`, each `[entity, key]`), by `refKey`. One request per
 * row is the cost of a large outbox; when the outbox holds no more entries than there are rows (a
 * drain's last batch: its own entries were just removed), reading all of it is one request, and
 * counting first costs one more.
 */
async function pendingOfRows(
  r: TxReader,
  rows: ReadonlyMap<string, readonly [EntityName, string]>,
  index: OutboxRowsSession | undefined,
) {
  const { tx } = r;
  const pendingOf = new Map<string, LocalMutation[]>();
  if (rows.size === 0) return pendingOf;
  const size = await tx.outboxSize();
  if (size === 0) {
    index?.emptied();
    return pendingOf;
  }
  let raws: unknown[];
  if (size <= rows.size) raws = await tx.allMutations();
  else {
    // Only the rows the store's index says may hold entries (outbox-rows.ts); all of them without it.
    const holding = index ? await index.holding(new Set(rows.keys()), size) : null;
    const ask: (readonly [EntityName, string])[] = [];
    for (const [k, row] of rows) if (!holding || holding.has(k)) ask.push(row);
    raws = ask.length > 0 ? await tx.mutationsOfRows(ask) : [];
  }
  for (const m of await r.mutations(raws)) {
    const k = refKey(m.entity, m.key);
    if (!rows.has(k)) continue;
    const list = pendingOf.get(k);
    if (list) list.push(m);
    else pendingOf.set(k, [m]);
  }
  return pendingOf;
}

/**
 * Server rows, merged unless a local write of the row is still queued. The stored rows of every row
 * named (one request per entity) and their queued entries are read up front, the decisions made in
 * order over that view, and the result written in bulk.
 */
export async function mergeServerRows(
  r: TxReader,
  changes: readonly RowChange[],
  countFrom: number,
  index: OutboxRowsSession | undefined,
): Promise<ApplyReport> {
  const { tx } = r;
  // The entity rows named, in one pass: each change's refKey is made once, here.
  const rows = new Map<string, readonly [EntityName, string]>();
  const named = new Map<EntityName, { keys: string[]; refKeys: string[] }>();
  const refKeys: (string | undefined)[] = new Array(changes.length);
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i] as RowChange;
    if (!isEntity(c.table)) continue;
    const k = refKey(c.table, c.key);
    refKeys[i] = k;
    if (rows.has(k)) continue;
    rows.set(k, [c.table, c.key]);
    const of = named.get(c.table) ?? { keys: [], refKeys: [] };
    named.set(c.table, of);
    of.keys.push(c.key);
    of.refKeys.push(k);
  }
  // Each named row as stored, then as this change leaves it (undefined: none). Not parsed: the row
  // is replaced by the server's or left as is, so parsing it would only quarantine what is about to
  // be overwritten (a later read still would).
  const localOf = new Map<string, unknown>();
  for (const entity of ENTITY_NAMES) {
    const of = named.get(entity);
    if (!of) continue;
    const stored = await tx.getRows(entity, of.keys);
    for (let i = 0; i < of.refKeys.length; i++) localOf.set(of.refKeys[i] as string, stored[i]);
  }
  const pendingOf = await pendingOfRows(r, rows, index);
  const written: RowChange[] = [];
  const unmarked = new Map<string, LocalMutation>();
  let merged = 0;
  let skipped = 0;
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i] as RowChange;
    // Rows before `countFrom` (a push's answers) are merged alike but not counted.
    const counted = i >= countFrom ? 1 : 0;
    const k = refKeys[i];
    if (k !== undefined) {
      const pending = pendingOf.get(k);
      if (pending) {
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
export async function putRowChanges(tx: RawTx, changes: readonly RowChange[]): Promise<void> {
  if (changes.length === 0) return;
  // Per table, each key's last change (a Map keeps the order a key was first named in).
  const byTable = new Map<TableName, Map<string, Row | null>>();
  for (const c of changes) {
    const table = byTable.get(c.table) ?? new Map<string, Row | null>();
    byTable.set(c.table, table);
    table.set(c.key, c.row);
  }
  for (const table of ALL_TABLES) {
    const last = byTable.get(table);
    if (!last) continue;
    const gone: string[] = [];
    const rows: Row[] = [];
    for (const [key, row] of last) {
      if (row === null) gone.push(key);
      else rows.push(row);
    }
    if (gone.length > 0) await tx.deleteRows(table, gone);
    if (rows.length > 0) await tx.putRows(table, rows);
  }
}
