/**
 * Reads inside one store transaction, parsing each record: one that fails (written by an older
 * version, or corrupted) moves to `quarantine` and is collected for the store to report, never
 * thrown at the caller.
 */
import { z } from 'zod/mini';
import { ENTITIES } from '../entities.ts';
import { type LocalMutation, localMutation, type Row } from '../local-mutation.ts';
import { ENTITY_NAMES, type EntityName } from '../protocol.ts';
import { readableAsStored } from '../stored-row.ts';
import { looseObject, object } from '../zod-object.ts';
import type { RawTx, StoredKey } from './raw-tables.ts';
import type { OutboxPage, OutboxWindow, QuarantineEntry, TableName } from './sync-store.ts';

const referenceRow = looseObject({ id: z.string() });
export const quarantineEntry = object({
  table: z.string(),
  key: z.nullable(z.string()),
  record: z.unknown(),
  issues: z.string(),
  at: z.string(),
});

export const conflictNotice = object({
  entity: z.enum(ENTITY_NAMES),
  key: z.string(),
  field: z.string(),
  yours: z.unknown(),
  theirs: z.unknown(),
  at: z.string(),
});

export function isEntity(table: TableName): table is EntityName {
  return (ENTITY_NAMES as readonly string[]).includes(table);
}

function rowSchema(table: TableName): z.ZodMiniType<unknown> {
  return isEntity(table) ? ENTITIES[table].schema : referenceRow;
}

export function keyOf(record: unknown): string | null {
  if (typeof record === 'object' && record !== null) {
    const id = (record as Record<string, unknown>).id;
    if (typeof id === 'string') return id;
  }
  return null;
}

/**
 * The key a damaged record is stored under, to take it out of its table: any IndexedDB key, not only
 * text. A record whose `id` is a number (or a date, an array) was quarantined on every read and never
 * removed, so "Needs attention" counted it for good, with nothing on the screen to discard it by.
 */
export function storedKey(record: unknown): StoredKey | null {
  if (typeof record !== 'object' || record === null) return null;
  const id = (record as Record<string, unknown>).id;
  return isKey(id) ? id : null;
}

function isKey(value: unknown): value is StoredKey {
  if (typeof value === 'string') return true;
  if (typeof value === 'number') return !Number.isNaN(value);
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return true;
  return Array.isArray(value) && value.every(isKey);
}

/** How the quarantine names a key that is not text (its `key` is text, for QA to read). */
function keyText(key: StoredKey | null): string | null {
  if (key === null || typeof key === 'string') return key;
  return typeof key === 'number' ? String(key) : JSON.stringify(key);
}

/** Reads within one transaction, collecting what had to be quarantined. */
export class TxReader {
  readonly quarantined: QuarantineEntry[] = [];
  /** Outbox records `outboxWindow` read (and kept), by id, as stored: until a change is applied. */
  private outboxAsRead = new Map<string, unknown>();
  constructor(
    readonly tx: RawTx,
    private readonly now: () => Date,
  ) {}

  async row(table: TableName, key: string): Promise<Row | undefined> {
    const raw = await this.tx.getRow(table, key);
    if (raw === undefined) return undefined;
    return this.checkRow(table, raw);
  }

  async rows(table: TableName, raws: unknown[]): Promise<Row[]> {
    const schema = rowSchema(table);
    const out: Row[] = [];
    for (const raw of raws) {
      // Parsed without an await per row: Dexie loses its transaction after a long run of awaits
      // that are not its own (PrematureCommitError), so only a quarantine is awaited.
      const parsed = schema.safeParse(raw);
      if (parsed.success || readableAsStored(parsed.error)) out.push(raw as Row);
      else await this.checkRow(table, raw);
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
      const key = storedKey(raw);
      if (key !== null) await this.tx.deleteMutation(key);
      await this.quarantine('outbox', keyText(key), raw, parsed.error.message);
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  /**
   * One window of the outbox (see `SyncStore.readOutbox`). `keep`: also remember each record as read,
   * for a change applied later in this transaction to patch without reading it again.
   */
  async outboxWindow(window: OutboxWindow, keep = false): Promise<OutboxPage> {
    const raws = await this.tx.mutationsAfter(window.afterSeq, window.limit);
    const entries = await this.mutations(raws);
    if (keep) {
      // Only records that parsed: the others were just moved to quarantine.
      const parsed = new Set(entries.map((m) => m.id));
      for (const raw of raws) {
        const id = keyOf(raw);
        if (id !== null && parsed.has(id)) this.outboxAsRead.set(id, raw);
      }
    }
    // Counted before parsing: a record moved to quarantine still means the window was full.
    return { entries, more: raws.length >= window.limit };
  }

  /** The records `outboxWindow` kept, forgotten here: whatever a change writes makes them stale. */
  takeOutboxAsRead(): ReadonlyMap<string, unknown> {
    const read = this.outboxAsRead;
    if (read.size > 0) this.outboxAsRead = new Map();
    return read;
  }

  private async checkRow(table: TableName, raw: unknown): Promise<Row | undefined> {
    const parsed = rowSchema(table).safeParse(raw);
    // Keep the stored record itself: the schema strips columns it does not know (server fields).
    // A row of an older rule is kept too (stored-row.ts).
    if (parsed.success || readableAsStored(parsed.error)) return raw as Row;
    const key = storedKey(raw);
    if (key !== null) await this.tx.deleteRow(table, key);
    await this.quarantine(table, keyText(key), raw, parsed.error.message);
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
