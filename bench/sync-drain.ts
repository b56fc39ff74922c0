/**
 * Drains a queue of walk-in registrations (1 patient : 4 appointments) to the real local stack with
 * added latency per request, two ways in the same run:
 * - engine: the sync engine (dependency-ordered batches, one RPC per batch, then one pull);
 * - baseline: one request per mutation in FIFO order, as Workbox Background Sync replays a queue
 *   (the same `sync_push` RPC, so the server does the same work per mutation).
 * Both start from a MemoryStore: this measures the wire and the server, not IndexedDB.
 */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { toWire } from '../sync/local-mutation.ts';
import { pushResponse } from '../sync/protocol.ts';
import { SyncEngine } from '../sync/sync-engine.ts';
import { MemoryStore } from '../sync/testing/memory-store.ts';
import { SupabaseTransport } from '../sync/transports/supabase.ts';
import type { BenchSlot, BenchStack } from './bench-stack.ts';

export interface DrainMeasure {
  mutations: number;
  ms: number;
  roundTrips: number;
  peakRssMb?: number;
  peakHeapMb?: number;
}

/** Queues `patients` new patients with `perPatient` appointments each; returns the store. */
export async function queueWalkIns(
  slots: BenchSlot[],
  patients: number,
  perPatient: number,
): Promise<MemoryStore> {
  const store = new MemoryStore();
  for (let p = 0; p < patients; p++) {
    const patientId = randomUUID();
    await store.write({
      entity: 'patients',
      op: 'upsert',
      row: {
        id: patientId,
        full_name: `Walk-in patient ${p + 1}`,
        date_of_birth: '1984-03-15',
        sex: p % 2 === 0 ? 'female' : 'male',
        phone: `+9198${String(10_000_000 + p).slice(-8)}`,
        address: 'Ward 4, Rampur',
        preferred_language: 'hi',
      },
    });
    for (let a = 0; a < perPatient; a++) {
      const slot = slots[p * perPatient + a];
      if (!slot) throw new Error('not enough slots for the scenario');
      await store.write({
        entity: 'appointments',
        op: 'upsert',
        row: {
          id: randomUUID(),
          patient_id: patientId,
          doctor_id: slot.doctor_id,
          slot_id: slot.id,
          starts_at: slot.starts_at,
          ends_at: slot.ends_at,
          mode: slot.mode,
          reason: 'Fever and cough for three days',
          status: 'requested',
        },
      });
    }
  }
  return store;
}

export async function drainWithEngine(
  bench: BenchStack,
  store: MemoryStore,
  trackMemory = false,
): Promise<DrainMeasure> {
  const client = await bench.staffClient();
  const engine = new SyncEngine({ store, transport: new SupabaseTransport(client), maxRounds: 1000 });
  const mutations = (await store.listOutbox()).length;
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
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
    if ((await store.listOutbox()).length === 0) break;
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
    ...(trackMemory ? { peakRssMb: peakRss / 2 ** 20, peakHeapMb: peakHeap / 2 ** 20 } : {}),
  };
}

export async function drainOneByOne(bench: BenchStack, store: MemoryStore): Promise<DrainMeasure> {
  const client: SupabaseClient = await bench.staffClient();
  const clientId = await store.getClientId();
  const queue = (await store.listOutbox()).sort((a, b) => a.seq - b.seq);
  await bench.resetStats();
  const started = performance.now();
  for (const m of queue) {
    const { data, error } = await client.rpc('sync_push', { client_id: clientId, mutations: [toWire(m)] });
    if (error) throw new Error(`baseline push failed: ${error.message}`);
    const [result] = pushResponse.parse(data);
    if (result?.status !== 'applied')
      throw new Error(`baseline mutation not applied: ${JSON.stringify(result)}`);
  }
  return { mutations: queue.length, ms: performance.now() - started, roundTrips: await bench.restRequests() };
}
