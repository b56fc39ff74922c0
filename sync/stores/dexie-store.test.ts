import { afterEach, describe, expect, it } from 'vitest';
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
    sibling: () => new DexieStore(db, options),
  };
});

describe('DexieStore', () => {
  it('reports outbox changes another store on the same database made (another tab, the worker)', async () => {
    const db = new ConsultDb(`elsewhere-${crypto.randomUUID()}`);
    open.push(db);
    const here = new DexieStore(db);
    const events: StoreEvent['type'][] = [];
    let changed: () => void = () => {};
    const heard = new Promise<void>((resolve) => {
      changed = resolve;
    });
    const off = here.subscribe((e) => {
      events.push(e.type);
      if (e.type === 'change') changed();
    });
    await new DexieStore(db).write({
      entity: 'patients',
      op: 'upsert',
      row: patientRow(crypto.randomUUID()),
    });
    await heard;
    // The other store's write reaches this one as a change only: it was not written here.
    expect(events).not.toContain('write');
    off();
  });
});
