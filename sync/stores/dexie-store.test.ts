import { afterEach } from 'vitest';
import { ConsultDb } from './dexie-db.ts';
import { DexieStore } from './dexie-store.ts';
import { describeOutboxContract } from './store-contract.ts';

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
