/**
 * Tells the service worker that this device uses an optional group of screens (the QA tools, kiosk
 * mode), so it keeps all of the group's chunks offline, now and after every update
 * (src/sw-optional.ts). Sent each time the group loads: the worker only fetches what it lacks.
 */
import type { KeepOfflineMessage, OptionalGroup } from './optional-chunks.ts';

export function keepOffline(group: OptionalGroup): void {
  // No worker in a development build or a unit test. `ready` waits for the first install to finish:
  // a kiosk set up during the very first visit, before the worker controls the page, is kept too.
  const worker = typeof navigator === 'undefined' ? undefined : navigator.serviceWorker;
  const message: KeepOfflineMessage = { type: 'KEEP_OFFLINE', group };
  void worker?.ready.then((r) => r.active?.postMessage(message)).catch(() => undefined);
}
