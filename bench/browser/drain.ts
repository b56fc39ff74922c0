/**
 * Runs in real Chromium (bench/browser-drain.ts opens it): the app's engine over the app's Dexie
 * store on the page's own IndexedDB, draining to the bench stack through supabase-js, as the PWA
 * does. One page queues the walk-ins (`seedDrain`); a fresh page then drains them
 * (`prepareDrain`, `runDrain`), so that the draining page's memory holds the drain and not the
 * seeding. The database lives in the browser process's IndexedDB (in memory: the bench's context is
 * off the record), not in the page's heap.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { ConsultDb } from '../../sync/stores/dexie-db.ts';
import { DexieStore } from '../../sync/stores/dexie-store.ts';
import { SyncEngine, type SyncEngineOptions } from '../../sync/sync-engine.ts';
import { SupabaseTransport } from '../../sync/transports/supabase.ts';
import { queueWalkIns, type WalkInSlot } from '../walk-ins.ts';

export interface SeedRequest {
  db: string;
  slots: WalkInSlot[];
  patients: number;
  perPatient: number;
}

export interface DrainRequest {
  db: string;
  url: string;
  anonKey: string;
  email: string;
  password: string;
  /** The engine's settings where a run compares them (batch limits, pull page bytes); else its defaults. */
  engine?: Pick<SyncEngineOptions, 'limits' | 'pullPageBytes'>;
}

export interface PageDrain {
  mutations: number;
  ms: number;
  /** drainOnce calls it took (each pushes batches and pulls until caught up or out of rounds). */
  drains: number;
}

async function pending(store: DexieStore): Promise<number> {
  const counts = await store.countOutbox();
  return counts.pending + counts.sending;
}

/** Queues the walk-ins, then closes the database: this page's work is done. */
async function seedDrain(request: SeedRequest): Promise<number> {
  const db = new ConsultDb(request.db);
  const store = await queueWalkIns(new DexieStore(db), request.slots, request.patients, request.perPatient);
  const queued = await pending(store);
  db.close();
  return queued;
}

let ready: { store: DexieStore; engine: SyncEngine; client: SupabaseClient } | undefined;

/** Signs in and builds the engine, untimed: the drain's clock starts at `runDrain`. */
async function prepareDrain(request: DrainRequest): Promise<number> {
  const client = createClient(request.url, request.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
  const { error } = await client.auth.signInWithPassword({
    email: request.email,
    password: request.password,
  });
  if (error) throw new Error(`bench sign-in failed: ${error.message}`);
  const store = new DexieStore(new ConsultDb(request.db));
  const engine = new SyncEngine({
    ...request.engine,
    store,
    transport: new SupabaseTransport(client),
    maxRounds: 1000,
  });
  // As in the app, where the status indicator listens: the engine keeps its counts published.
  engine.subscribe(() => engine.getSnapshot());
  ready = { store, engine, client };
  return pending(store);
}

async function runDrain(): Promise<PageDrain> {
  if (!ready) throw new Error('prepareDrain first');
  const { store, engine } = ready;
  const mutations = await pending(store);
  const started = performance.now();
  let drains = 0;
  for (; drains < 100; ) {
    const result = await engine.drainOnce();
    drains++;
    if (result.status !== 'synced') throw new Error(`engine drain ended ${JSON.stringify(result)}`);
    if (!result.morePull && (await pending(store)) === 0) break;
  }
  const ms = performance.now() - started;
  const left = await pending(store);
  if (left > 0) throw new Error(`the drain left ${left} mutations`);
  await engine.stop();
  return { mutations, ms, drains };
}

declare global {
  interface Window {
    seedDrain(request: SeedRequest): Promise<number>;
    prepareDrain(request: DrainRequest): Promise<number>;
    runDrain(): Promise<PageDrain>;
  }
}

window.seedDrain = seedDrain;
window.prepareDrain = prepareDrain;
window.runDrain = runDrain;
