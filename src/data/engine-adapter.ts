/**
 * Builds the sync engine for the page and adapts it to `EnginePort`: the page's network and
 * visibility signals, Web Locks, the Supabase session for 401 refreshes, and the Supabase transport,
 * whose client is loaded on the first drain (supabase-js stays out of the first screen's bundle).
 *
 * The engine gets the same store instance the screens write through: it learns of each write from
 * that store's events and drains shortly after.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { consoleLogger, documentVisibility, windowNetworkStatus } from '../../sync/browser-adapters.ts';
import { drainLockFor, type LockManagerLike } from '../../sync/locks.ts';
import type { SyncStore } from '../../sync/stores/sync-store.ts';
import { SyncEngine } from '../../sync/sync-engine.ts';
import {
  type RetryAfterRecorder,
  SupabaseTransport,
  supabaseSessionRefresher,
} from '../../sync/transports/supabase.ts';
import type { SyncTransport } from '../../sync/transports/transport.ts';
import { newUuid } from '../lib/uuid.ts';
import type { EnginePort } from './engine-port.ts';
import { kioskTransport, pauseEndedByWrites } from './kiosk-transport.ts';
import { withOwnWrites } from './own-writes.ts';
import type { SyncLogHook } from './qa-sync-log-hook.ts';
import { anonymousSessionGate, refreshOrSignInAnonymously, withSessionGate } from './session-gate.ts';
import { signedInUser } from './session-user.ts';

export interface EngineDeps {
  store: SyncStore;
  supabase(): Promise<SupabaseClient>;
  /** The recorder whose fetch the Supabase client was created with (Retry-After on 429/503). */
  retryAfter: RetryAfterRecorder;
  /** The QA sync log: told of every drain and every call it makes. */
  syncLog?: SyncLogHook;
  /** Whether the device is a clinic kiosk now: it then pushes and pulls as `kioskTransport` says. */
  isKiosk?: () => boolean;
}

export function createEnginePort({ store, supabase, retryAfter, syncLog, isKiosk }: EngineDeps): EnginePort {
  let transport: Promise<SupabaseTransport> | null = null;
  const getTransport = () => {
    transport ??= supabase().then((client) => new SupabaseTransport(client, { retryAfter }));
    // A failed load (offline before the chunk was cached) must be retried, not remembered.
    transport.catch(() => {
      transport = null;
    });
    return transport;
  };
  const appTransport: SyncTransport = {
    push: async (clientId, mutations) => (await getTransport()).push(clientId, mutations),
    // A push that brings the pull page back: one round trip for a drain with nothing more to pull.
    pushAndPull: async (clientId, mutations, request) =>
      (await getTransport()).pushAndPull(clientId, mutations, request),
    // The options carry the page size the engine asks for.
    pull: async (cursor, options) => (await getTransport()).pull(cursor, options),
  };
  const kioskTiming = pauseEndedByWrites(store);
  const lazyTransport = isKiosk ? kioskTransport(appTransport, isKiosk, kioskTiming) : appTransport;
  // Each write goes only under the account that made it; inside the gate, so it sees the session the
  // anonymous sign-in made (own-writes.ts). Not on a kiosk: its writes are the clinic's.
  const ownWrites = withOwnWrites(
    syncLog?.wrap(lazyTransport) ?? lazyTransport,
    async () => signedInUser((await supabase()).auth),
    () => !(isKiosk?.() ?? false),
  );
  const engine = new SyncEngine({
    store,
    // The anonymous sign-in, if the patient chose it, happens before each call (session-gate.ts).
    transport: withSessionGate(ownWrites, anonymousSessionGate(supabase)),
    ...(syncLog ? { drainObserver: syncLog.observer } : {}),
    network: windowNetworkStatus(window),
    visibility: documentVisibility(document),
    lock: drainLockFor((navigator as Navigator & { locks?: LockManagerLike }).locks),
    newId: newUuid,
    refreshSession: refreshOrSignInAnonymously(
      async () => supabaseSessionRefresher(await supabase())(),
      anonymousSessionGate(supabase),
    ),
    // Failures and quarantines reach the console; drain details only in development.
    logger: consoleLogger(console, import.meta.env.DEV ? 'debug' : 'warn'),
  });

  return {
    // The engine's snapshot is a new object only when a field changed, as useSyncExternalStore needs.
    getStatus: engine.getSnapshot,
    subscribe: engine.subscribe,
    syncNow: () => void engine.syncNow(),
    discard: async (id) => {
      await engine.discard(id);
    },
    setAsideUnreadable: () => engine.setAsideUnreadable(),
    retry: async (id) => {
      await engine.retry(id);
    },
    start: () => engine.start(),
    stop: () => engine.stop(),
  };
}
