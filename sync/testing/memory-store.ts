/**
 * The in-memory store: same semantics as Dexie (one `TableStore`), for tests and for runtimes
 * without IndexedDB. Records are structured-cloned in and out, as IndexedDB does, so a caller
 * mutating an object it passed or got back cannot change the store behind its back.
 */
import type { LocalMutation, Row, StoredMutation } from '../local-mutation.ts';
import type { EntityName } from '../protocol.ts';
import type { RawTables, RawTx } from '../stores/raw-tables.ts';
import {
  ALL_TABLES,
  type ConflictNotice,
  type QuarantineEntry,
  type StoreOptions,
  type TableName,
} from '../stores/sync-store.ts';
import { TableStore } from '../stores/table-store.ts';

interface MemoryData {
  rows: Map<TableName, Map<string, unknown>>;
  outbox: Map<string, StoredMutation>;
  meta: Map<string, unknown>;
  quarantine: QuarantineEntry[];
  /** `${entity}:${key}:${field}` → notice. */
  conflicts: Map<string, ConflictNotice>;
}

function constraintError(message: string): Error {
  const e = new Error(message);
  e.name = 'ConstraintError';
  return e;
}

export class MemoryTables implements RawTables {
  private readonly data: MemoryData = {
    rows: new Map(ALL_TABLES.map((t) => [t, new Map()])),
    outbox: new Map(),
    meta: new Map(),
    quarantine: [],
    conflicts: new Map(),
  };
  /** Transactions run one after another, like IndexedDB's overlapping readwrite transactions. */
  private queue: Promise<unknown> = Promise.resolve();

  transaction<T>(fn: (tx: RawTx) => Promise<T>): Promise<T> {
    const run = this.queue.then(() => this.runOne(fn));
    this.queue = run.catch(() => undefined);
    return run;
  }

  readOutbox<T>(fn: (tx: Pick<RawTx, 'countMutations'>) => Promise<T>): Promise<T> {
    return this.transaction(fn);
  }

  /** Raw access for tests that plant records an older version (or a bug) could have written. */
  plant(table: TableName | 'outbox', record: Record<string, unknown>): void {
    const id = String(record.id);
    if (table === 'outbox') this.data.outbox.set(id, structuredClone(record) as LocalMutation);
    else this.table(table).set(id, structuredClone(record));
  }

  private table(name: TableName): Map<string, unknown> {
    const t = this.data.rows.get(name);
    if (!t) throw new Error(`no table ${name}`);
    return t;
  }

  private async runOne<T>(fn: (tx: RawTx) => Promise<T>): Promise<T> {
    const undo: (() => void)[] = [];
    const d = this.data;
    const setIn = <V>(map: Map<string, V>, key: string, value: V | undefined) => {
      const had = map.has(key);
      const old = map.get(key);
      undo.push(() => (had ? map.set(key, old as V) : map.delete(key)));
      if (value === undefined) map.delete(key);
      else map.set(key, value);
    };
    const clone = <V>(v: V): V => structuredClone(v);
    // Filter before cloning: a write looks up its key among thousands of queued mutations (a kiosk
    // offline all day) and cloning them all made every write O(outbox) clones.
    const sortedOutbox = (keep: (m: StoredMutation) => boolean = () => true) =>
      [...d.outbox.values()]
        .filter(keep)
        .sort((a, b) => a.seq - b.seq)
        .map(clone);
    const tx: RawTx = {
      getRow: async (table, key) => clone(this.table(table).get(key)),
      getRows: async (table, keys) => keys.map((key) => clone(this.table(table).get(key))),
      putRows: async (table, rows) => {
        for (const row of rows) await tx.putRow(table, row);
      },
      addRows: async (table, rows) => {
        for (const row of rows) {
          if (this.table(table).has(String(row.id)))
            throw constraintError(`${table} already holds ${row.id}`);
          await tx.putRow(table, row);
        }
      },
      deleteRows: async (table, keys) => {
        for (const key of keys) await tx.deleteRow(table, key);
      },
      addMutations: async (ms) => {
        for (const m of ms) await tx.addMutation(m);
      },
      mutationsOfRows: async (rows) => {
        const wanted = new Set(rows.map(([entity, key]) => `${entity}:${key}`));
        return sortedOutbox((m) => wanted.has(`${m.entity}:${m.key}`));
      },
      mutationsByRefKeys: async (refKeys) =>
        sortedOutbox((m) => refKeys.some((k) => m.refKeys?.includes(k) ?? false)),
      getMetas: async (keys) => keys.map((key) => clone(d.meta.get(key))),
      putMetas: async (entries) => {
        for (const { key, value } of entries) await tx.putMeta(key, value);
      },
      putRow: async (table, row: Row) => setIn(this.table(table), String(row.id), clone(row)),
      // Held by their text, as putRow keys them (a damaged record's key may be a number).
      deleteRow: async (table, key) => setIn(this.table(table), String(key), undefined),
      listRows: async (table) => [...this.table(table).values()].map(clone),
      appointmentsOfPatient: async (patientId) =>
        [...this.table('appointments').values()]
          .filter((a) => (a as Row).patient_id === patientId)
          .map(clone),
      getMutation: async (id) => clone(d.outbox.get(id)),
      addMutation: async (m) => {
        if (d.outbox.has(m.id)) throw constraintError(`outbox already holds ${m.id}`);
        if ([...d.outbox.values()].some((o) => o.seq === m.seq)) throw constraintError(`seq ${m.seq} taken`);
        setIn(d.outbox, m.id, clone(m));
      },
      putMutation: async (m) => setIn(d.outbox, m.id, clone(m)),
      deleteMutation: async (id) => setIn(d.outbox, String(id), undefined),
      getMutations: async (ids) => ids.map((id) => clone(d.outbox.get(id))),
      putMutations: async (ms) => {
        for (const m of ms) setIn(d.outbox, m.id, clone(m));
      },
      deleteMutations: async (ids) => {
        for (const id of ids) setIn(d.outbox, id, undefined);
      },
      mutationsByKey: async (entity: EntityName, key) =>
        sortedOutbox((m) => m.entity === entity && m.key === key),
      mutationsByRefKey: async (refKey) => sortedOutbox((m) => m.refKeys?.includes(refKey) ?? false),
      allMutations: async () => sortedOutbox(),
      mutationsAfter: async (afterSeq, limit) =>
        [...d.outbox.values()]
          .filter((m) => m.seq > afterSeq)
          .sort((a, b) => a.seq - b.seq)
          .slice(0, limit)
          .map(clone),
      countMutations: async (state) => [...d.outbox.values()].filter((m) => m.state === state).length,
      outboxSize: async () => d.outbox.size,
      getMeta: async (key) => clone(d.meta.get(key)),
      putMeta: async (key, value) => setIn(d.meta, key, clone(value)),
      deleteMeta: async (key) => setIn(d.meta, key, undefined),
      addQuarantine: async (entry) => {
        d.quarantine.push(clone(entry));
        undo.push(() => d.quarantine.pop());
      },
      listQuarantine: async () => d.quarantine.map(clone),
      clearQuarantine: async () => {
        const old = d.quarantine.splice(0);
        undo.push(() => d.quarantine.push(...old));
      },
      putConflict: async (c) => setIn(d.conflicts, `${c.entity}:${c.key}:${c.field}`, clone(c)),
      deleteConflicts: async (entity, key, fields) => {
        for (const [k, c] of [...d.conflicts])
          if (c.entity === entity && c.key === key && (!fields || fields.includes(c.field)))
            setIn(d.conflicts, k, undefined);
      },
      listConflicts: async (entity, key) =>
        [...d.conflicts.values()].filter((c) => c.entity === entity && c.key === key).map(clone),
      clearConflicts: async () => {
        for (const k of [...d.conflicts.keys()]) setIn(d.conflicts, k, undefined);
      },
    };
    try {
      return await fn(tx);
    } catch (e) {
      for (const step of undo.reverse()) step();
      throw e;
    }
  }
}

export class MemoryStore extends TableStore {
  constructor(
    options: StoreOptions = {},
    readonly memory: MemoryTables = new MemoryTables(),
  ) {
    super(memory, options);
  }
}
