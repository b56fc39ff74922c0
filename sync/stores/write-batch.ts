/**
 * Local writes (rows with their outbox entries) inside one store transaction. A save is what the
 * patient waits for, so the transaction does the least IndexedDB allows: the candidates are
 * validated before it opens; everything the writes need to read (client id, next seq, each row as
 * stored, the outbox entries of each row and of the rows it references) is asked for at once, in
 * one round; the writes are then issued without waiting for one another (IndexedDB runs a
 * transaction's requests in order, so a later read still sees them). Dependencies between the
 * batch's own writes are derived in memory, exactly as if each had been written alone, in order.
 */
import { buildMutation, refusedTail, replacing } from '../enqueue.ts';
import { ENTITIES } from '../entities.ts';
import { SyncValidationError } from '../errors.ts';
import { editOf } from '../field-changes.ts';
import { type LocalMutation, type Row, refKey } from '../local-mutation.ts';
import type { EntityName } from '../protocol.ts';
import { applyChange, replaceChange } from './apply-change.ts';
import type { WriteInput } from './sync-store.ts';
import type { TxReader } from './tx-reader.ts';

/** A write whose row passed its entity's schema: ready for the transaction. */
export interface PreparedWrite {
  input: WriteInput;
  key: string;
  /** The row to write (normalised by the schema), or null for a delete. */
  data: Row | null;
}

/** Validates outside any transaction; throws `SyncValidationError` field by field. */
export function prepareWrite(input: WriteInput): PreparedWrite {
  if (input.op === 'delete') return { input, key: input.key, data: null };
  const parsed = ENTITIES[input.entity].schema.safeParse(input.row);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new SyncValidationError(
      `${input.entity}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues[0]?.path || null,
      issues,
    );
  }
  // Normalised values (trimmed) over the given row, keeping columns the schema does not name.
  const data = { ...input.row, ...(parsed.data as Row) };
  return { input, key: String(data.id), data };
}

/** What the transaction needs from outside it, prepared before it opens. */
export interface BatchIds {
  /** One new mutation id per write, in order. */
  ids: readonly string[];
  /** This device's id, if the database has none yet. */
  clientCandidate: string;
  createdAt: string;
}

/** What was read for the batch, keyed `entity:key`. */
interface Reads {
  clientId: unknown;
  nextSeq: unknown;
  rows: Map<string, Row>;
  byKey: Map<string, LocalMutation[]>;
  referencing: LocalMutation[];
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

/** Every read of the batch, issued together, a few requests whatever its size: one wait. */
async function readAll(r: TxReader, writes: readonly PreparedWrite[]): Promise<Reads> {
  const { tx } = r;
  const rowKeys = new Map<EntityName, Set<string>>();
  const chains = new Map<string, readonly [EntityName, string]>();
  const refKeys = new Set<string>();
  for (const w of writes) {
    const { entity } = w.input;
    const keys = rowKeys.get(entity) ?? new Set();
    rowKeys.set(entity, keys.add(w.key));
    chains.set(refKey(entity, w.key), [entity, w.key]);
    for (const ref of referencesOf(entity, w.data))
      chains.set(refKey(ref.entity, ref.key), [ref.entity, ref.key]);
    if (w.input.op === 'delete') refKeys.add(refKey(entity, w.key));
  }
  const [[clientId, nextSeq], rows, chained, referencing] = await Promise.all([
    tx.getMetas(['clientId', 'nextSeq']),
    Promise.all([...rowKeys].map(([entity, keys]) => storedRows(r, entity, keys))),
    tx.mutationsOfRows([...chains.values()]).then((raws) => r.mutations(raws)),
    refKeys.size > 0 ? tx.mutationsByRefKeys([...refKeys]).then((raws) => r.mutations(raws)) : [],
  ]);
  // Every row asked for has an entry, empty when it has no outbox entries.
  const byKey = new Map<string, LocalMutation[]>([...chains.keys()].map((k) => [k, []]));
  for (const m of chained) {
    const k = refKey(m.entity, m.key);
    byKey.set(k, [...(byKey.get(k) ?? []), m]);
  }
  return { clientId, nextSeq, rows: new Map(rows.flat()), byKey, referencing };
}

/** Reads the outbox entries of a row the first round did not ask for (rare: see `writeBatch`). */
async function readChain(r: TxReader, reads: Reads, entity: EntityName, key: string): Promise<void> {
  const k = refKey(entity, key);
  if (reads.byKey.has(k)) return;
  reads.byKey.set(k, await r.mutations(await r.tx.mutationsOfRows([[entity, key]])));
}

/**
 * The batch's writes, collected and issued as one request per table: each row's last state, and
 * the new outbox entries. `flush` issues what was collected so far, in order.
 */
class PendingWrites {
  private readonly rows = new Map<string, { entity: EntityName; key: string; row: Row | null }>();
  private mutations: LocalMutation[] = [];
  private readonly issued: Promise<unknown>[] = [];

  constructor(private readonly tx: TxReader['tx']) {}

  row(entity: EntityName, key: string, row: Row | null): void {
    const k = refKey(entity, key);
    // A later write of the same row replaces the earlier one's state (and its place in the order).
    this.rows.delete(k);
    this.rows.set(k, { entity, key, row });
  }

  mutation(m: LocalMutation): void {
    this.mutations.push(m);
  }

  also(request: Promise<unknown>): void {
    this.issued.push(request);
  }

  /** Issues the collected writes; resolves once everything issued so far is done. */
  flush(): Promise<unknown> {
    const tables = new Map<EntityName, { put: Row[]; del: string[] }>();
    for (const { entity, key, row } of this.rows.values()) {
      const t = tables.get(entity) ?? { put: [], del: [] };
      if (row) t.put.push(row);
      else t.del.push(key);
      tables.set(entity, t);
    }
    for (const [entity, { put, del }] of tables) {
      if (put.length > 0) this.issued.push(this.tx.putRows(entity, put));
      if (del.length > 0) this.issued.push(this.tx.deleteRows(entity, del));
    }
    if (this.mutations.length > 0) this.issued.push(this.tx.addMutations(this.mutations));
    this.rows.clear();
    this.mutations = [];
    return Promise.all(this.issued.splice(0));
  }
}

/**
 * Writes the batch in the caller's transaction and returns its mutations, in order. Nothing
 * outside IndexedDB is awaited here: the transaction would commit under it.
 */
export async function writeBatch(
  r: TxReader,
  writes: readonly PreparedWrite[],
  { ids, clientCandidate, createdAt }: BatchIds,
): Promise<LocalMutation[]> {
  const reads = await readAll(r, writes);
  const clientId = typeof reads.clientId === 'string' ? reads.clientId : clientCandidate;
  const firstSeq = typeof reads.nextSeq === 'number' ? reads.nextSeq : 1;
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
    for (const ref of references) await readChain(r, reads, ref.entity, ref.key);
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
    pending.row(entity, w.key, data);
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
  if (typeof reads.clientId !== 'string') meta.push({ key: 'clientId', value: clientId });
  pending.also(r.tx.putMetas(meta));
  await pending.flush();
  return out;
}
