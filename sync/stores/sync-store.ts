/**
 * The store the engine and the PWA share: entity rows, reference data, the outbox, the pull cursor and
 * meta. Two implementations (Dexie, memory) sit on one set of semantics in `table-store.ts` and
 * pass one contract suite (`testing/store-contract.ts`).
 */
import type { LocalMutation, MutationError, MutationState, Row } from '../local-mutation.ts';
import { type EntityName, PULLED_TABLES, type PulledTable, type PullResponse } from '../protocol.ts';

/** The tables the device keeps: the entities and the reference data. */
export type TableName = PulledTable;
export const ALL_TABLES: readonly TableName[] = PULLED_TABLES;

interface WriteOptions {
  actor?: string | null;
  /**
   * The write corrects what the server refused: in the same transaction, the row's rejected entries
   * (and what of the row waits behind them) are replaced by this one, as a retry would, so the
   * correction does not wait behind the refusal. A no-op when nothing of the row was refused.
   */
  replacesRejected?: boolean;
}

export type WriteInput =
  | ({
      entity: EntityName;
      op: 'upsert';
      row: Row;
      /**
       * An edit: the row as the form showed it before the user changed anything. Only the fields in
       * which `row` differs from it are written, over the row as it is stored now (never the form's
       * stale copy of the others), and sent field-level (`Mutation.base`). Ignored when the row is not
       * stored (a create). Without it the write is whole-row.
       */
      base?: Row;
      /**
       * The caller made this row's id for this write (a new profile, a new booking): nothing is
       * stored or queued under it, so the save reads neither. Only where that is certain: a stored
       * row under the id fails the save's add, and the store then saves again reading everything.
       */
      fresh?: boolean;
    } & WriteOptions)
  | ({ entity: EntityName; op: 'delete'; key: string } & WriteOptions);

export interface MutationPatch {
  id: string;
  /**
   * The entry's `seq` as the caller read it, if known: patches of a run of entries (a batch being
   * marked) are then read as one range of the seq index, not one request per entry. Only a hint:
   * an entry not found in the range is read by id.
   */
  seq?: number;
  state?: MutationState;
  /** null clears it. */
  error?: MutationError | null;
  /** null clears it. */
  blockedBy?: string | null;
  attempted?: boolean;
}

export interface RowChange {
  table: TableName;
  key: string;
  /** null: the row is gone. */
  row: Row | null;
}

/**
 * A field this device edited that the server did not apply, because another write changed it
 * first: kept until the user dismisses it or edits the field again, and shown beside the field.
 */
export interface ConflictNotice {
  entity: EntityName;
  key: string;
  field: string;
  /** What this device wrote. */
  yours: unknown;
  /** What the server keeps. */
  theirs: unknown;
  at: string;
}

/** One atomic change of the outbox and rows; parts referring to entries already gone are skipped. */
export interface OutboxChange {
  /** Replace the entries `replaces` by `record` (retry with a new id, collapsing a rejected group). Skipped when none of them is still there. */
  replace?: readonly { replaces: readonly string[]; record: LocalMutation }[];
  /** Drop from the outbox (confirmed by the server, or discarded). */
  remove?: readonly string[];
  patch?: readonly MutationPatch[];
  /** Rename (string) or drop (null) these ids in every remaining entry's `deps` and `after`. */
  rewire?: Readonly<Record<string, string | null>>;
  /** Rows from the server: merged unless a local write of that row is still in the outbox. */
  serverRows?: readonly RowChange[];
  /** Rows restored by a discard: written as given. */
  localRows?: readonly RowChange[];
  /** Field conflicts the server answered (replacing earlier ones of the same field). */
  conflicts?: readonly ConflictNotice[];
  cursor?: string;
  /**
   * The report counts only `serverRows` from this index on: a pull page's rows, after the answers of
   * the push that brought it (see `SyncStore.applyPull`). From 0 when absent.
   */
  countFrom?: number;
  /**
   * The store's epoch when the request these server rows answer went out (`getEpoch`). If everyone
   * was purged since (a sign-out), `serverRows` and `cursor` are dropped, counted as skipped: they
   * may be the previous user's. The outbox parts still apply.
   */
  epoch?: number;
}

export interface OutboxWindow {
  /** Entries with a greater `seq` (-1: from the start). */
  afterSeq: number;
  limit: number;
}

export interface OutboxPage {
  entries: LocalMutation[];
  /** The window was full: entries may follow it. */
  more: boolean;
}

/** How many outbox entries are in each state (`pending` excludes `sending`). */
export type OutboxCounts = Record<MutationState, number>;

export interface ApplyReport {
  merged: number;
  /** Server rows not merged because a local write of the row is still pending. */
  skipped: number;
}

export type PurgeFilter = { patientIds: readonly string[] } | { everyone: true };

export interface PurgeReport {
  /** Patients (or, for `everyone`, owners of appointments) whose rows were removed from the device. */
  purged: string[];
  /** Patients kept because a write of theirs has not reached the server. */
  kept: string[];
}

export interface QuarantineEntry {
  table: string;
  key: string | null;
  record: unknown;
  issues: string;
  at: string;
}

export type StoreEvent =
  | { type: 'write'; mutation: LocalMutation }
  | { type: 'change' }
  | { type: 'quarantine'; entry: QuarantineEntry };

export interface SyncStore {
  /** This device's id, created on first use and kept in meta. */
  getClientId(): Promise<string>;
  /** Changes the entity table and appends the mutation in one transaction: both or neither. */
  write(input: WriteInput): Promise<LocalMutation>;
  /**
   * Several writes in one transaction (a profile and its first booking): all or none, each with
   * the dependencies it would have had written alone, in order. Every row is validated first.
   */
  writeAll(inputs: readonly WriteInput[]): Promise<LocalMutation[]>;
  /** The outbox in enqueue (`seq`) order. */
  listOutbox(): Promise<LocalMutation[]>;
  /** One window of the outbox: up to `limit` entries after `afterSeq`, in `seq` order (an index range). */
  readOutbox(window: OutboxWindow): Promise<OutboxPage>;
  /** Which of `ids` are still in the outbox (looked up by id). */
  outboxHolds(ids: readonly string[]): Promise<Set<string>>;
  /** Entries per state, counted without reading them (what the status shows). */
  countOutbox(): Promise<OutboxCounts>;
  apply(change: OutboxChange): Promise<ApplyReport>;
  /**
   * Runs `fn` over the outbox in one transaction: nothing changes what it read before what it
   * applies. The drain plans a batch and marks it `sending` this way, so the entries it marks are
   * written as it read them rather than read a second time (a copy of each in IndexedDB and in the
   * page). Only the session's own requests may be awaited inside `fn` (Dexie ends a transaction
   * that waits on anything else).
   */
  planning<T>(fn: (outbox: OutboxSession) => Promise<T>): Promise<T>;
  /**
   * Merges one pull page and its cursor; with `epoch`, only if no purge of everyone happened since
   * (see `OutboxChange.epoch`). `answers`: the answers of the push that brought the page, applied
   * first in the same transaction (a row in both is merged as the page has it, and written once);
   * the report counts the page's rows only.
   */
  applyPull(pull: PullPage, epoch?: number, answers?: OutboxChange): Promise<ApplyReport>;
  getRow(table: TableName, key: string): Promise<Row | undefined>;
  listRows(table: TableName): Promise<Row[]>;
  getCursor(): Promise<string | null>;
  /**
   * Bumped by `purge({ everyone: true })`. The engine reads it before a drain and passes it with
   * what the server answers, so an answer fetched under the previous user's session never lands
   * after that user signed out.
   */
  getEpoch(): Promise<number>;
  /**
   * Removes people's synced rows from this device, keeping any with unsent writes. `everyone` (sign-
   * out, next user on a shared device) also removes appointments whose patient row is not here,
   * resets the pull cursor (the next session gets a full pull of what it may see) and bumps the epoch.
   */
  purge(filter: PurgeFilter): Promise<PurgeReport>;
  listQuarantine(): Promise<QuarantineEntry[]>;
  /** Field conflicts of one row (see `ConflictNotice`). */
  listConflicts(entity: EntityName, key: string): Promise<ConflictNotice[]>;
  /** The user read it: forget it. */
  dismissConflict(entity: EntityName, key: string, field: string): Promise<void>;
  subscribe(listener: (event: StoreEvent) => void): () => void;
}

/** The outbox inside `SyncStore.planning`'s transaction. */
export type OutboxSession = Pick<SyncStore, 'readOutbox' | 'outboxHolds' | 'apply'>;

/** What the store keeps of a pull page (`hasMore` is the engine's business). */
export type PullPage = Omit<PullResponse, 'hasMore'>;

export interface StoreOptions {
  newId?: () => string;
  now?: () => Date;
}
