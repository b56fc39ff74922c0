/**
 * The browser's signals behind the engine's ports. The page passes its own `window`, `document`
 * and `navigator.locks`; nothing here touches a global, so the engine runs in a worker or in Node too.
 */
import type { Logger, NetworkStatus, Visibility } from './ports.ts';

export interface EventTargetLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

/** `online`/`offline` events and navigator.onLine (false means surely offline; true only maybe online). */
export function windowNetworkStatus(
  win: EventTargetLike & { navigator: { onLine: boolean } },
): NetworkStatus {
  return {
    isOnline: () => win.navigator.onLine !== false,
    subscribe: (listener) => {
      const online = () => listener(true);
      const offline = () => listener(false);
      win.addEventListener('online', online);
      win.addEventListener('offline', offline);
      return () => {
        win.removeEventListener('online', online);
        win.removeEventListener('offline', offline);
      };
    },
  };
}

/** `visibilitychange`: a tab coming back to the front is a good moment to sync. */
export function documentVisibility(doc: EventTargetLike & { visibilityState: string }): Visibility {
  return {
    isVisible: () => doc.visibilityState === 'visible',
    subscribe: (listener) => {
      const changed = () => listener(doc.visibilityState === 'visible');
      doc.addEventListener('visibilitychange', changed);
      return () => doc.removeEventListener('visibilitychange', changed);
    },
  };
}

/** A Logger over a console-like object (the page's console, or a QA panel's buffer). */
export function consoleLogger(
  c: Pick<Console, 'debug' | 'info' | 'warn' | 'error'>,
  prefix = '[sync]',
): Logger {
  return {
    debug: (m, d) => c.debug(prefix, m, d ?? ''),
    info: (m, d) => c.info(prefix, m, d ?? ''),
    warn: (m, d) => c.warn(prefix, m, d ?? ''),
    error: (m, d) => c.error(prefix, m, d ?? ''),
  };
}
