/**
 * One `OutboxChange` applied inside a store transaction: replaces, removals, patches, rewiring,
 * restored rows and server rows (merged unless a local write of the row is still queued).
 */
import type { LocalMutation, Row } from '../local-mutation.ts';
import type { RawTx } from './raw-tables.ts';
import type { ApplyReport, OutboxChange, RowChange } from './sync-store.ts';
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
  for (const id of change.remove ?? []) await tx.deleteMutation(id);
  for (const p of change.patch ?? []) {
    const [current] = await r.mutations([await tx.getMutation(p.id)].filter((x) => x !== undefined));
    if (!current) continue;
    const next: LocalMutation = { ...current };
    if (p.state !== undefined) next.state = p.state;
    if (p.attempted !== undefined) next.attempted = p.attempted;
    if (p.error === null) delete next.error;
    else if (p.error !== undefined) next.error = p.error;
    if (p.blockedBy === null) delete next.blockedBy;
    else if (p.blockedBy !== undefined) next.blockedBy = p.blockedBy;
    await tx.putMutation(next);
  }
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
  for (const c of change.localRows ?? []) await putRowChange(tx, c);
  for (const c of change.conflicts ?? []) await tx.putConflict(c);
  let merged = 0;
  let skipped = 0;
  for (const c of change.serverRows ?? []) {
    if (isEntity(c.table)) {
      const pending = await r.mutations(await tx.mutationsByKey(c.table, c.key));
      if (pending.length > 0) {
        // The local write wins until it is confirmed; but the row now exists on the server, so
        // a later delete of it must be sent rather than vanish with an unsent create.
        if (c.row !== null)
          for (const m of pending) if (m.createsRow) await tx.putMutation({ ...m, createsRow: false });
        await keepAsRestorePoint(tx, pending, c.row);
        skipped++;
        continue;
      }
      const local = await r.row(c.table, c.key);
      const incoming = versionOf(c.row ?? undefined);
      const current = versionOf(local);
      // A duplicate's answer (or a late tab) may carry an older version than a pull already gave.
      if (c.row !== null && incoming !== null && current !== null && incoming < current) {
        skipped++;
        continue;
      }
    }
    await putRowChange(tx, c);
    merged++;
  }
  if (change.cursor !== undefined) await tx.putMeta('cursor', change.cursor);
  return { merged, skipped };
}

/**
 * A server row that arrived while local writes of it were queued becomes what undoing them restores:
 * the earliest queued write's `before`. Otherwise a refused write the user discards would put back
 * the row as it was before their edit, and the server's newer state (already past the cursor) would
 * never come again.
 */
async function keepAsRestorePoint(
  tx: RawTx,
  pending: readonly LocalMutation[],
  row: Row | null,
): Promise<void> {
  const earliest = pending.reduce((a, b) => (b.seq < a.seq ? b : a));
  const had = versionOf((earliest.before ?? undefined) as Row | undefined);
  const incoming = versionOf(row ?? undefined);
  // A duplicate's answer may carry an older version than the restore point already holds.
  if (row !== null && had !== null && incoming !== null && incoming < had) return;
  await tx.putMutation({ ...earliest, before: row, ...(row !== null ? { createsRow: false } : {}) });
}

async function putRowChange(tx: RawTx, c: RowChange): Promise<void> {
  if (c.row === null) await tx.deleteRow(c.table, c.key);
  else await tx.putRow(c.table, c.row);
}
