import { afterEach, describe, expect, it, vi } from 'vitest';
import { patientRow } from '../testing/fixtures.ts';
import { describeOutboxContract } from '../testing/store-contract.ts';
import { ConsultDb } from './dexie-db.ts';
import { DexieStore } from './dexie-store.ts';
import type { StoreEvent } from './sync-store.ts';

const open: ConsultDb[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.delete();
});

describeOutboxContract('dexie', async (options) => {
  const db = new ConsultDb(`contract-${crypto.randomUUID()}`);
  open.push(db);
  const store = new DexieStore(db, options);
  return {
    store,
    plant: async (table, record) => {
      await db.table(table).put(record);
    },
  };
});

describe('DexieStore', () => {
  it('reports outbox changes another store on the same database made (another tab, the worker)', async () => {
    const db = new ConsultDb(`elsewhere-${crypto.randomUUID()}`);
    open.push(db);
    const here = new DexieStore(db);
    const events: StoreEvent['type'][] = [];
    const off = here.subscribe((e) => events.push(e.type));
    await new DexieStore(db).write({
      entity: 'patients',
      op: 'upsert',
      row: patientRow(crypto.randomUUID()),
    });
    await vi.waitFor(() => expect(events).toContain('change'));
    off();
  });
});
