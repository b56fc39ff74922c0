/**
 * Many kiosk devices of one clinic draining at once: each device queued `perDevice` writes offline
 * (1 patient : 4 appointments) in its own store, then every engine drains at the same moment.
 * The stores are in memory, not Dexie: one Node thread plays all 100 devices, so their IndexedDB
 * work (every device stores every slot it pulls) would run one after another on one core, where
 * real devices do it side by side; this row measures the server and the wire under a crowd. (With
 * Dexie on fake-indexeddb it ran past 9 minutes on this machine.) The local work is the `drain` row's.
 * Nothing may be lost: each device's first pull must carry every slot in the database. The baseline,
 * in the same run: the same number of writes pushed raw with `sync_push`, one request per device, no
 * engine, no pull.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { toWire } from '../sync/local-mutation.ts';
import { pushResponse } from '../sync/protocol.ts';
import { SyncEngine } from '../sync/sync-engine.ts';
import { MemoryStore } from '../sync/testing/memory-store.ts';
import { SupabaseTransport } from '../sync/transports/supabase.ts';
import type { BenchStack } from './bench-stack.ts';
import { queueWalkIns } from './sync-drain.ts';

export interface KioskRun {
  writes: number;
  ms: number;
  writesPerSecond: number;
  deviceP50Ms: number;
  deviceMaxMs: number;
  /** Drains that failed and were run again (engine only). */
  failedDrains?: number;
  /** Devices whose slots after the drain are fewer than the database's, and how many they miss. */
  devicesShort?: number;
  slotsMissing?: number;
}

const PER_PATIENT = 4;

async function devices(
  bench: BenchStack,
  count: number,
  perDevice: number,
): Promise<{ store: MemoryStore; client: SupabaseClient }[]> {
  const patients = perDevice / (PER_PATIENT + 1);
  const slots = await bench.addSlots(count * patients * PER_PATIENT);
  const out: { store: MemoryStore; client: SupabaseClient }[] = [];
  for (let d = 0; d < count; d++) {
    const mine = slots.slice(d * patients * PER_PATIENT, (d + 1) * patients * PER_PATIENT);
    out.push({
      store: await queueWalkIns(new MemoryStore(), mine, patients, PER_PATIENT),
      client: await bench.staffClient(),
    });
  }
  return out;
}

function summary(writes: number, ms: number, perDeviceMs: number[]): KioskRun {
  const sorted = [...perDeviceMs].sort((a, b) => a - b);
  return {
    writes,
    ms,
    writesPerSecond: (writes / ms) * 1000,
    deviceP50Ms: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
    deviceMaxMs: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export async function kiosksWithEngine(
  bench: BenchStack,
  count: number,
  perDevice: number,
): Promise<KioskRun> {
  const fleet = await devices(bench, count, perDevice);
  const slotsInDb = await bench.countSlots();
  let failedDrains = 0;
  const started = performance.now();
  const perDeviceMs = await Promise.all(
    fleet.map(async ({ store, client }) => {
      const engine = new SyncEngine({ store, transport: new SupabaseTransport(client), maxRounds: 1000 });
      // A drain that fails (a request past the transport's 30 s timeout while 100 devices push) is
      // tried again at once, as the engine's retry would, only without its backoff wait.
      for (let round = 0; round < 100; round++) {
        const result = await engine.drainOnce();
        if (result.status === 'failed') failedDrains += 1;
        else if (result.status === 'synced' && !result.morePull && (await store.listOutbox()).length === 0)
          break;
      }
      await engine.stop();
      const left = (await store.listOutbox()).length;
      if (left > 0) throw new Error(`a kiosk still holds ${left} writes after 100 drains`);
      return performance.now() - started;
    }),
  );
  const ms = performance.now() - started;
  // Nothing lost: every device's first pull must hold every slot. Counted, not thrown, so a loss
  // is reported next to the rate it came with.
  let devicesShort = 0;
  let slotsMissing = 0;
  for (const { store } of fleet) {
    const missing = slotsInDb - (await store.listRows('slots')).length;
    if (missing > 0) {
      devicesShort += 1;
      slotsMissing += missing;
    }
  }
  return { ...summary(count * perDevice, ms, perDeviceMs), failedDrains, devicesShort, slotsMissing };
}

export async function kiosksRawPush(bench: BenchStack, count: number, perDevice: number): Promise<KioskRun> {
  const fleet = await devices(bench, count, perDevice);
  const batches = await Promise.all(
    fleet.map(async ({ store, client }) => ({
      client,
      clientId: await store.getClientId(),
      mutations: (await store.listOutbox()).map((m) => toWire(m)),
    })),
  );
  const started = performance.now();
  const perDeviceMs = await Promise.all(
    batches.map(async ({ client, clientId, mutations }) => {
      const { data, error } = await client.rpc('sync_push', { client_id: clientId, mutations });
      if (error) throw new Error(`raw push failed: ${error.message}`);
      const bad = pushResponse.parse(data).find((r) => r.status !== 'applied');
      if (bad) throw new Error(`raw push not applied: ${JSON.stringify(bad)}`);
      return performance.now() - started;
    }),
  );
  return summary(count * perDevice, performance.now() - started, perDeviceMs);
}
