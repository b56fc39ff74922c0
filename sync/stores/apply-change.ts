/**
 * One `OutboxChange` applied inside a store transaction: replaces, removals, patches, rewiring,
 * restored rows and server rows (merged unless a local write of the row is still queued:
 * `merge-rows.ts`).
 */
import type { LocalMutation } from '../local-mutation.ts';
import { mergeServerRows, putRowChanges } from './merge-rows.ts';
import type { OutboxRowsSession } from './outbox-rows.ts';
import type { RawTx } from './raw-tables.ts';
import type { ApplyReport, MutationPatch, OutboxChange } from './sync-store.ts';
import { keyOf, type TxReader } from './tx-reader.ts';

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
  // Records read earlier in this transaction, as stored: the patches may start from them only if
  // nothing is written before the patches (a replace or a removal could touch the same entries).
  const asRead = r.takeOutboxAsRead();
  const fresh = change.replace?.length || change.remove?.length ? undefined : asRead;
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
  await applyPatches(r, change.patch ?? [], fresh);
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
async function applyPatches(
  r: TxReader,
  patches: readonly MutationPatch[],
  asRead: ReadonlyMap<string, unknown> | undefined,
): Promise<void> {
  if (patches.length === 0) return;
  const byId = await patchedEntries(r, patches, asRead);
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
 * The stored entries the patches name, by id: first those this transaction read already (`asRead`:
 * the batch the drain planned and now marks, see `SyncStore.planning`). Of the rest, when every
 * patch gives its seq and they lie in a run no more than twice their number long (a batch marked
 * `sending`), the run is one range read instead of a get per entry (each its own IndexedDB request,
 * its own event and result in the page); whatever the range did not hold (an entry whose seq
 * changed, as a collapsed group's does) is read by id.
 */
async function patchedEntries(
  r: TxReader,
  patches: readonly MutationPatch[],
  asRead: ReadonlyMap<string, unknown> | undefined,
): Promise<Map<string, StoredEntry>> {
  const byId = new Map<string, StoredEntry>();
  const ids = new Set<string>();
  const unread: MutationPatch[] = [];
  for (const p of patches) {
    const raw = asRead?.get(p.id);
    if (raw !== undefined) byId.set(p.id, raw as StoredEntry);
    else if (!ids.has(p.id)) {
      ids.add(p.id);
      unread.push(p);
    }
  }
  if (unread.length === 0) return byId;
  const keep = (raws: readonly unknown[]) => {
    for (const raw of raws) {
      const id = keyOf(raw);
      if (id !== null && ids.has(id)) byId.set(id, raw as StoredEntry);
    }
  };
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const p of unread) {
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
