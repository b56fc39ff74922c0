/**
 * The device database, shared by the sync engine and the PWA (which reads rows with useLiveQuery and
 * writes only through the store). Versions are kept forever: Dexie needs every version's schema to
 * upgrade a device that skipped releases.
 *
 * v1 (first field release): rows, and an outbox of `{ status: 'queued' | 'failed', lastError? }`
 *    records in `createdAt` order with no dependencies.
 * v2: the outbox gets `seq`, `state`, derived `deps`/`after`, `refKeys` and the rest of
 *    `LocalMutation`; a `quarantine` table receives records that fail parsing on read.
 * v3: a `conflicts` table: fields this device edited that the server kept another write's value
 *    of (`ConflictNotice`), until the user dismisses them or edits the field again. Nothing to
 *    migrate: outbox entries without `base` stay whole-row writes.
 */
import { Dexie, type DexieOptions, type EntityTable, type Table, type Transaction } from 'dexie';
import { buildMutation } from '../enqueue.ts';
import type { LocalMutation, Row } from '../local-mutation.ts';
import { ENTITY_NAMES, type EntityName, type MutationOp } from '../protocol.ts';
import type { ConflictNotice, QuarantineEntry } from './sync-store.ts';

export const DB_NAME = 'consult';

export const SCHEMA_V1 = {
  patients: '&id',
  appointments: '&id, patient_id',
  clinics: '&id',
  doctors: '&id',
  slots: '&id',
  outbox: '&id, createdAt',
  meta: '&key',
} as const;

export const SCHEMA_V2 = {
  patients: '&id, user_id, clinic_id',
  appointments: '&id, patient_id, [doctor_id+slot_id]',
  clinics: '&id',
  doctors: '&id, clinic_id',
  slots: '&id, doctor_id, starts_at',
  outbox: '&id, &seq, [entity+key], *refKeys, state',
  meta: '&key',
  quarantine: '++qid, table, at',
} as const;

/** v3 adds only the conflicts table; Dexie carries the other tables over from v2. */
export const SCHEMA_V3 = {
  conflicts: '[entity+key+field], [entity+key]',
} as const;

/** The outbox record v1 wrote. */
export interface OutboxV1 {
  id: string;
  clientId: string;
  entity: EntityName;
  op: MutationOp;
  key: string;
  data: Row | null;
  createdAt: string;
  actor?: string | null;
  status: 'queued' | 'failed';
  lastError?: string;
}

export interface MetaRecord {
  key: string;
  value: unknown;
}

export type QuarantineRecord = QuarantineEntry & { qid?: number };

export interface ConsultDbOptions {
  /** Dexie's own structural shapes, so sync/ compiles without the DOM lib (tests pass fake-indexeddb). */
  indexedDB?: DexieOptions['indexedDB'];
  IDBKeyRange?: DexieOptions['IDBKeyRange'];
  /** Another context (a new service worker) wants a newer schema: this connection was closed. */
  onVersionChange?: () => void;
}

export class ConsultDb extends Dexie {
  patients!: Table<Row, string>;
  appointments!: Table<Row, string>;
  clinics!: Table<Row, string>;
  doctors!: Table<Row, string>;
  slots!: Table<Row, string>;
  outbox!: EntityTable<LocalMutation, 'id'>;
  meta!: EntityTable<MetaRecord, 'key'>;
  quarantine!: EntityTable<QuarantineRecord, 'qid'>;
  conflicts!: Table<ConflictNotice, [string, string, string]>;
  /** The key ranges of this database's IndexedDB, for requests issued on it (`native-tx.ts`). */
  readonly keyRange: NonNullable<DexieOptions['IDBKeyRange']>;

  constructor(name: string = DB_NAME, options: ConsultDbOptions = {}) {
    const { onVersionChange, ...dexieOptions } = options;
    super(name, dexieOptions);
    this.keyRange = options.IDBKeyRange ?? Dexie.dependencies.IDBKeyRange;
    this.version(1).stores(SCHEMA_V1);
    this.version(2).stores(SCHEMA_V2).upgrade(upgradeV1toV2);
    this.version(3).stores(SCHEMA_V3);
    this.on('versionchange', () => {
      // Let the new version open; the app folds this into its "update ready, reload" prompt.
      this.close();
      onVersionChange?.();
      return false;
    });
  }
}

/**
 * v1 kept no dependencies: derive them now, in the old `createdAt` order, exactly as v2 does at
 * enqueue time. v1 knew nothing of what had been sent, so every migrated entry counts as attempted
 * (a create-then-delete among them is sent rather than dropped: the safe side).
 */
export async function upgradeV1toV2(tx: Transaction): Promise<void> {
  const old = (await tx.table('outbox').toArray()) as OutboxV1[];
  old.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  const migrated: LocalMutation[] = [];
  let seq = 1;
  for (const o of old) {
    if (!(ENTITY_NAMES as readonly string[]).includes(o.entity)) continue; // left as is: quarantined on read
    const sameKey = migrated.filter((m) => m.entity === o.entity && m.key === o.key);
    const referenced = o.data
      ? migrated.filter((m) => m.entity !== o.entity && Object.values(o.data ?? {}).includes(m.key))
      : [];
    const referencing =
      o.op === 'delete' ? migrated.filter((m) => m.refKeys.includes(`${o.entity}:${o.key}`)) : [];
    const m = buildMutation({
      id: o.id,
      clientId: o.clientId,
      seq: seq++,
      createdAt: o.createdAt,
      actor: o.actor ?? null,
      entity: o.entity,
      op: o.op,
      key: o.key,
      data: o.data,
      before: undefined,
      sameKey,
      referenced,
      referencing,
    });
    const failed = o.status === 'failed';
    migrated.push({
      ...m,
      createsRow: false,
      attempted: true,
      state: failed ? 'rejected' : 'pending',
      ...(failed
        ? { error: { code: 'validation' as const, message: o.lastError ?? 'failed', field: null } }
        : {}),
    });
  }
  await tx.table('outbox').bulkPut(migrated);
  await tx.table('meta').put({ key: 'nextSeq', value: seq });
}
