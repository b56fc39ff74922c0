/**
 * Drains a queue of walk-in registrations (1 patient : 4 appointments) to the real local stack with
 * added latency per request, against the baselines the issue names, in the same run:
 * - engine: the sync engine over the real Dexie store (on fake-indexeddb in Node, so the local
 *   IndexedDB work is counted), dependency-ordered batches, then its pull;
 * - one by one: one request per mutation in FIFO order, as Workbox Background Sync replays a queue
 *   (the same `sync_push` RPC, so the server does the same work per mutation);
 * - straight push: the same mutations sent with `sync_push` in batches of 500, no engine, no pull:
 *   the limit the engine's push can reach;
 * - plain inserts: the same rows inserted by one bench-only RPC (no ledger, no checks): the floor.
 */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { toWire } from '../sync/local-mutation.ts';
import { pushResponse } from '../sync/protocol.ts';
import { ConsultDb } from '../sync/stores/dexie-db.ts';
import { DexieStore } from '../sync/stores/dexie-store.ts';
import type { SyncStore } from '../sync/stores/sync-store.ts';
import { SyncEngine } from '../sync/sync-engine.ts';
import { SupabaseTransport } from '../sync/transports/supabase.ts';
import type { SyncTransport } from '../sync/transports/transport.ts';
import type { BenchStack } from './bench-stack.ts';
import { collectGarbage, mb } from './node-memory.ts';
import type { DrainServer } from './stack-client.ts';

export interface DrainMeasure {
  mutations: number;
  ms: number;
  roundTrips: number;
  peakRssMb?: number;
  peakHeapMb?: number;
  /**
   * RSS when the drain began, after a full collection: this Node process, the bench stack's
   * gateway, and fake-indexeddb's copy of the whole database (the queued outbox, every row) in
   * its heap; the peak less it is what the drain itself added.
   */
  startRssMb?: number;
  /** The JS heap in use when the drain began, after a full collection. */
  startHeapMb?: number;
}

/** A fresh Dexie store on its own fake-indexeddb factory (dropped with the store, for memory). */
export function dexieStore(): DexieStore {
  return new DexieStore(new ConsultDb(`bench-${randomUUID()}`, { indexedDB: new IDBFactory(), IDBKeyRange }));
}

export { queueWalkIns } from './walk-ins.ts';

/** A fresh store that has pulled everything the server holds for the bench's staff (its cursor is now). */
export async function caughtUpStore(bench: BenchStack): Promise<DexieStore> {
  const store = dexieStore();
  const engine = new SyncEngine({ store, transport: new SupabaseTransport(await bench.staffClient()) });
  for (let page = 0; page < 100; page++) {
    const result = await engine.drainOnce();
    if (result.status !== 'synced') throw new Error(`catching up ended ${JSON.stringify(result)}`);
    if (!result.morePull) break;
  }
  await engine.stop();
  return store;
}

const pending = async (store: SyncStore): Promise<number> =>
  Object.values(await store.countOutbox()).reduce((a, b) => a + b, 0);

export async function drainWithEngine(
  bench: DrainServer,
  store: SyncStore,
  trackMemory = false,
): Promise<DrainMeasure> {
  const client = await bench.staffClient();
  const engine = new SyncEngine({ store, transport: new SupabaseTransport(client), maxRounds: 1000 });
  const mutations = await pending(store);
  // What queueing left for the collector is not the drain's: collect it before the clock.
  if (trackMemory) collectGarbage();
  const { rss: startRss, heapUsed: startHeap } = process.memoryUsage();
  let peakRss = startRss;
  let peakHeap = startHeap;
  const sampler = trackMemory
    ? setInterval(() => {
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
      }, 20)
    : undefined;
  await bench.resetStats();
  const started = performance.now();
  for (let round = 0; round < 100; round++) {
    const result = await engine.drainOnce();
    if (result.status !== 'synced') throw new Error(`engine drain ended ${JSON.stringify(result)}`);
    if (!result.morePull && (await pending(store)) === 0) break;
  }
  const ms = performance.now() - started;
  if (sampler) clearInterval(sampler);
  const left = await store.listOutbox();
  if (left.length > 0)
    throw new Error(`engine left ${left.length} mutations, first: ${JSON.stringify(left[0])}`);
  await engine.stop();
  return {
    mutations,
    ms,
    roundTrips: await bench.restRequests(),
    ...(trackMemory
      ? {
          peakRssMb: mb(peakRss),
          peakHeapMb: mb(peakHeap),
          startRssMb: mb(startRss),
          startHeapMb: mb(startHeap),
        }
      : {}),
  };
}

/** A server that answers at once: every write applied as sent, nothing to pull. */
const instantTransport: SyncTransport = {
  push: async (_clientId, mutations) =>
    mutations.map((m) => ({ id: m.id, status: 'applied', row: m.data ? { ...m.data, version: 1 } : null })),
  pull: async () => ({
    cursor: 'instant',
    hasMore: false,
    changes: { patients: [], appointments: [], clinics: [], doctors: [], slots: [] },
    deleted: [],
  }),
};

/** The engine's own work (planning, the store, the answers) with no server and no latency. */
export async function drainLocally(store: SyncStore): Promise<DrainMeasure> {
  const engine = new SyncEngine({ store, transport: instantTransport, maxRounds: 1000 });
  const mutations = await pending(store);
  const started = performance.now();
  const result = await engine.drainOnce();
  const ms = performance.now() - started;
  await engine.stop();
  if (result.status !== 'synced' || (await pending(store)) > 0) throw new Error('local drain left work');
  return { mutations, ms, roundTrips: 0 };
}

async function wireQueue(store: SyncStore) {
  return (await store.listOutbox()).sort((a, b) => a.seq - b.seq).map((m) => toWire(m));
}

async function pushChecked(client: SupabaseClient, clientId: string, mutations: unknown[]): Promise<void> {
  const { data, error } = await client.rpc('sync_push', { client_id: clientId, mutations });
  if (error) throw new Error(`bench push failed: ${error.message}`);
  const bad = pushResponse.parse(data).find((r) => r.status !== 'applied');
  if (bad) throw new Error(`bench mutation not applied: ${JSON.stringify(bad)}`);
}

export async function drainOneByOne(bench: BenchStack, store: SyncStore): Promise<DrainMeasure> {
  const client = await bench.staffClient();
  const clientId = await store.getClientId();
  const queue = await wireQueue(store);
  await bench.resetStats();
  const started = performance.now();
  for (const m of queue) await pushChecked(client, clientId, [m]);
  return { mutations: queue.length, ms: performance.now() - started, roundTrips: await bench.restRequests() };
}

/** The queue in FIFO batches of `batch` straight to `sync_push`: no planning, no store, no pull. */
export async function pushStraight(bench: BenchStack, store: SyncStore, batch = 500): Promise<DrainMeasure> {
  const client = await bench.staffClient();
  const clientId = await store.getClientId();
  const queue = await wireQueue(store);
  await bench.resetStats();
  const started = performance.now();
  for (let i = 0; i < queue.length; i += batch)
    await pushChecked(client, clientId, queue.slice(i, i + batch));
  return { mutations: queue.length, ms: performance.now() - started, roundTrips: await bench.restRequests() };
}

/** The same rows as plain inserts through one bench-only RPC (see `BenchStack.plainInsert`). */
export async function insertPlain(bench: BenchStack, store: SyncStore): Promise<DrainMeasure> {
  const client = await bench.staffClient();
  const queue = await wireQueue(store);
  const rows = (entity: string) =>
    queue.filter((m) => m.entity === entity).map((m) => ({ ...m.data, id: m.key }));
  await bench.resetStats();
  const started = performance.now();
  const { error } = await client.rpc('bench_plain_insert', {
    patients: rows('patients'),
    appointments: rows('appointments'),
  });
  if (error) throw new Error(`plain insert failed: ${error.message}`);
  return { mutations: queue.length, ms: performance.now() - started, roundTrips: await bench.restRequests() };
}
