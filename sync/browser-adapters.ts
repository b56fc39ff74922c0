/**
 * The browser's signals behind the engine's ports. The page passes its own `window`, `document`
 * and `navigator.locks`; nothing here touches a global, so the engine runs in a worker or in Node too.
 */
import {
  LOG_LEVELS,
  type LogData,
  type Logger,
  type LogLevel,
  type NetworkStatus,
  type Visibility,
} from './ports.ts';

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

/** The console's four methods, structurally (no DOM lib in sync/). */
export interface ConsoleLike {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/**
 * A Logger writing what is at `min` level or above to a console (the page's, the worker's). What
 * it writes is only what the engine passes: messages and `LogData` (ids, kinds, counts), never rows.
 */
export function consoleLogger(c: ConsoleLike, min: LogLevel, prefix = '[sync]'): Logger {
  const at = (level: LogLevel) => (message: string, data?: LogData) => {
    if (LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(min)) return;
    c[level](prefix, message, data ?? '');
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
