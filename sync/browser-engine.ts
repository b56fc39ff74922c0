/**
 * The engine as a page or the service worker builds it: the Dexie store, a transport (the Supabase
 * one in the app), Web Locks when the platform has them, and the page's signals when there is a page.
 *
 *   const supabase = createClient(url, key, { global: { fetch: recorder.fetch } })
 *   const engine = createBrowserSyncEngine({
 *     db, transport: new SupabaseTransport(supabase, { retryAfter: recorder }),
 *     refreshSession: supabaseSessionRefresher(supabase),
 *     locks: navigator.locks, window, document,
 *   })
 *   engine.start()                                  // in a page
 *   event.waitUntil(engine.drainOnce())             // in the service worker's `sync` handler
 */
import { documentVisibility, type EventTargetLike, windowNetworkStatus } from './browser-adapters.ts';
import { drainLockFor, type LockManagerLike } from './locks.ts';
import type { Logger } from './ports.ts';
import type { ConsultDb } from './stores/dexie-db.ts';
import { DexieStore } from './stores/dexie-store.ts';
import { SyncEngine, type SyncEngineOptions } from './sync-engine.ts';
import type { SyncTransport } from './transports/transport.ts';

export interface BrowserSyncEngineOptions {
  db: ConsultDb;
  transport: SyncTransport;
  refreshSession?: () => Promise<boolean>;
  /** `navigator.locks`; absent (old Safari, some WebViews) → a lock for this tab only. */
  locks?: LockManagerLike | null;
  /** The page's window; omit in a service worker (no online/offline events there). */
  window?: EventTargetLike & { navigator: { onLine: boolean } };
  /** The page's document; omit in a service worker. */
  document?: EventTargetLike & { visibilityState: string };
  logger?: Logger;
  /** Anything else (clock, limits, timings) for tests or tuning. */
  overrides?: Partial<SyncEngineOptions>;
}

export function createBrowserSyncEngine(options: BrowserSyncEngineOptions): SyncEngine {
  return new SyncEngine({
    store: new DexieStore(options.db),
    transport: options.transport,
    lock: drainLockFor(options.locks),
    ...(options.refreshSession ? { refreshSession: options.refreshSession } : {}),
    ...(options.window ? { network: windowNetworkStatus(options.window) } : {}),
    ...(options.document ? { visibility: documentVisibility(options.document) } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...options.overrides,
  });
}
