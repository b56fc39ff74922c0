/**
 * The few table operations the store's semantics need, inside one transaction. They return raw
 * records; `TableStore` parses them (and quarantines what fails) so Dexie and memory behave alike.
 * Inside `transaction` only these operations may be awaited (a Dexie transaction dies otherwise).
 */
import type { LocalMutation, MutationState, Row, StoredMutation } from '../local-mutation.ts';
import type { EntityName } from '../protocol.ts';
import type { ConflictNotice, QuarantineEntry, TableName } from './sync-store.ts';

/**
 * The key a record is stored under. A valid record's is its text id; a damaged one's may be any
 * IndexedDB key, and deleting it (to quarantine it) must name that key.
 */
export type StoredKey = string | number | Date | ArrayBuffer | ArrayBufferView | readonly StoredKey[];

export interface RawTx {
  getRow(table: TableName, key: string): Promise<unknown>;
  /**
   * The bulk operations below are one IndexedDB request each, however many records: a save waits
   * on every request Dexie issues, and a batch's answers or a pull page were most of a drain's local
   * time as a request each. `getRows` answers in the order of `keys`, undefined where there is none.
   */
  getRows(table: TableName, keys: readonly string[]): Promise<unknown[]>;
  putRows(table: TableName, rows: readonly Row[]): Promise<void>;
  /** Fails with a `ConstraintError` (and so aborts the transaction) when a row's key is stored. */
  addRows(table: TableName, rows: readonly Row[]): Promise<void>;
  deleteRows(table: TableName, keys: readonly string[]): Promise<void>;
  /** Fails with a `ConstraintError` (and so aborts the transaction) when an id or a seq exists. */
  addMutations(ms: readonly StoredMutation[]): Promise<void>;
  /** The entries of any of these rows (`[entity, key]`), in no particular order. */
  mutationsOfRows(rows: readonly (readonly [EntityName, string])[]): Promise<unknown[]>;
  /** The entries referencing any of these `entity:key`s, in no particular order. */
  mutationsByRefKeys(refKeys: readonly string[]): Promise<unknown[]>;
  /** One value per key, undefined where none. */
  getMetas(keys: readonly string[]): Promise<unknown[]>;
  putMetas(entries: readonly { key: string; value: unknown }[]): Promise<void>;
  putRow(table: TableName, row: Row): Promise<void>;
  deleteRow(table: TableName, key: StoredKey): Promise<void>;
  listRows(table: TableName): Promise<unknown[]>;
  appointmentsOfPatient(patientId: string): Promise<unknown[]>;
  getMutation(id: string): Promise<unknown>;
  /** Fails (and so aborts the transaction) when the id exists. */
  addMutation(m: StoredMutation): Promise<void>;
  putMutation(m: LocalMutation): Promise<void>;
  deleteMutation(id: StoredKey): Promise<void>;
  /** In the order of `ids`, undefined where there is none. */
  getMutations(ids: readonly string[]): Promise<unknown[]>;
  putMutations(ms: readonly LocalMutation[]): Promise<void>;
  deleteMutations(ids: readonly string[]): Promise<void>;
  mutationsByKey(entity: EntityName, key: string): Promise<unknown[]>;
  mutationsByRefKey(refKey: string): Promise<unknown[]>;
  /** Every outbox record, in `seq` order (those without a numeric seq last, to be quarantined). */
  allMutations(): Promise<unknown[]>;
  /** Up to `limit` entries with a `seq` above `afterSeq`, in `seq` order (a range of the seq index). */
  mutationsAfter(afterSeq: number, limit: number): Promise<unknown[]>;
  countMutations(state: MutationState): Promise<number>;
  /** Entries in the outbox, in any state. */
  outboxSize(): Promise<number>;
  getMeta(key: string): Promise<unknown>;
  putMeta(key: string, value: unknown): Promise<void>;
  deleteMeta(key: string): Promise<void>;
  addQuarantine(entry: QuarantineEntry): Promise<void>;
  listQuarantine(): Promise<unknown[]>;
  clearQuarantine(): Promise<void>;
  putConflict(c: ConflictNotice): Promise<void>;
  /** The row's conflicts, or only those of `fields`. */
  deleteConflicts(entity: EntityName, key: string, fields?: readonly string[]): Promise<void>;
  listConflicts(entity: EntityName, key: string): Promise<unknown[]>;
  clearConflicts(): Promise<void>;
}

export interface RawTables {
  /** Runs `fn` atomically: if it throws, nothing it did is kept. */
  transaction<T>(fn: (tx: RawTx) => Promise<T>): Promise<T>;
  /**
   * The same, for a save (`writeAll`), the transaction the patient waits for: tables that have a
   * cheaper way to run one (`native-tx.ts`) give it here.
   */
  saveTransaction?<T>(fn: (tx: RawTx) => Promise<T>): Promise<T>;
  /**
   * A read-only transaction over the outbox alone, for `countMutations` only: the status counts
   * after every change, and a read-write transaction over every table would queue behind (and hold
   * up) the screens' reads and the saves.
   */
  readOutbox<T>(fn: (tx: Pick<RawTx, 'countMutations'>) => Promise<T>): Promise<T>;
}
