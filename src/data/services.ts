/**
 * Everything the screens talk to, created once at start-up (main.tsx) and handed down by context:
 * the device database, the store (the only writer of it), the Supabase client and the sync engine.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { ConsultDb } from '../../sync/stores/dexie-db.ts';
import { DexieStore } from '../../sync/stores/dexie-store.ts';
import { retryAfterRecorder } from '../../sync/transports/supabase.ts';
import { adoptUnstampedWrites } from './adopt-unstamped.ts';
import { storedAuthRecords } from './auth-storage.ts';
import { requestBackgroundSync } from './background-sync.ts';
import { checkDeviceData, isNewerDatabaseError } from './check-device-data.ts';
import { createEnginePort } from './engine-adapter.ts';
import type { EnginePort } from './engine-port.ts';
import { afterEachWrite } from './entity-writes.ts';
import { isKioskDevice } from './kiosk-config-store.ts';
import { applyQaUrlFlag, qaFetch } from './qa-mode.ts';
import { lazySyncLog } from './qa-sync-log-hook.ts';
import {
  followSessionUser,
  loadStoredSessionUser,
  sessionUserNow,
  subscribeSessionUser,
} from './session-user.ts';
import { clearDeviceData } from './sign-out.ts';
import { requestPersistentStorage } from './storage.ts';

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

export interface ServiceOptions {
  /** A newer version of the app upgraded the database: this tab must reload. */
  onVersionChange?: () => void;
}

/** Runs `fn` when the page is next idle (Safari has no requestIdleCallback: a second later). */
function whenIdle(fn: () => unknown): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => void fn(), { timeout: 3000 });
  else setTimeout(() => void fn(), 1000);
}

export function createServices(options: ServiceOptions = {}): Services {
  const db = new ConsultDb(undefined, { onVersionChange: options.onVersionChange });
  const store = new DexieStore(db);
  // QA mode's fault layer (off unless QA turned it on for this device) sits under the recorder.
  const retryAfter = retryAfterRecorder<typeof fetch>(qaFetch((input, init) => fetch(input, init)));
  const qaUrlFlag = import.meta.env.DEV || import.meta.env.VITE_CONSULT_QA_URL_FLAG === 'on';
  if (typeof location !== 'undefined')
    void applyQaUrlFlag(location.search, qaUrlFlag, (search) =>
      history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`),
    );
  let client: Promise<SupabaseClient> | null = null;
  const supabase = () => {
    client ??= import('./supabase-client.ts').then((m) => {
      const created = m.createSupabase(import.meta.env, retryAfter.fetch);
      followSessionUser(created.auth, () => clearDeviceData(services));
      return created;
    });
    return client;
  };
  // Whose session the device holds, for the writes made before supabase-js loads (session-user.ts);
  // then the writes an older release queued without an account are given theirs (once per device).
  void loadStoredSessionUser(storedAuthRecords)
    .then(() => adoptUnstampedWrites(db, sessionUserNow().user, isKioskDevice()))
    .catch(() => undefined);
  // The device's sync log (QA screen) records every drain; its recorder loads with the first one.
  const engine = createEnginePort({
    store,
    supabase,
    retryAfter,
    syncLog: lazySyncLog(),
    // A kiosk pushes without the pull page and pulls no appointments (kiosk-transport.ts).
    isKiosk: isKioskDevice,
  });
  // The account that made a write refused here as another account's is back: it is sent now.
  subscribeSessionUser(() => {
    const { user } = sessionUserNow();
    if (!user || isKioskDevice()) return;
    // Its own chunk: it parses outbox records (zod), which the first screen does without; loaded
    // only when the outbox holds a refused entry (almost never), not at every start.
    void db.outbox
      .where('state')
      .equals('rejected')
      .toArray()
      .then((rejected: unknown[]) =>
        rejected.length === 0
          ? 0
          : import('./own-refusals.ts').then((m) => m.resendOwnRefusals(async () => rejected, engine, user)),
      )
      .catch(() => undefined);
  });
  // Lives as long as the page: every write, whichever screen made it, asks the same two things once.
  afterEachWrite(store, {
    persist: requestPersistentStorage,
    // In QA mode too: the worker's drains go through the same faults and into the same sync log.
    backgroundSync: requestBackgroundSync,
  });
  db.open().then(
    // Once the first screen is up: the check reads every table (slots by the thousand) and would
    // hold up the screen's own reads. The screens parse what they read, so nothing waits on it.
    () =>
      whenIdle(() =>
        checkDeviceData(store).then(({ quarantined }) => {
          if (quarantined > 0)
            console.warn(`Consult set aside ${quarantined} unreadable record(s); see Testing tools`);
        }),
      ),
    (error: unknown) => {
      // A newer version of the app upgraded this database: only loading that version helps.
      if (isNewerDatabaseError(error)) options.onVersionChange?.();
    },
  );
  const services: Services = { db, store, supabase, engine };
  return services;
}
