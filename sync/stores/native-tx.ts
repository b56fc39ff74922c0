/**
 * A save's transaction opened on IndexedDB itself, not through Dexie. Measured in Chromium (bench
 * `save`, IndexedDB in memory, p50), Dexie's transaction costs about 0.5–0.65 ms whatever it holds:
 * a save's five records (two rows, two outbox entries, the next seq) took 1.2 ms in a transaction
 * of IndexedDB's own and 1.85 ms in Dexie's, the two rows alone 0.7 ms and 1.2 ms. So the save (the
 * one transaction the patient waits for) runs here, every request native (`dexie-native.ts`); the
 * rest of the store keeps Dexie's transactions.
 *
 * What Dexie's transaction would have done is kept:
 * - Screens learn of the change as they learn of another tab's: the parts the requests marked are
 *   posted on Dexie's channel once the transaction committed (`announce`). `native-tx.test.ts`
 *   checks that a live query sees a save (Dexie's cache on) and that the channel carries it, so a
 *   Dexie upgrade that renames the channel fails a test instead of leaving screens stale.
 * - A request that fails rejects with its own error and the transaction is aborted: nothing is kept.
 * - A scope that awaits something that is not IndexedDB loses its transaction, as in Dexie.
 */
import { Dexie, type ObservabilitySet } from 'dexie';
import type { LocalMutation, MutationState, Row } from '../local-mutation.ts';
import type { EntityName } from '../protocol.ts';
import type { ConsultDb, MetaRecord } from './dexie-db.ts';
import { NativeRequests, type ObservedTransaction } from './dexie-native.ts';
import type { RawTx } from './raw-tables.ts';
import type { ConflictNotice, TableName } from './sync-store.ts';

/** Dexie's channel for changes made elsewhere (its `storagemutated` across contexts). */
export const DEXIE_CHANGE_CHANNEL = 'x-storagemutated-1';

let channel: InstanceType<typeof BroadcastChannel> | undefined;
/** The page's or worker's global scope, as far as sync/ may name it (no DOM types here). */
const context = globalThis as { dispatchEvent?: (event: Event) => boolean };

/**
 * Tells every context's live queries what changed, this one's included: a channel delivers to all
 * its other instances, Dexie's in this context too, which drops its overlapping cached queries and
 * re-runs the live ones, exactly as for another tab's change.
 */
export function announce(parts: ObservabilitySet): void {
  if (typeof BroadcastChannel === 'function') {
    if (!channel) {
      channel = new BroadcastChannel(DEXIE_CHANGE_CHANNEL);
      // In Node (tests, benches, a script on fake-indexeddb) an open channel is a handle that keeps
      // the process alive: `npm run bench` printed its last row and never exited. Browsers have no
      // such method.
      (channel as { unref?: () => void }).unref?.();
    }
    channel.postMessage(parts);
  } else if (typeof context.dispatchEvent === 'function' && typeof CustomEvent === 'function') {
    // No channels (a browser before them): Dexie's DOM event of the same name, which its listener
    // handles the same way, in this context only (as Dexie itself then can).
    context.dispatchEvent(new CustomEvent(DEXIE_CHANGE_CHANNEL, { detail: parts }));
  } else {
    // Neither: Dexie's own announcement, to this context's live queries.
    Dexie.on.storagemutated.fire(parts);
  }
}

interface IdbTransaction extends ObservedTransaction {
  oncomplete: (() => void) | null;
  onabort: (() => void) | null;
  readonly error: unknown;
  abort(): void;
  commit?(): void;
}
interface IdbDatabase {
  transaction(stores: string[], mode: 'readwrite'): IdbTransaction;
}

/**
 * Runs `fn` in one read-write IndexedDB transaction over `tables`; resolves once it committed.
 * The database must be open (`db.isOpen()`): Dexie's transactions open it, this does not.
 */
export function nativeTransaction<T>(
  db: ConsultDb,
  tables: readonly string[],
  fn: (tx: RawTx) => Promise<T>,
): Promise<T> {
  // Dexie types it as the DOM's IDBDatabase, a name sync/ does not have (see dexie-native.ts).
  const idb = db.backendDB() as unknown as IdbDatabase;
  const trans = idb.transaction([...tables], 'readwrite');
  const native = new NativeRequests(db, trans);
  return new Promise<T>((resolve, reject) => {
    let outcome: { value: T } | { error: unknown } | undefined;
    trans.oncomplete = () => {
      if (outcome && 'value' in outcome) resolve(outcome.value);
      else reject(new Dexie.PrematureCommitError('the save awaited something that is not IndexedDB'));
      const parts = native.changed();
      if (parts) announce(parts);
    };
    trans.onabort = () => {
      reject(outcome && 'error' in outcome ? outcome.error : trans.error);
    };
    fn(nativeTx(db, native)).then(
      (value) => {
        outcome = { value };
        // Everything is issued and answered: commit now instead of when the browser notices.
        try {
          trans.commit?.();
        } catch {
          // Already committing (nothing was left to wait for): the same outcome.
        }
      },
      (error: unknown) => {
        outcome = { error };
        try {
          trans.abort();
        } catch {
          // Already finished: the abort handler or a premature commit answers.
        }
      },
    );
  });
}

/**
 * Outbox records in `seq` order, read from the whole store rather than the seq index: a record
 * whose seq is missing or not a key (damaged, hand-edited) is in no seq index, yet the state index
 * counts it, so a read by seq alone left it counted for good and never parsed nor quarantined.
 * Such records come last.
 */
export function inSeqOrder(records: unknown[]): unknown[] {
  const seqOf = (r: unknown) => {
    const seq = (r as { seq?: unknown } | null)?.seq;
    return typeof seq === 'number' && !Number.isNaN(seq) ? seq : Number.POSITIVE_INFINITY;
  };
  return records.sort((a, b) => {
    const x = seqOf(a);
    const y = seqOf(b);
    return x === y ? 0 : x < y ? -1 : 1;
  });
}

/**
 * `RawTx`, each operation one or two native requests: all of a save's transaction here, and the
 * save's own operations inside Dexie's transactions too (`DexieTables`).
 */
export function nativeTx(db: ConsultDb, native: NativeRequests): RawTx {
  const sortedBySeq = (ms: unknown[]) => (ms as LocalMutation[]).sort((a, b) => a.seq - b.seq);
  const first = <V>(p: Promise<V[]>) => p.then((vs) => vs[0]);
  return {
    getRow: (t, key) => first(native.get(t, [key])),
    getRows: (t, keys) => native.get(t, keys),
    putRows: (t, rows) => native.put(t, rows),
    deleteRows: (t, keys) => native.delete(t, keys),
    addRows: (t, rows) => native.add(t, rows),
    addMutations: (ms) => native.add('outbox', ms),
    // One equality query per row, all in flight at once: `anyOf` walks an index cursor, a request per
    // step, which fake-indexeddb re-seeks from the start each time (quadratic in the outbox).
    mutationsOfRows: async (rows) => (await native.byIndex('outbox', '[entity+key]', rows)).flat(),
    mutationsByRefKeys: async (refKeys) => {
      const lists = (await native.byIndex('outbox', 'refKeys', refKeys)) as LocalMutation[][];
      return [...new Map(lists.flat().map((m) => [m.id, m])).values()];
    },
    getMetas: (keys) =>
      native.get('meta', keys).then((ms) => ms.map((m) => (m as MetaRecord | undefined)?.value)),
    putMetas: (entries) => native.put('meta', entries),
    putRow: (t: TableName, row: Row) => native.put(t, [row]),
    deleteRow: (t, key) => native.delete(t, [key]),
    listRows: (t) => native.all(t),
    appointmentsOfPatient: (patientId) => native.all('appointments', 'patient_id', patientId),
    getMutation: (id) => first(native.get('outbox', [id])),
    addMutation: (m) => native.add('outbox', [m]),
    putMutation: (m) => native.put('outbox', [m]),
    deleteMutation: (id) => native.delete('outbox', [id]),
    getMutations: (ids) => native.get('outbox', ids),
    putMutations: (ms) => native.put('outbox', ms),
    deleteMutations: (ids) => native.delete('outbox', ids),
    mutationsByKey: async (entity: EntityName, key: string) =>
      sortedBySeq(await native.all('outbox', '[entity+key]', [entity, key])),
    mutationsByRefKey: async (refKey) => sortedBySeq(await native.all('outbox', 'refKeys', refKey)),
    allMutations: async () => inSeqOrder(await native.all('outbox')),
    mutationsAfter: (afterSeq, limit) =>
      native.all('outbox', 'seq', db.keyRange.lowerBound(afterSeq, true), limit),
    countMutations: (state: MutationState) => native.count('outbox', 'state', state),
    outboxSize: () => native.count('outbox'),
    getMeta: (key) => first(native.get('meta', [key])).then((m) => (m as MetaRecord | undefined)?.value),
    putMeta: (key, value) => native.put('meta', [{ key, value }]),
    deleteMeta: (key) => native.delete('meta', [key]),
    addQuarantine: (entry) => native.add('quarantine', [entry]),
    listQuarantine: () => native.all('quarantine'),
    clearQuarantine: () => native.clear('quarantine'),
    putConflict: (c: ConflictNotice) => native.put('conflicts', [c]),
    deleteConflicts: async (entity, key, fields) => {
      const all = (await native.all('conflicts', '[entity+key]', [entity, key])) as ConflictNotice[];
      const gone = fields ? all.filter((c) => fields.includes(c.field)) : all;
      await native.delete(
        'conflicts',
        gone.map((c) => [c.entity, c.key, c.field]),
      );
    },
    listConflicts: (entity, key) => native.all('conflicts', '[entity+key]', [entity, key]),
    clearConflicts: () => native.clear('conflicts'),
  };
}
