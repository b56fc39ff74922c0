/**
 * The engine over its own Dexie store, as the service worker builds it (src/sw-drain.ts): a
 * transport, Web Locks when the platform has them, and a page's signals when given (tests do). The
 * page builds its engine in src/data/engine-adapter.ts, over the store its screens write through.
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
