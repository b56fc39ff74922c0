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

describe('DexieStore: a damaged seq counter', () => {
  const write = (store: DexieStore) =>
    store.write({ entity: 'patients', op: 'upsert', row: patientRow(crypto.randomUUID()) });

  /** A database with two queued saves, its counter then set to `counter` (undefined: deleted). */
  async function damaged(counter: unknown): Promise<{ db: ConsultDb; seqs: number[] }> {
    const db = new ConsultDb(`counter-${crypto.randomUUID()}`);
    open.push(db);
    const first = new DexieStore(db);
    const seqs = [(await write(first)).seq, (await write(first)).seq];
    if (counter === undefined) await db.meta.delete('nextSeq');
    else await db.meta.put({ key: 'nextSeq', value: counter });
    return { db, seqs };
  }

  for (const [what, counter] of [
    ['unreadable', 'abc'],
    ['negative', -5],
    ['not a whole number', 1.5],
    ['behind the outbox', 1],
    ['missing from a database in use', undefined],
  ] as const)
    it(`still saves when the counter is ${what}, with a seq above every one used before`, async () => {
      const { db, seqs } = await damaged(counter);
      // A new store (a reload) knows nothing of the counter: it reads it.
      const store = new DexieStore(db);
      const m = await write(store);
      const next = await write(store);
      expect(m.seq).toBeGreaterThan(Math.max(...seqs));
      expect(next.seq).toBeGreaterThan(m.seq);
      expect((await store.listOutbox()).map((e) => e.id)).toContain(next.id);
    });

  it('starts a new database at seq 1', async () => {
    const db = new ConsultDb(`counter-${crypto.randomUUID()}`);
    open.push(db);
    expect((await write(new DexieStore(db))).seq).toBe(1);
  });
});

describe('DexieStore: a damaged client id', () => {
  const write = (store: DexieStore) =>
    store.write({ entity: 'patients', op: 'upsert', row: patientRow(crypto.randomUUID()) });

  /** A database with two queued saves, its client id then set to `value` (undefined: deleted). */
  async function damaged(value: unknown): Promise<{ db: ConsultDb; clientId: string }> {
    const db = new ConsultDb(`client-id-${crypto.randomUUID()}`);
    open.push(db);
    const first = new DexieStore(db);
    const { clientId } = await write(first);
    await write(first);
    if (value === undefined) await db.meta.delete('clientId');
    else await db.meta.put({ key: 'clientId', value });
    return { db, clientId };
  }

  for (const [what, value] of [
    ['missing', undefined],
    ['not a uuid', 'abc'],
    ['not text', 42],
  ] as const) {
    it(`takes back the queued entries' id when it is ${what}, for the next save and the push`, async () => {
      const { db, clientId } = await damaged(value);
      // A reload: the next save, then the drain's client id (the push's client_id).
      const store = new DexieStore(db);
      expect((await write(store)).clientId).toBe(clientId);
      expect(await new DexieStore(db).getClientId()).toBe(clientId);
      expect(new Set((await store.listOutbox()).map((m) => m.clientId))).toEqual(new Set([clientId]));
    });

    it(`takes back the queued entries' id when it is ${what} and the drain reads it first`, async () => {
      const { db, clientId } = await damaged(value);
      expect(await new DexieStore(db).getClientId()).toBe(clientId);
    });
  }
});
