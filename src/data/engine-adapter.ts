/**
 * Adapts the sync engine to `EnginePort`. Until the engine in sync/ lands this is a stand-in that
 * never sends (writes stay queued, which is always safe) and discards by restoring the row.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { SyncStore } from '../../sync/stores/sync-store.ts';
import { type EnginePort, IDLE_STATUS } from './engine-port.ts';

export interface EngineDeps {
  store: SyncStore;
  supabase(): Promise<SupabaseClient>;
}

export function createEnginePort({ store }: EngineDeps): EnginePort {
  const listeners = new Set<() => void>();
  return {
    getStatus: () => IDLE_STATUS,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    syncNow() {},
    async discard(mutationId) {
      const entry = (await store.listOutbox()).find((m) => m.id === mutationId);
      if (!entry) return;
      await store.apply({
        remove: [mutationId],
        rewire: { [mutationId]: null },
        localRows: [{ table: entry.entity, key: entry.key, row: entry.before }],
      });
    },
    start() {},
    stop() {},
  };
}
