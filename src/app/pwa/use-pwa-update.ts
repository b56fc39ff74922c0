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

export function usePwaUpdate(): PwaUpdate {
  const {
    needRefresh: [updateReady],
    offlineReady: [offlineReady],
    updateServiceWorker,
  } = useRegisterSW({ immediate: true });
  return {
    updateReady,
    offlineReady,
    reload: () => {
      void updateServiceWorker(true);
    },
  };
}
