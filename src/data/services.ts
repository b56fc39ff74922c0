/**
 * Everything the screens talk to, created once at start-up (main.tsx) and handed down by context:
 * the device database, the store (the only writer of it), the Supabase client and the sync engine.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { SyncTransportError } from '../../sync/errors.ts';
import { ConsultDb } from '../../sync/stores/dexie-db.ts';
import { DexieStore } from '../../sync/stores/dexie-store.ts';
import type { SyncTransport } from '../../sync/transports/transport.ts';
import { createEnginePort } from './engine-adapter.ts';
import type { EnginePort } from './engine-port.ts';

export interface Services {
  db: ConsultDb;
  store: DexieStore;
  /**
   * The Supabase client, loaded on first use: supabase-js is a large part of the bundle and the first
   * screen never needs it (every write goes to IndexedDB first).
   */
  supabase(): Promise<SupabaseClient>;
  engine: EnginePort;
}

/**
 * Stand-in until the Supabase transport lands in sync/transports/: every call fails as a network
 * error, so writes stay queued (the indicator says "N waiting") and nothing is lost.
 */
async function pendingTransport(): Promise<SyncTransport> {
  const fail = async (): Promise<never> => {
    throw new SyncTransportError('network', 'the Supabase transport is not built yet');
  };
  return { push: fail, pull: fail };
}

export interface ServiceOptions {
  /** A newer version of the app upgraded the database: this tab must reload. */
  onVersionChange?: () => void;
}

export function createServices(options: ServiceOptions = {}): Services {
  const db = new ConsultDb(undefined, { onVersionChange: options.onVersionChange });
  const store = new DexieStore(db);
  let client: Promise<SupabaseClient> | null = null;
  const supabase = () => {
    client ??= import('./supabase-client.ts').then((m) => m.createSupabase());
    return client;
  };
  const engine = createEnginePort({ store, supabase, loadTransport: pendingTransport });
  return { db, store, supabase, engine };
}
