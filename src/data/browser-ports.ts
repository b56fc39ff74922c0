/** The engine's network and visibility ports, backed by the page's window and document events. */
import type { NetworkStatus, Visibility } from '../../sync/ports.ts';

export function browserNetwork(win: Window = window): NetworkStatus {
  return {
    isOnline: () => win.navigator.onLine !== false,
    subscribe(listener) {
      const on = () => listener(true);
      const off = () => listener(false);
      win.addEventListener('online', on);
      win.addEventListener('offline', off);
      return () => {
        win.removeEventListener('online', on);
        win.removeEventListener('offline', off);
      };
    },
  };
}

export function browserVisibility(doc: Document = document): Visibility {
  return {
    isVisible: () => doc.visibilityState === 'visible',
    subscribe(listener) {
      const onChange = () => listener(doc.visibilityState === 'visible');
      doc.addEventListener('visibilitychange', onChange);
      return () => doc.removeEventListener('visibilitychange', onChange);
    },
  };
}
