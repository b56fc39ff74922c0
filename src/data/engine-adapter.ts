/**
 * Builds the sync engine for the page and adapts it to `EnginePort`: the page's network and
 * visibility signals, Web Locks, the Supabase session for 401 refreshes, and the Supabase transport,
 * whose client is loaded on the first drain (supabase-js stays out of the first screen's bundle).
 *
 * The engine gets the same store instance the screens write through: it learns of each write from
 * that store's events and drains shortly after.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { documentVisibility, windowNetworkStatus } from '../../sync/browser-adapters.ts';
import { drainLockFor, type LockManagerLike } from '../../sync/locks.ts';
import type { SyncStore } from '../../sync/stores/sync-store.ts';
import { SyncEngine } from '../../sync/sync-engine.ts';
import type { SyncStatus } from '../../sync/sync-status.ts';
import {
  type RetryAfterRecorder,
  SupabaseTransport,
  supabaseSessionRefresher,
} from '../../sync/transports/supabase.ts';
import type { SyncTransport } from '../../sync/transports/transport.ts';
import { newUuid } from '../lib/uuid.ts';
import type { EnginePort, EngineStatus } from './engine-port.ts';
import { anonymousSessionGate, refreshOrSignInAnonymously, withSessionGate } from './session-gate.ts';

export interface EngineDeps {
  store: SyncStore;
  supabase(): Promise<SupabaseClient>;
  /** The recorder whose fetch the Supabase client was created with (Retry-After on 429/503). */
  retryAfter: RetryAfterRecorder;
}

/** The screens' view of the engine's status (pure, so the mapping is tested). */
export function toEngineStatus(s: SyncStatus): EngineStatus {
  return {
    draining: s.sending,
    lastSentAt: s.lastSuccessAt === null ? null : new Date(s.lastSuccessAt).toISOString(),
    needsSignIn: s.needsSignIn,
    lastFailure: s.lastError
      ? { kind: s.lastError.kind, message: s.lastError.message, at: new Date(s.lastError.at).toISOString() }
      : null,
    nextRetryAt: s.nextRetryAt === null ? null : new Date(s.nextRetryAt).toISOString(),
  };
}

export function createEnginePort({ store, supabase, retryAfter }: EngineDeps): EnginePort {
  let transport: Promise<SyncTransport> | null = null;
  const getTransport = () => {
    transport ??= supabase().then((client) => new SupabaseTransport(client, { retryAfter }));
    // A failed load (offline before the chunk was cached) must be retried, not remembered.
    transport.catch(() => {
      transport = null;
    });
    return transport;
  };
  const engine = new SyncEngine({
    store,
    // The anonymous sign-in, if the patient chose it, happens before each call (session-gate.ts).
    transport: withSessionGate(
      {
        push: async (clientId, mutations) => (await getTransport()).push(clientId, mutations),
        pull: async (cursor) => (await getTransport()).pull(cursor),
      },
      anonymousSessionGate(supabase),
    ),
    network: windowNetworkStatus(window),
    visibility: documentVisibility(document),
    lock: drainLockFor((navigator as Navigator & { locks?: LockManagerLike }).locks),
    newId: newUuid,
    refreshSession: refreshOrSignInAnonymously(
      async () => supabaseSessionRefresher(await supabase())(),
      anonymousSessionGate(supabase),
    ),
  });

  // useSyncExternalStore needs the same object while nothing changed: map once per engine snapshot.
  let seen: SyncStatus | null = null;
  let mapped: EngineStatus = toEngineStatus(engine.getSnapshot());
  const getStatus = () => {
    const snap = engine.getSnapshot();
    if (snap !== seen) {
      seen = snap;
      mapped = toEngineStatus(snap);
    }
    return mapped;
  };

  return {
    getStatus,
    subscribe: engine.subscribe,
    syncNow: () => void engine.syncNow(),
    discard: async (id) => {
      await engine.discard(id);
    },
    retry: async (id) => {
      await engine.retry(id);
    },
    start: () => engine.start(),
    stop: () => engine.stop(),
  };
}
