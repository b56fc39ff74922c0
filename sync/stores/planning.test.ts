import { beforeEach, describe, expect, it } from 'vitest';
import type { LocalMutation } from '../local-mutation.ts';
import { patientRow } from '../testing/fixtures.ts';
import { MemoryTables } from '../testing/memory-store.ts';
import { seededIds } from '../testing/seeded-random.ts';
import type { RawTables, RawTx } from './raw-tables.ts';
import { TableStore } from './table-store.ts';

/** Memory tables counting the outbox records each transaction read. */
function countingTables(): { tables: RawTables; read: () => number } {
  const memory = new MemoryTables();
  let read = 0;
  const tables: RawTables = {
    transaction: (fn) =>
      memory.transaction((tx) => {
        const counted: RawTx = {
          ...tx,
          mutationsAfter: async (afterSeq, limit) => {
            const found = await tx.mutationsAfter(afterSeq, limit);
            read += found.length;
            return found;
          },
          getMutations: async (ids) => {
            read += ids.length;
            return tx.getMutations(ids);
          },
        };
        return fn(counted);
      }),
    readOutbox: (fn) => memory.readOutbox(fn),
  };
  return { tables, read: () => read };
}

describe('TableStore.planning', () => {
  let ids: () => string;
  let store: TableStore;
  let read: () => number;
  let queued: LocalMutation[];

  beforeEach(async () => {
    ids = seededIds(11);
    const counting = countingTables();
    store = new TableStore(counting.tables, { newId: ids });
    read = counting.read;
    queued = [];
    for (let i = 0; i < 3; i++)
      queued.push(await store.write({ entity: 'patients', op: 'upsert', row: patientRow(ids()) }));
  });

  it('marks the entries it read as it read them, without reading them again', async () => {
    let readToMark = -1;
    await store.planning(async (outbox) => {
      const page = await outbox.readOutbox({ afterSeq: -1, limit: 10 });
      const before = read();
      await outbox.apply({
        patch: page.entries.map(({ id, seq }) => ({ id, seq, state: 'sending', attempted: true })),
      });
      readToMark = read() - before;
    });
    expect(readToMark).toBe(0);
    expect(await store.listOutbox()).toEqual(
      queued.map((m) => ({ ...m, state: 'sending', attempted: true })),
    );
  });

  it('patches an entry a change in the same transaction wrote as that change left it', async () => {
    const [first, second] = queued;
    if (!first || !second) throw new Error('setup');
    await store.planning(async (outbox) => {
      await outbox.readOutbox({ afterSeq: -1, limit: 10 });
      await outbox.apply({
        patch: [{ id: first.id, seq: first.seq, state: 'blocked', blockedBy: second.id }],
      });
      // Read again: what the window read is stale after the change above.
      await outbox.apply({ patch: [{ id: first.id, seq: first.seq, attempted: true }] });
    });
    expect((await store.listOutbox())[0]).toEqual({
      ...first,
      state: 'blocked',
      blockedBy: second.id,
      attempted: true,
    });
  });
});
