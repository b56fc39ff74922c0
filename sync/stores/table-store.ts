/**
 * The store's semantics, written once over `RawTables` (Dexie, or memory in tests): writes with
 * their derived dependencies, outbox changes, pulls, purges. Everything read is parsed through
 * `TxReader`, and what it quarantined is reported through `subscribe` once the transaction committed.
 */
import { buildMutation, refusedTail, replacing } from '../enqueue.ts';
import { ENTITIES } from '../entities.ts';
import { SyncValidationError } from '../errors.ts';
import { editOf } from '../field-changes.ts';
import { type LocalMutation, MUTATION_STATES, type Row, refKey } from '../local-mutation.ts';
import { randomUUID } from '../platform.ts';
import type { EntityName } from '../protocol.ts';
import { applyChange, epochIn, replaceChange } from './apply-change.ts';
import type { RawTables, RawTx } from './raw-tables.ts';
import {
  ALL_TABLES,
  type ApplyReport,
  type ConflictNotice,
  type OutboxChange,
  type OutboxCounts,
  type OutboxPage,
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

export class TableStore implements SyncStore {
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private readonly newId: () => string;
  private readonly now: () => Date;

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

  /** Runs `fn` in a transaction and reports quarantined records once it committed. */
  private async run<T>(fn: (r: TxReader) => Promise<T>): Promise<T> {
    let reader: TxReader | undefined;
    const result = await this.tables.transaction((tx) => {
      reader = new TxReader(tx, this.now);
      return fn(reader);
    });
    for (const entry of reader?.quarantined ?? []) this.emit({ type: 'quarantine', entry });
    return result;
  }

  private async clientIdIn(tx: RawTx, create: string): Promise<string> {
    const existing = await tx.getMeta('clientId');
    if (typeof existing === 'string') return existing;
    await tx.putMeta('clientId', create);
    return create;
  }

  getClientId(): Promise<string> {
    const candidate = this.newId();
    return this.run((r) => this.clientIdIn(r.tx, candidate));
  }

  async write(input: WriteInput): Promise<LocalMutation> {
    const def = ENTITIES[input.entity];
    let key: string;
    let data: Row | null = null;
    if (input.op === 'upsert') {
      const parsed = def.schema.safeParse(input.row);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        const first = issues[0];
        throw new SyncValidationError(
          `${input.entity}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
          first?.path || null,
          issues,
        );
      }
      // Normalised values (trimmed) over the given row, keeping columns the schema does not name.
      data = { ...input.row, ...(parsed.data as Row) };
      key = String(data.id);
    } else {
      key = input.key;
    }
    // Everything that is not Dexie is prepared before the transaction opens.
    const id = this.newId();
    const clientCandidate = this.newId();
    const createdAt = this.now().toISOString();
    const mutation = await this.run(async (r) => {
      const { tx } = r;
      const clientId = await this.clientIdIn(tx, clientCandidate);
      const nextSeq = await tx.getMeta('nextSeq');
      const seq = typeof nextSeq === 'number' ? nextSeq : 1;
      const before = await r.row(input.entity, key);
      // An edit writes only what the user changed, over the row as stored now.
      const edit =
        data && input.op === 'upsert' && input.base && before ? editOf(def, before, data, input.base) : null;
      if (edit) data = edit.row;
      const sameKey = await r.mutations(await tx.mutationsByKey(input.entity, key));
      const replaced = input.replacesRejected ? refusedTail(sameKey) : [];
      const replacedIds = new Set(replaced.map((x) => x.id));
      const referenced: LocalMutation[] = [];
      if (data) {
        for (const ref of def.references) {
          const value = data[ref.field];
          if (typeof value === 'string')
            referenced.push(...(await r.mutations(await tx.mutationsByKey(ref.entity, value))));
        }
      }
      const referencing =
        input.op === 'delete' ? await r.mutations(await tx.mutationsByRefKey(refKey(input.entity, key))) : [];
      const built = buildMutation({
        id,
        clientId,
        seq,
        createdAt,
        actor: input.actor ?? null,
        entity: input.entity,
        op: input.op,
        key,
        data,
        before,
        base: edit?.base,
        sameKey: sameKey.filter((x) => !replacedIds.has(x.id)),
        referenced,
        referencing,
      });
      const m = replacing(built, replaced);
      if (data) await tx.putRow(input.entity, data);
      else await tx.deleteRow(input.entity, key);
      // Editing a field again answers its conflict notice; a delete leaves nothing to tell.
      if (!data) await tx.deleteConflicts(input.entity, key);
      else if (edit) await tx.deleteConflicts(input.entity, key, Object.keys(edit.base));
      await tx.addMutation(m);
      await tx.putMeta('nextSeq', seq + 1);
      if (replaced.length > 0) await applyChange(r, await replaceChange(r, replacedIds, m.id));
      return m;
    });
    this.emit({ type: 'write', mutation });
    return mutation;
  }

  listOutbox(): Promise<LocalMutation[]> {
    return this.run(async (r) => r.mutations(await r.tx.allMutations()));
  }

  readOutbox(window: OutboxWindow): Promise<OutboxPage> {
    return this.run(async (r) => {
      const raws = await r.tx.mutationsAfter(window.afterSeq, window.limit);
      // Counted before parsing: a record moved to quarantine still means the window was full.
      return { entries: await r.mutations(raws), more: raws.length >= window.limit };
    });
  }

  async outboxHolds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const found = await this.run((r) => r.tx.getMutations(ids));
    return new Set(ids.filter((_, i) => found[i] !== undefined));
  }

  countOutbox(): Promise<OutboxCounts> {
    return this.run(async ({ tx }) => {
      const [pending, sending, rejected, blocked] = await Promise.all(
        MUTATION_STATES.map((state) => tx.countMutations(state)),
      );
      return { pending: pending ?? 0, sending: sending ?? 0, rejected: rejected ?? 0, blocked: blocked ?? 0 };
    });
  }

  async apply(change: OutboxChange): Promise<ApplyReport> {
    const report = await this.run((r) => applyChange(r, change));
    this.emit({ type: 'change' });
    return report;
  }

  applyPull(pull: PullPage, epoch?: number): Promise<ApplyReport> {
    const serverRows: RowChange[] = [];
    for (const table of ALL_TABLES) {
      for (const row of pull.changes[table]) {
        const key = keyOf(row);
        if (key !== null) serverRows.push({ table, key, row });
      }
    }
    for (const t of pull.deleted) serverRows.push({ table: t.entity, key: t.id, row: null });
    return this.apply({ serverRows, cursor: pull.cursor, ...(epoch === undefined ? {} : { epoch }) });
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
    const report = await this.run(async (r) => {
      const { tx } = r;
      const everyone = 'everyone' in filter;
      let ids: string[];
      if (everyone) {
        // Appointments whose patient row is not on the device (pulled alone) go too.
        const patients = (await r.rows('patients', await tx.listRows('patients'))).map((p) => String(p.id));
        const owners = (await r.rows('appointments', await tx.listRows('appointments'))).map((a) =>
          String(a.patient_id),
        );
        ids = [...new Set([...patients, ...owners])];
        // The next session starts from nothing: a full pull, and answers fetched before now are void.
        await tx.deleteMeta('cursor');
        await tx.putMeta('epoch', (await epochIn(tx)) + 1);
        // Unreadable records may still hold someone's details: on a shared device they go too.
        await tx.clearQuarantine();
        await tx.clearConflicts();
      } else {
        ids = [...filter.patientIds];
      }
      const outbox = await r.mutations(await tx.allMutations());
      const result: PurgeReport = { purged: [], kept: [] };
      for (const patientId of ids) {
        const appointments = await r.rows('appointments', await tx.appointmentsOfPatient(patientId));
        const keys = new Set([
          refKey('patients', patientId),
          ...appointments.map((a) => refKey('appointments', String(a.id))),
        ]);
        // Unsent writes are the only copy of what was typed: never purge them.
        const pending = outbox.some(
          (m) => keys.has(refKey(m.entity, m.key)) || m.refKeys.some((k) => keys.has(k)),
        );
        if (pending) {
          result.kept.push(patientId);
          continue;
        }
        for (const a of appointments) {
          await tx.deleteRow('appointments', String(a.id));
          await tx.deleteConflicts('appointments', String(a.id));
        }
        await tx.deleteRow('patients', patientId);
        await tx.deleteConflicts('patients', patientId);
        result.purged.push(patientId);
      }
      return result;
    });
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
