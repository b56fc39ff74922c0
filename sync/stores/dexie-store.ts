/** The Dexie-backed store: the PWA's, and the engine's in the browser and the service worker. */
import { Dexie, type IndexableType, type ObservabilitySet } from 'dexie';
import type { LocalMutation, Row } from '../local-mutation.ts';
import type { ConsultDb } from './dexie-db.ts';
import { NativeRequests } from './dexie-native.ts';
import { inSeqOrder, nativeTransaction, nativeTx } from './native-tx.ts';
import type { RawTables, RawTx } from './raw-tables.ts';
import { ALL_TABLES, type StoreEvent, type StoreOptions, type TableName } from './sync-store.ts';
import { TableStore } from './table-store.ts';

/** Every table a store transaction may touch. */
const TABLES = [...ALL_TABLES, 'outbox', 'meta', 'quarantine', 'conflicts'] as const;

export class DexieTables implements RawTables {
  constructor(readonly db: ConsultDb) {}

  transaction<T>(fn: (tx: RawTx) => Promise<T>): Promise<T> {
    const db = this.db;
    return db.transaction(
      'rw',
      TABLES.map((t) => db.table(t)),
      // An async scope, not `() => fn(tx)`: Dexie only keeps the transaction alive across native
      // awaits when the scope function itself is async (else PrematureCommitError).
      async () => await fn(this.rawTx(new NativeRequests(db))),
    );
  }

  /**
   * A save in a transaction of IndexedDB's own (`native-tx.ts`: Dexie's costs more than the save's
   * requests). Through Dexie while the database is not open: Dexie's transaction opens it (and
   * reopens it after an upgrade elsewhere closed it).
   */
  saveTransaction<T>(fn: (tx: RawTx) => Promise<T>): Promise<T> {
    if (!this.db.isOpen()) return this.transaction(fn);
    try {
      return nativeTransaction(this.db, TABLES, fn);
    } catch (e) {
      // Closing under us (a new version elsewhere): Dexie's transaction says so, or reopens.
      if (e instanceof Error && e.name === 'InvalidStateError') return this.transaction(fn);
      throw e;
    }
  }

  /**
   * The transaction's requests. A save's (rows and outbox entries added or put, the meta read and
   * written) go to IndexedDB directly (`dexie-native.ts`: Dexie's layers cost more than the
   * requests); the rest go through Dexie's tables.
   */
  private rawTx(native: NativeRequests): RawTx {
    const db = this.db;
    const table = (name: TableName) => db.table<Row, string>(name);
    // What is native in both kinds of transaction comes from `nativeTx`; the rest goes through Dexie.
    return {
      ...nativeTx(db, native),
      getRow: (t, key) => table(t).get(key),
      putRow: async (t, row) => {
        await table(t).put(row);
      },
      // Any IndexedDB key (a damaged record's may be a number): the typed tables take only text.
      deleteRow: (t, key) => db.table(t).delete(key as IndexableType),
      listRows: (t) => table(t).toArray(),
      appointmentsOfPatient: (patientId) => db.appointments.where('patient_id').equals(patientId).toArray(),
      getMutation: (id) => db.outbox.get(id),
      addMutation: async (m: LocalMutation) => {
        await db.outbox.add(m);
      },
      putMutation: async (m) => {
        await db.outbox.put(m);
      },
      deleteMutation: (id) => db.table('outbox').delete(id as IndexableType),
      mutationsByKey: (entity, key) => db.outbox.where('[entity+key]').equals([entity, key]).sortBy('seq'),
      mutationsByRefKey: (refKey) => db.outbox.where('refKeys').equals(refKey).sortBy('seq'),
      allMutations: async () => inSeqOrder(await db.outbox.toArray()),
      mutationsAfter: (afterSeq, limit) => db.outbox.where('seq').above(afterSeq).limit(limit).toArray(),
      countMutations: (state) => db.outbox.where('state').equals(state).count(),
      outboxSize: () => db.outbox.count(),
      getMeta: async (key) => (await db.meta.get(key))?.value,
      putMeta: async (key, value) => {
        await db.meta.put({ key, value });
      },
      deleteMeta: (key) => db.meta.delete(key),
      addQuarantine: async (entry) => {
        await db.quarantine.add(entry);
      },
      listQuarantine: () => db.quarantine.orderBy('qid').toArray(),
      clearQuarantine: () => db.quarantine.clear(),
      putConflict: async (c) => {
        await db.conflicts.put(c);
      },
      deleteConflicts: async (entity, key, fields) => {
        const row = db.conflicts.where('[entity+key]').equals([entity, key]);
        await (fields ? row.filter((c) => fields.includes(c.field)) : row).delete();
      },
      listConflicts: (entity, key) => db.conflicts.where('[entity+key]').equals([entity, key]).toArray(),
      clearConflicts: () => db.conflicts.clear(),
    };
  }

  readOutbox<T>(fn: (tx: Pick<RawTx, 'countMutations'>) => Promise<T>): Promise<T> {
    const { outbox } = this.db;
    return this.db.transaction('r', outbox, async () => {
      return await fn({ countMutations: (state) => outbox.where('state').equals(state).count() });
    });
  }
}

export class DexieStore extends TableStore {
  constructor(
    readonly db: ConsultDb,
    options: StoreOptions = {},
  ) {
    super(new DexieTables(db), options);
  }

  /**
   * Also reports outbox changes made elsewhere (another tab, the service worker: Dexie tells every
   * tab), so a status counted from this store never says "all sent" while another tab queued a write.
   */
  override subscribe(listener: (event: StoreEvent) => void): () => void {
    const off = super.subscribe(listener);
    const outbox = `idb://${this.db.name}/outbox`;
    const onMutated = (parts: ObservabilitySet) => {
      // `all`: Dexie's "anything may have changed" (a page restored from the back-forward cache).
      if (Object.keys(parts).some((k) => k === 'all' || k.startsWith(outbox))) listener({ type: 'change' });
    };
    Dexie.on.storagemutated.subscribe(onMutated);
    return () => {
      off();
      Dexie.on.storagemutated.unsubscribe(onMutated);
    };
  }
}
