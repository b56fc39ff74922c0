/**
 * The store's semantics, written once over `RawTables` (Dexie, or memory in tests): writes with
 * their derived dependencies, outbox changes, pulls, purges. Everything read is parsed through
 * `TxReader`, and what it quarantined is reported through `subscribe` once the transaction committed.
 */

import { type LocalMutation, MUTATION_STATES, type Row } from '../local-mutation.ts';
import { randomUUID } from '../platform.ts';
import type { EntityName } from '../protocol.ts';
import { applyChange, epochIn } from './apply-change.ts';
import { queuedClientId, storedClientId } from './client-id.ts';
import { OutboxRows, type OutboxRowsSession } from './outbox-rows.ts';
import { type PreparedWrite, prepareWrite } from './prepare-write.ts';
import { purgeIn } from './purge.ts';
import type { RawTables, RawTx } from './raw-tables.ts';
import {
  ALL_TABLES,
  type ApplyReport,
  type ConflictNotice,
  type OutboxChange,
  type OutboxCounts,
  type OutboxPage,
  type OutboxSession,
  type OutboxWindow,
  type PullPage,
  type PurgeFilter,
  type PurgeReport,
  type QuarantineEntry,
  type RowChange,
  type StoreEvent,
  type StoreOptions,
  type SyncStore,
  type TableName,
  type WriteInput,
} from './sync-store.ts';
import { conflictNotice, keyOf, quarantineEntry, TxReader } from './tx-reader.ts';
import { type BatchIds, type BatchResult, guessFailed, type SeqState, writeBatch } from './write-batch.ts';

/** A save's ids and clock, as made before its transaction opens. */
type BatchIdsBase = Pick<BatchIds, 'ids' | 'clientCandidate' | 'createdAt'>;

/** Which of `ids` the outbox holds. */
async function holdsIn(tx: RawTx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const found = await tx.getMutations(ids);
  return new Set(ids.filter((_, i) => found[i] !== undefined));
}

export class TableStore implements SyncStore {
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private readonly newId: () => string;
  private readonly now: () => Date;
  /**
   * The client id and next seq as this store's last save left them: the next save assumes them
   * instead of reading them first (it checks them in the same round as its writes).
   */
  private seqState: SeqState | undefined;
  /** Which rows the outbox holds entries of, so a batch's answers are not looked up row by row. */
  private readonly outboxRows = new OutboxRows();

  constructor(
    private readonly tables: RawTables,
    options: StoreOptions = {},
  ) {
    this.newId = options.newId ?? randomUUID;
    this.now = options.now ?? (() => new Date());
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: StoreEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  /**
   * Runs `fn` in a transaction and reports quarantined records once it committed. `save`: in the
   * tables' save transaction, if they have one.
   */
  private async run<T>(fn: (r: TxReader) => Promise<T>, save = false): Promise<T> {
    let reader: TxReader | undefined;
    const scope = (tx: RawTx) => {
      reader = new TxReader(tx, this.now);
      return fn(reader);
    };
    const { tables } = this;
    const result = await (save && tables.saveTransaction
      ? tables.saveTransaction(scope)
      : tables.transaction(scope));
    for (const entry of reader?.quarantined ?? []) this.emit({ type: 'quarantine', entry });
    return result;
  }

  private async clientIdIn(tx: RawTx, create: string): Promise<string> {
    const existing = storedClientId(await tx.getMeta('clientId'));
    if (existing) return existing;
    const id = (await queuedClientId(tx)) ?? create;
    await tx.putMeta('clientId', id);
    return id;
  }

  getClientId(): Promise<string> {
    const candidate = this.newId();
    return this.run((r) => this.clientIdIn(r.tx, candidate));
  }

  async write(input: WriteInput): Promise<LocalMutation> {
    const [mutation] = await this.writeAll([input]);
    if (!mutation) throw new Error('a write produced no mutation');
    return mutation;
  }

  async writeAll(inputs: readonly WriteInput[]): Promise<LocalMutation[]> {
    // Everything that is not IndexedDB (validation, ids, the clock) happens before the transaction.
    const writes = inputs.map(prepareWrite);
    if (writes.length === 0) return [];
    const ids = writes.map(() => this.newId());
    const batch = { ids, clientCandidate: this.newId(), createdAt: this.now().toISOString() };
    const known = this.seqState;
    // Taken at once: a save started before this one commits is queued after it, and finds it so.
    if (known) this.seqState = { ...known, nextSeq: known.nextSeq + writes.length };
    let result: BatchResult;
    try {
      result = await this.run((r) => writeBatch(r, writes, { ...batch, known, trustFresh: true }), true);
    } catch (e) {
      this.seqState = undefined;
      if (!guessFailed(e)) throw e;
      result = await this.writeReading(writes, batch);
    }
    // Only if no save started meanwhile (it assumed what this one's start left, and checks it).
    if (this.seqState === undefined || this.seqState.nextSeq === result.next.nextSeq)
      this.seqState = result.next;
    for (const mutation of result.mutations) this.emit({ type: 'write', mutation });
    return result.mutations;
  }

  /**
   * A save that reads everything first. An add that still fails is a seq the outbox holds (mutation
   * ids are new, rows are put): the stored counter is behind it (damaged or edited by hand), and the
   * save resumes the counter above it rather than failing every save until the outbox empties.
   */
  private async writeReading(writes: readonly PreparedWrite[], batch: BatchIdsBase): Promise<BatchResult> {
    try {
      return await this.run((r) => writeBatch(r, writes, { ...batch, trustFresh: false }), true);
    } catch (e) {
      if (!(e instanceof Error && e.name === 'ConstraintError')) throw e;
      return this.run(
        (r) => writeBatch(r, writes, { ...batch, trustFresh: false, counterBehind: true }),
        true,
      );
    }
  }

  listOutbox(): Promise<LocalMutation[]> {
    return this.run(async (r) => r.mutations(await r.tx.allMutations()));
  }

  readOutbox(window: OutboxWindow): Promise<OutboxPage> {
    return this.run((r) => r.outboxWindow(window));
  }

  outboxHolds(ids: readonly string[]): Promise<Set<string>> {
    return this.run((r) => holdsIn(r.tx, ids));
  }

  /**
   * Runs `fn` in a transaction with a session of the outbox-rows index, changed only once the
   * transaction committed: what an aborted one did never happened.
   */
  private async withOutboxRows<T>(fn: (r: TxReader, index: OutboxRowsSession) => Promise<T>): Promise<T> {
    let rows: OutboxRowsSession | undefined;
    const result = await this.run((r) => {
      rows = this.outboxRows.session(r.tx);
      return fn(r, rows);
    });
    rows?.commit();
    return result;
  }

  async planning<T>(fn: (outbox: OutboxSession) => Promise<T>): Promise<T> {
    let changed = false;
    const result = await this.withOutboxRows((r, index) =>
      fn({
        readOutbox: (window) => r.outboxWindow(window, true),
        outboxHolds: (ids) => holdsIn(r.tx, ids),
        apply: (change) => {
          changed = true;
          return applyChange(r, change, index);
        },
      }),
    );
    if (changed) this.emit({ type: 'change' });
    return result;
  }

  countOutbox(): Promise<OutboxCounts> {
    // Counting parses nothing, so nothing to quarantine: a read-only transaction of its own.
    return this.tables.readOutbox(async (tx) => {
      const [pending, sending, rejected, blocked] = await Promise.all(
        MUTATION_STATES.map((state) => tx.countMutations(state)),
      );
      return { pending: pending ?? 0, sending: sending ?? 0, rejected: rejected ?? 0, blocked: blocked ?? 0 };
    });
  }

  async apply(change: OutboxChange): Promise<ApplyReport> {
    const report = await this.withOutboxRows((r, index) => applyChange(r, change, index));
    this.emit({ type: 'change' });
    return report;
  }

  applyPull(pull: PullPage, epoch?: number, answers: OutboxChange = {}): Promise<ApplyReport> {
    const serverRows: RowChange[] = [...(answers.serverRows ?? [])];
    const countFrom = serverRows.length;
    for (const table of ALL_TABLES) {
      for (const row of pull.changes[table]) {
        const key = keyOf(row);
        if (key !== null) serverRows.push({ table, key, row });
      }
    }
    for (const t of pull.deleted) serverRows.push({ table: t.entity, key: t.id, row: null });
    return this.apply({
      ...answers,
      serverRows,
      countFrom,
      cursor: pull.cursor,
      ...(epoch === undefined ? {} : { epoch }),
    });
  }

  getRow(table: TableName, key: string): Promise<Row | undefined> {
    return this.run((r) => r.row(table, key));
  }

  listRows(table: TableName): Promise<Row[]> {
    return this.run(async (r) => r.rows(table, await r.tx.listRows(table)));
  }

  getCursor(): Promise<string | null> {
    return this.run(async (r) => {
      const c = await r.tx.getMeta('cursor');
      return typeof c === 'string' ? c : null;
    });
  }

  getEpoch(): Promise<number> {
    return this.run((r) => epochIn(r.tx));
  }

  async purge(filter: PurgeFilter): Promise<PurgeReport> {
    const report = await this.run((r) => purgeIn(r, filter));
    this.emit({ type: 'change' });
    return report;
  }

  listConflicts(entity: EntityName, key: string): Promise<ConflictNotice[]> {
    return this.run(async (r) =>
      (await r.tx.listConflicts(entity, key)).flatMap((raw) => {
        const parsed = conflictNotice.safeParse(raw);
        return parsed.success ? [parsed.data] : [];
      }),
    );
  }

  async dismissConflict(entity: EntityName, key: string, field: string): Promise<void> {
    await this.run((r) => r.tx.deleteConflicts(entity, key, [field]));
    this.emit({ type: 'change' });
  }

  listQuarantine(): Promise<QuarantineEntry[]> {
    return this.run(async (r) =>
      (await r.tx.listQuarantine()).flatMap((raw) => {
        const parsed = quarantineEntry.safeParse(raw);
        return parsed.success ? [parsed.data] : [];
      }),
    );
  }
}
