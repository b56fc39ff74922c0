import { afterEach, describe, expect, it } from 'vitest';
import { ConsultDb } from '../../../sync/stores/dexie-db.ts';
import { DexieStore } from '../../../sync/stores/dexie-store.ts';
import { INITIAL_STATUS, type SyncStatus } from '../../../sync/sync-status.ts';
import { patientRow } from '../../../sync/testing/fixtures.ts';
import { describeEngine } from './engine-view.ts';
import {
  buildQueueExport,
  type QueueExport,
  queueExportFileName,
  serializeQueueExport,
} from './queue-export.ts';

const open: ConsultDb[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.delete();
});

function freshStore(): { db: ConsultDb; store: DexieStore } {
  const db = new ConsultDb(`qa-export-${crypto.randomUUID()}`);
  open.push(db);
  return { db, store: new DexieStore(db) };
}

const engineStatus: SyncStatus = { ...INITIAL_STATUS, online: false };

describe('queue export', () => {
  it('holds the outbox in seq order, the quarantine and the engine status, and reads back as JSON', async () => {
    const { db, store } = freshStore();
    const first = await store.write({
      entity: 'patients',
      op: 'upsert',
      row: patientRow(crypto.randomUUID()),
    });
    const second = await store.write({
      entity: 'patients',
      op: 'upsert',
      row: patientRow(crypto.randomUUID(), { full_name: 'Ravi Kumar' }),
    });
    // A record an older version wrote that no longer parses: the store sets it aside on read.
    const badId = crypto.randomUUID();
    await db.table('outbox').put({ id: badId, entity: 'nonsense', seq: 99 });
    const outbox = await store.listOutbox();
    const quarantine = await store.listQuarantine();
    const engine = describeEngine({ status: { ...engineStatus, counts: await store.countOutbox() }, outbox });
    const now = new Date('2025-03-01T09:05:07.123Z');

    const payload = buildQueueExport({
      outbox: [...outbox].reverse(),
      quarantine,
      engine,
      clientId: await store.getClientId(),
      now,
      includePersonalData: true,
    });
    const back = JSON.parse(serializeQueueExport(payload)) as QueueExport;

    // Without the choice, the same queue leaves what was typed out of the file.
    const redacted = serializeQueueExport(
      buildQueueExport({ outbox, quarantine, engine, clientId: null, now, includePersonalData: false }),
    );
    expect(redacted).not.toContain('Ravi Kumar');
    expect(JSON.parse(redacted)).toMatchObject({ personalData: false, counts: { outbox: 2, quarantine: 1 } });
    expect(back.personalData).toBe(true);

    expect(back.format).toBe('consult-queue');
    expect(back.version).toBe(1);
    expect(back.exportedAt).toBe('2025-03-01T09:05:07.123Z');
    expect(back.clientId).toBe(first.clientId);
    expect(back.counts).toEqual({ outbox: 2, quarantine: 1 });
    expect(back.outbox.map((m) => m.id)).toEqual([first.id, second.id]);
    expect(back.outbox[1]).toMatchObject({
      entity: 'patients',
      op: 'upsert',
      state: 'pending',
      data: { full_name: 'Ravi Kumar' },
    });
    expect(back.quarantine).toHaveLength(1);
    expect(back.quarantine[0]).toMatchObject({ table: 'outbox', key: badId, record: { entity: 'nonsense' } });
    expect(back.engine).toMatchObject({ phase: 'offline', online: false, pendingCount: 2 });
  });

  it('writes an empty queue as empty lists, not missing ones', () => {
    const payload = buildQueueExport({
      outbox: [],
      quarantine: [],
      engine: describeEngine({ status: { ...engineStatus, online: true }, outbox: [] }),
      clientId: null,
      now: new Date(0),
      includePersonalData: true,
    });
    expect(JSON.parse(serializeQueueExport(payload))).toMatchObject({
      counts: { outbox: 0, quarantine: 0 },
      outbox: [],
      quarantine: [],
      clientId: null,
    });
  });

  it('saves quarantined values JSON cannot hold instead of failing', () => {
    const payload = buildQueueExport({
      outbox: [],
      quarantine: [
        { table: 'patients', key: null, record: { n: 10n, m: new Map([['a', 1]]) }, issues: 'x', at: 'y' },
      ],
      engine: describeEngine({ status: { ...engineStatus, online: true }, outbox: [] }),
      clientId: null,
      now: new Date(0),
      includePersonalData: true,
    });
    const back = JSON.parse(serializeQueueExport(payload)) as QueueExport;
    expect(back.quarantine[0]?.record).toEqual({ n: '10n', m: { a: 1 } });
  });

  it('names the file consult-queue-<UTC timestamp>.json with no colons', () => {
    expect(queueExportFileName(new Date('2025-03-01T09:05:07.123Z'))).toBe(
      'consult-queue-2025-03-01T09-05-07Z.json',
    );
  });
});
