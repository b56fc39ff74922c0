/**
 * Asks the service worker for a Background Sync after a write, so Chromium drains the outbox even if
 * the page is closed before the connection returns. A bonus only: the page-side triggers of the
 * engine cover every browser. `ready` resolves once a worker is active (register() throws before).
 */

/** The tag the service worker's `sync` handler answers (src/sw.ts). */
export const BACKGROUND_SYNC_TAG = 'consult-sync';

interface SyncCapableRegistration {
  sync?: { register(tag: string): Promise<void> };
}

export function requestBackgroundSync(): void {
  const sw = globalThis.navigator?.serviceWorker;
  if (!sw) return;
  void sw.ready
    .then((registration) => (registration as SyncCapableRegistration).sync?.register(BACKGROUND_SYNC_TAG))
    .catch(() => undefined);
}
