/**
 * The store's semantics, written once over `StoreBackend` (Dexie or memory). Records read back are
 * parsed; one that fails (written by an older version, or corrupted) moves to `quarantine` and is
 * reported through `subscribe`, never thrown at the caller.
 */
import { z } from 'zod';
import { buildMutation, refusedTail, replacing } from '../enqueue.ts';
import { ENTITIES } from '../entities.ts';
import { SyncValidationError } from '../errors.ts';
import { type LocalMutation, localMutation, type Row, refKey } from '../local-mutation.ts';
import { ENTITY_NAMES, type EntityName } from '../protocol.ts';
import type { StoreBackend, StoreTx } from './store-backend.ts';
import {
  ALL_TABLES,
  type ApplyReport,
  type OutboxChange,
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

const referenceRow = z.looseObject({ id: z.string() });
const quarantineEntry = z.object({
  table: z.string(),
  key: z.string().nullable(),
  record: z.unknown(),
  issues: z.string(),
  at: z.string(),
});

function isEntity(table: TableName): table is EntityName {
  return (ENTITY_NAMES as readonly string[]).includes(table);
}

function rowSchema(table: TableName): z.ZodType<unknown> {
  return isEntity(table) ? ENTITIES[table].schema : referenceRow;
}

function keyOf(record: unknown): string | null {
  if (typeof record === 'object' && record !== null) {
    const id = (record as Record<string, unknown>).id;
    if (typeof id === 'string') return id;
  }
  return null;
}

function versionOf(row: Row | undefined): number | null {
  return typeof row?.version === 'number' ? row.version : null;
}

/** Reads within one transaction, collecting what had to be quarantined. */
class TxReader {
  readonly quarantined: QuarantineEntry[] = [];
  constructor(
    readonly tx: StoreTx,
    private readonly now: () => Date,
  ) {}

  async row(table: TableName, key: string): Promise<Row | undefined> {
    const raw = await this.tx.getRow(table, key);
    if (raw === undefined) return undefined;
    return this.checkRow(table, raw);
  }

  async rows(table: TableName, raws: unknown[]): Promise<Row[]> {
    const out: Row[] = [];
    for (const raw of raws) {
      const row = await this.checkRow(table, raw);
      if (row) out.push(row);
    }
    return out;
  }

  async mutations(raws: unknown[]): Promise<LocalMutation[]> {
    const out: LocalMutation[] = [];
    for (const raw of raws) {
      const parsed = localMutation.safeParse(raw);
      if (parsed.success) {
        out.push(parsed.data);
        continue;
      }
      const key = keyOf(raw);
      if (key !== null) await this.tx.deleteMutation(key);
      await this.quarantine('outbox', key, raw, parsed.error.message);
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  private async checkRow(table: TableName, raw: unknown): Promise<Row | undefined> {
    const parsed = rowSchema(table).safeParse(raw);
    // Keep the stored record itself: the schema strips columns it does not know (server fields).
    if (parsed.success) return raw as Row;
    const key = keyOf(raw);
    if (key !== null) await this.tx.deleteRow(table, key);
    await this.quarantine(table, key, raw, parsed.error.message);
    return undefined;
  }

  private async quarantine(
    table: string,
    key: string | null,
    record: unknown,
    issues: string,
  ): Promise<void> {
    const entry: QuarantineEntry = { table, key, record, issues, at: this.now().toISOString() };
    await this.tx.addQuarantine(entry);
    this.quarantined.push(entry);
  }
}

/**
 * Drops the replaced entries and points what depended on them at their replacement; what the
 * server blocked behind them is released (its blocker is gone; the next plan holds it again if
 * something else still stops it).
 */
async function replaceChange(r: TxReader, replaced: ReadonlySet<string>, by: string): Promise<OutboxChange> {
  const outbox = await r.mutations(await r.tx.allMutations());
  return {
    remove: [...replaced],
    rewire: Object.fromEntries([...replaced].map((id) => [id, by])),
    patch: outbox
      .filter((x) => !replaced.has(x.id) && x.state === 'blocked' && x.blockedBy && replaced.has(x.blockedBy))
      .map((x) => ({ id: x.id, state: 'pending', blockedBy: null })),
  };
}

export class BackendStore implements SyncStore {
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private readonly newId: () => string;
  private readonly now: () => Date;

  constructor(
    private readonly backend: StoreBackend,
    options: StoreOptions = {},
  ) {
    this.newId = options.newId ?? (() => crypto.randomUUID());
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
    const result = await this.backend.transaction((tx) => {
      reader = new TxReader(tx, this.now);
      return fn(reader);
    });
    for (const entry of reader?.quarantined ?? []) this.emit({ type: 'quarantine', entry });
    return result;
  }

  private async clientIdIn(tx: StoreTx, create: string): Promise<string> {
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
        sameKey: sameKey.filter((x) => !replacedIds.has(x.id)),
        referenced,
        referencing,
      });
      const m = replacing(built, replaced);
      if (data) await tx.putRow(input.entity, data);
      else await tx.deleteRow(input.entity, key);
      await tx.addMutation(m);
      await tx.putMeta('nextSeq', seq + 1);
      if (replaced.length > 0) await this.applyIn(r, await replaceChange(r, replacedIds, m.id));
      return m;
    });
    this.emit({ type: 'write', mutation });
    return mutation;
  }

  listOutbox(): Promise<LocalMutation[]> {
    return this.run(async (r) => r.mutations(await r.tx.allMutations()));
  }

  async apply(change: OutboxChange): Promise<ApplyReport> {
    const report = await this.run((r) => this.applyIn(r, change));
    this.emit({ type: 'change' });
    return report;
  }

  private async applyIn(r: TxReader, change: OutboxChange): Promise<ApplyReport> {
    const { tx } = r;
    if (change.epoch !== undefined && change.epoch !== (await this.epochIn(tx))) {
      // Everyone was purged since the request went out: these rows may be the previous user's.
      const { serverRows, cursor: _cursor, epoch: _epoch, ...outboxOnly } = change;
      const report = await this.applyIn(r, outboxOnly);
      return { merged: report.merged, skipped: report.skipped + (serverRows?.length ?? 0) };
    }
    for (const { replaces, record } of change.replace ?? []) {
      const present = await Promise.all(replaces.map((id) => tx.getMutation(id)));
      if (!present.some((p) => p !== undefined)) continue;
      for (const id of replaces) await tx.deleteMutation(id);
      await tx.putMutation(record);
    }
    for (const id of change.remove ?? []) await tx.deleteMutation(id);
    for (const p of change.patch ?? []) {
      const [current] = await r.mutations([await tx.getMutation(p.id)].filter((x) => x !== undefined));
      if (!current) continue;
      const next: LocalMutation = { ...current };
      if (p.state !== undefined) next.state = p.state;
      if (p.attempted !== undefined) next.attempted = p.attempted;
      if (p.error === null) delete next.error;
      else if (p.error !== undefined) next.error = p.error;
      if (p.blockedBy === null) delete next.blockedBy;
      else if (p.blockedBy !== undefined) next.blockedBy = p.blockedBy;
      await tx.putMutation(next);
    }
    const rewire = change.rewire ?? {};
    if (Object.keys(rewire).length > 0) {
      const map = (ids: readonly string[]) => {
        const out = new Set<string>();
        for (const id of ids) {
          const to = id in rewire ? rewire[id] : id;
          if (to) out.add(to);
        }
        return [...out];
      };
      for (const m of await r.mutations(await tx.allMutations())) {
        if (!m.deps.some((d) => d in rewire) && !m.after.some((d) => d in rewire)) continue;
        const deps = map(m.deps).filter((d) => d !== m.id);
        const after = map(m.after).filter((d) => d !== m.id && !deps.includes(d));
        await tx.putMutation({ ...m, deps, after });
      }
    }
    for (const c of change.localRows ?? []) await this.putRowChange(tx, c);
    let merged = 0;
    let skipped = 0;
    for (const c of change.serverRows ?? []) {
      if (isEntity(c.table)) {
        const pending = await r.mutations(await tx.mutationsByKey(c.table, c.key));
        if (pending.length > 0) {
          // The local write wins until it is confirmed; but the row now exists on the server, so
          // a later delete of it must be sent rather than vanish with an unsent create.
          if (c.row !== null)
            for (const m of pending) if (m.createsRow) await tx.putMutation({ ...m, createsRow: false });
          skipped++;
          continue;
        }
        const local = await r.row(c.table, c.key);
        const incoming = versionOf(c.row ?? undefined);
        const current = versionOf(local);
        // A duplicate's answer (or a late tab) may carry an older version than a pull already gave.
        if (c.row !== null && incoming !== null && current !== null && incoming < current) {
          skipped++;
          continue;
        }
      }
      await this.putRowChange(tx, c);
      merged++;
    }
    if (change.cursor !== undefined) await tx.putMeta('cursor', change.cursor);
    return { merged, skipped };
  }

  private async putRowChange(tx: StoreTx, c: RowChange): Promise<void> {
    if (c.row === null) await tx.deleteRow(c.table, c.key);
    else await tx.putRow(c.table, c.row);
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

  private async epochIn(tx: StoreTx): Promise<number> {
    const e = await tx.getMeta('epoch');
    return typeof e === 'number' ? e : 0;
  }

  getEpoch(): Promise<number> {
    return this.run((r) => this.epochIn(r.tx));
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
        await tx.putMeta('epoch', (await this.epochIn(tx)) + 1);
        // Unreadable records may still hold someone's details: on a shared device they go too.
        await tx.clearQuarantine();
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
        for (const a of appointments) await tx.deleteRow('appointments', String(a.id));
        await tx.deleteRow('patients', patientId);
        result.purged.push(patientId);
      }
      return result;
    });
    this.emit({ type: 'change' });
    return report;
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
