import { MemoryStore } from './memory-store.ts';
import { describeOutboxContract } from './store-contract.ts';

describeOutboxContract('memory', async (options) => {
  const store = new MemoryStore(options);
  return { store, plant: async (table, record) => store.memory.plant(table, record) };
});
