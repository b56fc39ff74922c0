/** The Dexie-backed store: the PWA's, and the engine's in the browser and the service worker. */
import { Dexie, type ObservabilitySet } from 'dexie';
import type { LocalMutation, Row } from '../local-mutation.ts';
import type { ConsultDb } from './dexie-db.ts';
import type { RawTables, RawTx } from './raw-tables.ts';
import { ALL_TABLES, type StoreEvent, type StoreOptions, type TableName } from './sync-store.ts';
import { TableStore } from './table-store.ts';

const done = (): void => undefined;

/**
 * A bulk add's failure as the failed request's own error (a `ConstraintError`), not Dexie's
 * `BulkError` around it: the store tells a guess proved wrong by that name, as with memory.
 */
function firstFailure(e: unknown): never {
  throw e instanceof Dexie.BulkError ? (e.failures[0] ?? e) : e;
}

export class DexieTables implements RawTables {
  constructor(readonly db: ConsultDb) {}

  transaction<T>(fn: (tx: RawTx) => Promise<T>): Promise<T> {
    const db = this.db;
    const table = (name: TableName) => db.table<Row, string>(name);
    const tx: RawTx = {
      getRow: (t, key) => table(t).get(key),
      getRows: (t, keys) => table(t).bulkGet([...keys]),
      // The save's requests chain Dexie's own promises (`then`, no async wrapper): every native
      // await inside a Dexie transaction costs a hop through its zone bookkeeping.
      putRows: (t, rows) =>
        table(t)
          .bulkPut([...rows])
          .then(done),
      deleteRows: (t, keys) => table(t).bulkDelete([...keys]),
      addRows: (t, rows) =>
        table(t)
          .bulkAdd([...rows])
          .then(done, firstFailure),
      addMutations: (ms) => db.outbox.bulkAdd([...ms]).then(done, firstFailure),
      // One equality query per row, all in flight at once: `anyOf` walks an index cursor, a request per
      // step, which fake-indexeddb re-seeks from the start each time (quadratic in the outbox).
      mutationsOfRows: async (rows) =>
        (
          await Promise.all(
            rows.map((row) =>
              db.outbox
                .where('[entity+key]')
                .equals([...row])
                .toArray(),
            ),
          )
        ).flat(),
      mutationsByRefKeys: async (refKeys) => {
        const lists = await Promise.all(refKeys.map((k) => db.outbox.where('refKeys').equals(k).toArray()));
        return [...new Map(lists.flat().map((m) => [m.id, m])).values()];
      },
      getMetas: (keys) => db.meta.bulkGet([...keys]).then((ms) => ms.map((m) => m?.value)),
      putMetas: (entries) => db.meta.bulkPut([...entries]).then(done),
      putRow: async (t, row) => {
        await table(t).put(row);
      },
      deleteRow: (t, key) => table(t).delete(key),
      listRows: (t) => table(t).toArray(),
      appointmentsOfPatient: (patientId) => db.appointments.where('patient_id').equals(patientId).toArray(),
      getMutation: (id) => db.outbox.get(id),
      addMutation: async (m: LocalMutation) => {
        await db.outbox.add(m);
      },
      putMutation: async (m) => {
        await db.outbox.put(m);
      },
      deleteMutation: (id) => db.outbox.delete(id),
      getMutations: (ids) => db.outbox.bulkGet([...ids]),
      putMutations: async (ms) => {
        await db.outbox.bulkPut([...ms]);
      },
      deleteMutations: (ids) => db.outbox.bulkDelete([...ids]),
      mutationsByKey: (entity, key) => db.outbox.where('[entity+key]').equals([entity, key]).sortBy('seq'),
      mutationsByRefKey: (refKey) => db.outbox.where('refKeys').equals(refKey).sortBy('seq'),
      allMutations: () => db.outbox.orderBy('seq').toArray(),
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
    return db.transaction(
      'rw',
      [...ALL_TABLES.map((t) => db.table(t)), db.outbox, db.meta, db.quarantine, db.conflicts],
      // An async scope, not `() => fn(tx)`: Dexie only keeps the transaction alive across native
      // awaits when the scope function itself is async (else PrematureCommitError).
      async () => await fn(tx),
    );
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
