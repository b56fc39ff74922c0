import { describe, expect, it } from 'vitest';
import type { RawTx } from '../stores/raw-tables.ts';
import { appointmentRow, patientRow } from './fixtures.ts';
import { MemoryStore, MemoryTables } from './memory-store.ts';
import { describeOutboxContract } from './store-contract.ts';

describeOutboxContract('memory', async (options) => {
  const store = new MemoryStore(options);
  return {
    store,
    plant: async (table, record) => store.memory.plant(table, record),
    sibling: () => new MemoryStore(options, store.memory),
  };
});

/** Tables that note which operation each transaction called, in order. */
class NotingTables extends MemoryTables {
  readonly calls: string[] = [];
  override transaction<T>(fn: (tx: RawTx) => Promise<T>): Promise<T> {
    return super.transaction((tx) =>
      fn(
        new Proxy(tx, {
          get: (target, name) => {
            this.calls.push(String(name));
            return target[name as keyof RawTx];
          },
        }),
      ),
    );
  }
}

describe('MemoryStore saves', () => {
  it('reads nothing of a fresh profile and booking: the seq check goes out before the writes, in the same round', async () => {
    const tables = new NotingTables();
    const store = new MemoryStore({}, tables);
    await store.write({ entity: 'patients', op: 'upsert', row: patientRow(crypto.randomUUID()) });
    tables.calls.length = 0;
    const p = patientRow(crypto.randomUUID());
    await store.writeAll([
      { entity: 'patients', op: 'upsert', row: p, fresh: true },
      { entity: 'appointments', op: 'upsert', row: appointmentRow(crypto.randomUUID(), p.id), fresh: true },
    ]);
    expect(tables.calls).toEqual(['getMetas', 'putMetas', 'addRows', 'addRows', 'addMutations']);
  });
});
