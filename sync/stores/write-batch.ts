/**
 * Local writes (rows with their outbox entries) inside one store transaction. A save is what the
 * patient waits for, so the transaction does the least IndexedDB allows: the candidates are
 * validated before it opens; everything the writes need to read (client id, next seq, each row as
 * stored, the outbox entries of each row and of the rows it references) is asked for at once, in
 * one round; the writes are then issued without waiting for one another (IndexedDB runs a
 * transaction's requests in order, so a later read still sees them). Dependencies between the
 * batch's own writes are derived in memory, exactly as if each had been written alone, in order.
 *
 * Most saves need no round of reads at all. A row whose id the caller has just made (`fresh`) has
 * nothing stored and nothing queued, so it is not read: it is added, and a stored row under its id
 * fails the add. The client id and next seq are what the store's last save left (`known`): the
 * stored next seq is read in the same round as the writes, before them, and compared once
 * everything is issued. A wrong guess
 * fails the transaction, writing nothing (`guessFailed`), and the store saves again reading
 * everything. Not caught: a queued delete under a "fresh" id (no row, an outbox chain), which only a
 * reused id could meet; the screens' ids are new UUIDs.
 */
import { buildMutation, refusedTail, replacing } from '../enqueue.ts';
import { ENTITIES } from '../entities.ts';
import { editOf } from '../field-changes.ts';
import { type LocalMutation, type Row, refKey } from '../local-mutation.ts';
import type { EntityName } from '../protocol.ts';
import { applyChange, replaceChange } from './apply-change.ts';
import { queuedClientId, storedClientId } from './client-id.ts';
import { firstSeqOf } from './first-seq.ts';
import { PendingWrites } from './pending-writes.ts';
import type { PreparedWrite } from './prepare-write.ts';
import type { TxReader } from './tx-reader.ts';

/** This device's id and the seq its next outbox entry takes, as the store's last save left them. */
export interface SeqState {
  clientId: string;
  nextSeq: number;
}

/** What the transaction needs from outside it, prepared before it opens. */
export interface BatchIds {
  /** One new mutation id per write, in order. */
  ids: readonly string[];
  /** This device's id, if the database has none yet. */
  clientCandidate: string;
  createdAt: string;
  /** Assumed instead of read (checked before the transaction commits); absent: read first. */
  known?: SeqState;
  /** Take `fresh` at its word (see the file's comment); false reads every row. */
  trustFresh: boolean;
  /** The stored next seq proved behind the outbox (a seq add failed reading everything): resume. */
  counterBehind?: boolean;
}

/** Another context (a tab, the worker) saved since this store's last save: `known` is stale. */
export class StaleGuess extends Error {
  override name = 'StaleGuess';
}

/**
 * Whether a save that guessed failed because a guess was wrong: the seq state was stale, or an
 * add failed (a stored row under a fresh id, or a seq another context took). Then nothing was
 * written, and saving again with every read gives the right answer (or the real error).
 */
export function guessFailed(e: unknown): boolean {
  return e instanceof Error && (e.name === 'StaleGuess' || e.name === 'ConstraintError');
}

/** What was read for the batch, keyed `entity:key`. */
interface Reads {
  clientId: unknown;
  nextSeq: unknown;
  rows: Map<string, Row>;
  byKey: Map<string, LocalMutation[]>;
  referencing: LocalMutation[];
  /** With `known`: the stored next seq, compared once the writes are issued. */
  check: Promise<unknown[]> | null;
}

/**
 * The rows (`entity:key`) the batch creates with a made-up id: the first write of the row is a
 * `fresh` upsert, and the batch does not delete it (the add that guards the guess would be gone).
 */
function freshRows(writes: readonly PreparedWrite[]): Set<string> {
  const fresh = new Set<string>();
  const seen = new Set<string>();
  const deleted = new Set<string>();
  for (const w of writes) {
    const k = refKey(w.input.entity, w.key);
    if (w.input.op === 'delete') deleted.add(k);
    else if (!seen.has(k) && w.input.fresh) fresh.add(k);
    seen.add(k);
  }
  for (const k of deleted) fresh.delete(k);
  return fresh;
}

function referencesOf(entity: EntityName, data: Row | null): { entity: EntityName; key: string }[] {
  if (!data) return [];
  return ENTITIES[entity].references.flatMap((ref) => {
    const value = data[ref.field];
    return typeof value === 'string' ? [{ entity: ref.entity, key: value }] : [];
  });
}

/** The rows of one table, as stored, keyed `entity:key` (unreadable ones quarantined). */
async function storedRows(r: TxReader, entity: EntityName, keys: Set<string>): Promise<[string, Row][]> {
  const raws = await r.tx.getRows(entity, [...keys]);
  const rows = await r.rows(
    entity,
    raws.filter((x) => x !== undefined),
  );
  return rows.map((row) => [refKey(entity, String(row.id)), row]);
}

/**
 * Every read of the batch, issued together, a few requests whatever its size: one wait, or none
 * when every row is fresh and references only fresh rows, and the seq state is known.
 */
function readAll(
  r: TxReader,
  writes: readonly PreparedWrite[],
  fresh: ReadonlySet<string>,
  known: SeqState | undefined,
): { now: Reads } | { round: Promise<Reads> } {
  const { tx } = r;
  const rowKeys = new Map<EntityName, Set<string>>();
  const chains = new Map<string, readonly [EntityName, string]>();
  const refKeys = new Set<string>();
  for (const w of writes) {
    const { entity } = w.input;
    const k = refKey(entity, w.key);
    if (!fresh.has(k)) {
      const keys = rowKeys.get(entity) ?? new Set();
      rowKeys.set(entity, keys.add(w.key));
      chains.set(k, [entity, w.key]);
    }
    for (const ref of referencesOf(entity, w.data)) {
      const rk = refKey(ref.entity, ref.key);
      if (!fresh.has(rk)) chains.set(rk, [ref.entity, ref.key]);
    }
    if (w.input.op === 'delete') refKeys.add(k);
  }
  // Issued before the writes (IndexedDB answers in order): it sees the database as they found it.
  if (known && rowKeys.size + chains.size + refKeys.size === 0) {
    // Nothing to wait for: the writes go out at once, and the stored next seq is compared after.
    // Only the seq: the client id is written once, by the database's first save, and a database
    // made again (storage cleared) starts its seqs afresh, so a stale `known` fails on the seq.
    const check = tx.getMetas(['nextSeq']);
    check.catch(() => undefined); // handled there; this only keeps an abort unreported
    const byKey = new Map<string, LocalMutation[]>([...fresh].map((k) => [k, []]));
    return { now: { ...known, rows: new Map(), byKey, referencing: [], check } };
  }
  const metas = tx.getMetas(['clientId', 'nextSeq']);
  return { round: readRound(r, metas, rowKeys, chains, refKeys, fresh) };
}

/** The round of reads itself, the meta read (issued first) among them. */
async function readRound(
  r: TxReader,
  metas: Promise<unknown[]>,
  rowKeys: ReadonlyMap<EntityName, Set<string>>,
  chains: ReadonlyMap<string, readonly [EntityName, string]>,
  refKeys: ReadonlySet<string>,
  fresh: ReadonlySet<string>,
): Promise<Reads> {
  const { tx } = r;
  // Issued first, the meta read is done before the others: waiting for it with them costs nothing.
  const [[clientId, nextSeq], rows, chained, referencing] = await Promise.all([
    metas,
    Promise.all([...rowKeys].map(([entity, keys]) => storedRows(r, entity, keys))),
    chains.size > 0 ? tx.mutationsOfRows([...chains.values()]).then((raws) => r.mutations(raws)) : [],
    refKeys.size > 0 ? tx.mutationsByRefKeys([...refKeys]).then((raws) => r.mutations(raws)) : [],
  ]);
  // Every row asked for has an entry, empty when it has no outbox entries; a fresh row has none.
  const byKey = new Map<string, LocalMutation[]>([...chains.keys(), ...fresh].map((k) => [k, []]));
  for (const m of chained) {
    const k = refKey(m.entity, m.key);
    byKey.set(k, [...(byKey.get(k) ?? []), m]);
  }
  return { clientId, nextSeq, rows: new Map(rows.flat()), byKey, referencing, check: null };
}

/** Reads the outbox entries of a row the first round did not ask for (rare: see `writeBatch`). */
async function readChain(r: TxReader, reads: Reads, entity: EntityName, key: string): Promise<void> {
  const k = refKey(entity, key);
  if (reads.byKey.has(k)) return;
  reads.byKey.set(k, await r.mutations(await r.tx.mutationsOfRows([[entity, key]])));
}

/** What a save wrote, and the seq state it left (what the next save may assume). */
export interface BatchResult {
  mutations: LocalMutation[];
  next: SeqState;
}

/**
 * Writes the batch in the caller's transaction and returns its mutations, in order. Nothing
 * outside IndexedDB is awaited here: the transaction would commit under it. A guess of the fast
 * path proven wrong fails the transaction (nothing written) with `StaleGuess` (the seq state) or a
 * `ConstraintError` (a fresh row's add); see `guessFailed`.
 */
export async function writeBatch(
  r: TxReader,
  writes: readonly PreparedWrite[],
  { ids, clientCandidate, createdAt, known, trustFresh, counterBehind = false }: BatchIds,
): Promise<BatchResult> {
  const fresh = trustFresh ? freshRows(writes) : new Set<string>();
  const planned = readAll(r, writes, fresh, known);
  // Not awaited when there was nothing to read: each await in a Dexie transaction costs a hop (and
  // `instanceof Promise` cannot tell: Dexie swaps the global Promise inside its transactions).
  const reads = 'now' in planned ? planned.now : await planned.round;
  const stored = storedClientId(reads.clientId);
  // Not stored (a new database) or damaged: the queued entries' id if any (client-id.ts).
  const queued = stored === null ? await queuedClientId(r.tx) : null;
  const clientId = stored ?? queued ?? clientCandidate;
  const inUse = reads.clientId !== undefined || queued !== null;
  const firstSeq = firstSeqOf(reads.nextSeq, inUse, counterBehind, Date.parse(createdAt));
  // The batch's own effects, seen by its later writes: rows written (null: deleted), entries added,
  // entries a correction took the place of.
  const written = new Map<string, Row | null>();
  const added: LocalMutation[] = [];
  const gone = new Set<string>();
  const live = (stored: readonly LocalMutation[], keep: (m: LocalMutation) => boolean) => {
    const ids = new Set(stored.map((m) => m.id));
    return [
      ...stored.filter((m) => !gone.has(m.id) && keep(m)),
      // A correction flushed the batch's earlier entries: a read after it may already hold them.
      ...added.filter((m) => !gone.has(m.id) && !ids.has(m.id) && keep(m)),
    ];
  };
  const chain = (entity: EntityName, key: string) =>
    live(reads.byKey.get(refKey(entity, key)) ?? [], (m) => m.entity === entity && m.key === key);
  const pending = new PendingWrites(r.tx);
  const out: LocalMutation[] = [];
  for (const [i, w] of writes.entries()) {
    const { entity, op } = w.input;
    const k = refKey(entity, w.key);
    const stored = written.has(k) ? (written.get(k) ?? undefined) : reads.rows.get(k);
    let data = w.data;
    // An edit writes only what the user changed, over the row as stored now.
    const edit =
      data && w.input.op === 'upsert' && w.input.base && stored
        ? editOf(ENTITIES[entity], stored, data, w.input.base)
        : null;
    if (edit) data = edit.row;
    const references = referencesOf(entity, data);
    // An edit's references come from the stored row, which the first round could not know.
    for (const ref of references)
      if (!reads.byKey.has(refKey(ref.entity, ref.key))) await readChain(r, reads, ref.entity, ref.key);
    const sameKey = chain(entity, w.key);
    const replaced = w.input.replacesRejected ? refusedTail(sameKey) : [];
    const replacedIds = new Set(replaced.map((x) => x.id));
    const built = buildMutation({
      id: ids[i] ?? '',
      clientId,
      seq: firstSeq + i,
      createdAt,
      actor: w.input.actor ?? null,
      entity,
      op,
      key: w.key,
      data,
      before: stored,
      base: edit?.base,
      sameKey: sameKey.filter((x) => !replacedIds.has(x.id)),
      referenced: references.flatMap((ref) => chain(ref.entity, ref.key)),
      referencing: op === 'delete' ? live(reads.referencing, (m) => m.refKeys.includes(k)) : [],
    });
    const m = replacing(built, replaced);
    pending.row(entity, w.key, data, fresh.has(k) && !written.has(k));
    // Editing a field again answers its conflict notice; a delete leaves nothing to tell.
    if (!data) pending.also(r.tx.deleteConflicts(entity, w.key));
    else if (edit) pending.also(r.tx.deleteConflicts(entity, w.key, Object.keys(edit.base)));
    pending.mutation(m);
    written.set(k, data);
    added.push(m);
    out.push(m);
    if (replaced.length > 0) {
      // Rare (a correction of a refused write): it rewires the whole outbox, so it waits its turn.
      await pending.flush();
      await applyChange(r, await replaceChange(r, replacedIds, m.id));
      for (const id of replacedIds) gone.add(id);
    }
  }
  const meta: { key: string; value: unknown }[] = [{ key: 'nextSeq', value: firstSeq + writes.length }];
  if (stored === null) meta.push({ key: 'clientId', value: clientId });
  const { check } = reads;
  if (check)
    pending.also(
      check.then(([storedSeq]) => {
        if (storedSeq !== firstSeq) throw new StaleGuess('saved elsewhere since');
      }),
    );
  pending.also(r.tx.putMetas(meta));
  await pending.flush();
  return { mutations: out, next: { clientId, nextSeq: firstSeq + writes.length } };
}
