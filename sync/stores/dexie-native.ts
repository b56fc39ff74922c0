/**
 * The store's commonest requests (a save's adds and puts, the meta reads; a drain's gets, puts and
 * deletes of outbox entries and rows) issued on IndexedDB
 * itself, on the transaction under the Dexie transaction that holds them, instead of through
 * Dexie's tables. Measured in Chromium (bench `save`), a save's requests through Dexie's table API
 * and middleware stack cost more than IndexedDB's own work: a transaction writing a save's five
 * records took 1.3 ms at p50 through Dexie and 1.1 ms issued natively under the same Dexie
 * transaction.
 *
 * What Dexie's middleware would have done is kept:
 * - liveQuery and Dexie's query cache learn what changed from the transaction's `mutatedParts`,
 *   which Dexie reads when the transaction commits (fires `storagemutated`, in this tab and, by
 *   BroadcastChannel, in the others; drops the cached queries it overlaps). Each table written here
 *   is marked whole, every index and the primary keys, as Dexie itself marks a bulk write of 50
 *   rows or more. `dexie-native.test.ts` checks that a liveQuery sees such a write, so a Dexie
 *   upgrade that changes this fails a test instead of leaving screens stale.
 * - A failed request rejects with its own error (a `ConstraintError` for an add over a stored key),
 *   stops there as Dexie's own requests do, and the transaction aborts when the scope rejects.
 * Nothing here bypasses hooks: the app registers none (`Table.hook`).
 */
import { Dexie, type IntervalTree, mergeRanges, type ObservabilitySet, RangeSet } from 'dexie';

/**
 * The little of IndexedDB used here, structurally: sync/ compiles without the DOM lib (it runs in
 * Node too, on fake-indexeddb).
 */
interface IdbEvent {
  stopPropagation(): void;
  preventDefault(): void;
}
interface IdbRequest {
  readonly result: unknown;
  readonly error: unknown;
  onsuccess: (() => void) | null;
  onerror: ((event: IdbEvent) => void) | null;
}
interface IdbSource {
  getAll(query?: unknown, count?: number): IdbRequest;
  count(query?: unknown): IdbRequest;
}
interface IdbStore extends IdbSource {
  add(value: unknown): IdbRequest;
  put(value: unknown): IdbRequest;
  get(key: unknown): IdbRequest;
  delete(key: unknown): IdbRequest;
  clear(): IdbRequest;
  index(name: string): IdbSource;
}
/** The IndexedDB transaction, with Dexie's own field on it: the parts of the database it changed. */
export interface ObservedTransaction {
  objectStore(name: string): IdbStore;
  mutatedParts?: ObservabilitySet;
}

/** Each table's observability parts (`idb://db/table/index`), computed once per database. */
const partsOf = new WeakMap<Dexie, Map<string, readonly string[]>>();

function tableParts(db: Dexie, table: string): readonly string[] {
  const tables = partsOf.get(db) ?? new Map<string, readonly string[]>();
  partsOf.set(db, tables);
  let parts = tables.get(table);
  if (!parts) {
    // '' is the primary key, ':dels' the deleted keys (an add may replace nothing Dexie knows of).
    const names = ['', ':dels', ...db.table(table).schema.indexes.map((index) => index.name)];
    parts = names.map((name) => `idb://${db.name}/${table}/${name}`);
    tables.set(table, parts);
  }
  return parts;
}

/** Rejects with the request's error, stopping the event where it happened, as Dexie's requests do. */
function failOn(request: IdbRequest, reject: (e: unknown) => void): void {
  request.onerror = (event) => {
    event.stopPropagation();
    event.preventDefault();
    reject(request.error);
  };
}

export class NativeRequests {
  private readonly trans: ObservedTransaction;
  /** Tables already marked whole in this transaction: a drain writes one many times. */
  private readonly marked = new Set<string>();

  /**
   * Call inside the Dexie transaction's scope: it takes that transaction's IndexedDB one. Or give
   * the IndexedDB transaction (`native-tx.ts`: a save's own, opened without Dexie).
   */
  constructor(
    private readonly db: Dexie,
    trans?: ObservedTransaction,
  ) {
    const current = trans ?? Dexie.currentTransaction?.idbtrans;
    if (!current) throw new Error('NativeRequests: no Dexie transaction in scope');
    // Dexie types it as the DOM's IDBTransaction, a name sync/ does not have (see above).
    this.trans = current as unknown as ObservedTransaction;
  }

  /** The parts of the database this transaction changed (see `touched`), if any. */
  changed(): ObservabilitySet | undefined {
    return this.trans.mutatedParts;
  }

  /** A table's records, or an index's under `query` (a key or a key range), at most `limit`. */
  all(table: string, index?: string, query?: unknown, limit?: number): Promise<unknown[]> {
    const store = this.trans.objectStore(table);
    const source = index ? store.index(index) : store;
    return this.one(source.getAll(query, limit)) as Promise<unknown[]>;
  }

  count(table: string, index?: string, key?: unknown): Promise<number> {
    const store = this.trans.objectStore(table);
    return this.one((index ? store.index(index) : store).count(key)) as Promise<number>;
  }

  clear(table: string): Promise<void> {
    this.touched(table);
    return this.one(this.trans.objectStore(table).clear()).then(() => undefined);
  }

  private one(request: IdbRequest): Promise<unknown> {
    return new Promise((resolve, reject) => {
      failOn(request, reject);
      request.onsuccess = () => resolve(request.result);
    });
  }

  add(table: string, values: readonly unknown[]): Promise<void> {
    return this.write(table, values, (store, value) => store.add(value));
  }

  put(table: string, values: readonly unknown[]): Promise<void> {
    return this.write(table, values, (store, value) => store.put(value));
  }

  delete(table: string, keys: readonly unknown[]): Promise<void> {
    return this.write(table, keys, (store, key) => store.delete(key));
  }

  /** The records under `keys`, in order (undefined where none). */
  get(table: string, keys: readonly unknown[]): Promise<unknown[]> {
    const store = this.trans.objectStore(table);
    return this.each(keys, (key) => store.get(key));
  }

  /** For each key, the records an index holds under it (`[entity+key]`: an `[entity, key]` pair). */
  byIndex(table: string, index: string, keys: readonly unknown[]): Promise<unknown[][]> {
    const source = this.trans.objectStore(table).index(index);
    return this.each(keys, (key) => source.getAll(key)) as Promise<unknown[][]>;
  }

  /** One request per key, all issued at once; their results in order. */
  private each(keys: readonly unknown[], issue: (key: unknown) => IdbRequest): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      const found: unknown[] = new Array(keys.length);
      if (keys.length === 0) return resolve(found);
      let left = keys.length;
      keys.forEach((key, i) => {
        const request = issue(key);
        failOn(request, reject);
        request.onsuccess = () => {
          found[i] = request.result;
          if (--left === 0) resolve(found);
        };
      });
    });
  }

  private write(
    table: string,
    values: readonly unknown[],
    issue: (store: IdbStore, value: unknown) => IdbRequest,
  ): Promise<void> {
    if (values.length === 0) return Promise.resolve();
    this.touched(table);
    const store = this.trans.objectStore(table);
    return new Promise((resolve, reject) => {
      let request: IdbRequest | undefined;
      for (const value of values) {
        request = issue(store, value);
        failOn(request, reject);
      }
      // IndexedDB answers a transaction's requests in order: the last one's success is the batch's.
      if (request) request.onsuccess = () => resolve();
    });
  }

  /** Marks the whole table changed for when the transaction commits (see the file's comment). */
  private touched(table: string): void {
    if (this.marked.has(table)) return;
    this.marked.add(table);
    this.trans.mutatedParts ??= {};
    const parts = this.trans.mutatedParts;
    for (const part of tableParts(this.db, table)) {
      const whole: IntervalTree = new RangeSet(Dexie.minKey, Dexie.maxKey);
      const marked = parts[part];
      if (marked) mergeRanges(marked, whole);
      else parts[part] = whole;
    }
  }
}
