/**
 * The service worker's drain, for the Background Sync `sync` event (Chromium): the same engine the
 * page runs, over the same IndexedDB outbox and session, without the page's signals. The Web Lock
 * makes it skip when an open tab is already draining. A failed drain rejects, so the browser retries
 * the sync event later with its own backoff; everything else resolves. While QA mode is on, its
 * requests go through the in-app faults; every drain goes to the device's sync log (`qa-worker.ts`).
 * On a clinic kiosk it talks to the server as the kiosk's page does (`kioskTransport`: no pull page
 * in the push answer, no appointment rows in its pulls, small pages): the worker cannot read the
 * kiosk configuration, so the kiosk's own database tells it (`hasKioskDatabase`). Pulled as a phone,
 * the staff session would bring the clinic's appointments onto the shared tablet, to stay there
 * until the page's sweep.
 *
 * Built as an entry of the page's own build, so it and the page share one copy of the engine, Dexie,
 * zod and supabase-js; the worker imports it by URL (scripts/sw-shared-chunks.ts).
 */
import { consoleLogger } from '../sync/browser-adapters.ts';
import { createBrowserSyncEngine } from '../sync/browser-engine.ts';
import type { DrainResult } from '../sync/scheduler.ts';
import { ConsultDb } from '../sync/stores/dexie-db.ts';
import {
  retryAfterRecorder,
  SupabaseTransport,
  supabaseSessionRefresher,
} from '../sync/transports/supabase.ts';
import { hasKioskDatabase } from './data/kiosk-device.ts';
import { kioskTransport } from './data/kiosk-transport.ts';
import { withOwnWrites } from './data/own-writes.ts';
import { workerQa } from './data/qa-worker.ts';
import { signedInUser } from './data/session-user.ts';
import { createSupabase } from './data/supabase-client.ts';

export async function drainFromWorker(locks: LockManager | undefined): Promise<DrainResult> {
  // QA mode reaches the worker too: its in-app faults, and the sync log (which records every drain).
  const qa = await workerQa((input, init) => fetch(input, init));
  const retryAfter = retryAfterRecorder<typeof fetch>(qa.fetch);
  const supabase = createSupabase(import.meta.env, retryAfter.fetch);
  // No session yet: a patient who chose no account went online before the page's anonymous sign-in
  // (src/data/session-gate.ts) finished. A push now would only be refused with 401, and the drain
  // lock it held would make the page's own drain skip. The page signs in and sends.
  const { data, error } = await supabase.auth.getSession();
  if (error) throw new Error(`background sync: no session (${error.message}); the browser will retry`);
  if (!data.session) return { status: 'paused' };
  const db = new ConsultDb();
  const server = new SupabaseTransport(supabase, { retryAfter });
  const kiosk = await hasKioskDatabase();
  const sessionUser = () => signedInUser(supabase.auth);
  // A phone sends each write only under the account that made it (own-writes.ts); a kiosk's are the clinic's.
  const transport = kiosk ? kioskTransport(server, () => true) : withOwnWrites(server, sessionUser);
  const engine = createBrowserSyncEngine({
    db,
    transport: qa.syncLog.wrap(transport),
    refreshSession: supabaseSessionRefresher(supabase),
    locks: locks ?? null,
    logger: consoleLogger(console, import.meta.env.DEV ? 'debug' : 'warn', '[sync:worker]'),
    overrides: { drainObserver: qa.syncLog.observer },
  });
  try {
    const result = await engine.drainOnce();
    if (result.status === 'failed')
      throw new Error(`background sync failed (${result.kind}); the browser will retry`);
    return result;
  } finally {
    await engine.stop();
    await qa.flush();
    db.close();
  }
}
