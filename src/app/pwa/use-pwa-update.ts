/**
 * Registers the service worker and reports when a new version is waiting. `reload()` tells the
 * waiting worker to take over, and the page reloads once it controls it. The caller decides when:
 * the banner holds the reload back while a form has unsaved input.
 */
import { useRegisterSW } from 'virtual:pwa-register/react';

export interface PwaUpdate {
  /** A new version is installed and waiting. */
  updateReady: boolean;
  /** The app shell is cached: the app now opens with no network. */
  offlineReady: boolean;
  reload(): void;
}

const UPDATE_CHECK_MS = 60 * 60 * 1000;

export function usePwaUpdate(): PwaUpdate {
  const {
    needRefresh: [updateReady],
    offlineReady: [offlineReady],
    updateServiceWorker,
  } = useRegisterSW({
    immediate: true,
    // A kiosk tablet keeps the app open for days: look for a new version every hour, not only when
    // the browser navigates. (Offline, the check fails quietly and the next one tries again.)
    onRegisteredSW: (_url, registration) => {
      if (registration) setInterval(() => void registration.update().catch(() => undefined), UPDATE_CHECK_MS);
    },
  });
  return {
    updateReady,
    offlineReady,
    reload: () => {
      // workbox-window only reloads for an update it found within 200 ms of registering; one found
      // later (the app left open, a periodic check) counts as "external" and never reloaded. So
      // reload ourselves once the new worker has taken control.
      navigator.serviceWorker?.addEventListener('controllerchange', () => window.location.reload(), {
        once: true,
      });
      void updateServiceWorker(true);
    },
  };
}
