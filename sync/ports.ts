/**
 * The side effects the engine uses, as interfaces it defines: the browser's (window, document,
 * navigator.locks, setTimeout) come in through `browser-adapters.ts`, tests pass fakes.
 */

export type TimerHandle = unknown;

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface NetworkStatus {
  /** false only when the device is known to be offline (navigator.onLine === false). */
  isOnline(): boolean;
  subscribe(listener: (online: boolean) => void): () => void;
}

export interface Visibility {
  isVisible(): boolean;
  subscribe(listener: (visible: boolean) => void): () => void;
}

export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export type LockResult<T> = { acquired: true; value: T } | { acquired: false };

/** Mutual exclusion of drains across tabs and the service worker; never waits, never steals. */
export interface DrainLock {
  run<T>(name: string, fn: () => Promise<T>): Promise<LockResult<T>>;
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

export const alwaysOnline: NetworkStatus = { isOnline: () => true, subscribe: () => () => {} };
export const alwaysVisible: Visibility = { isVisible: () => true, subscribe: () => () => {} };

/** The platform's timers (globalThis works in a page, a worker and Node alike). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof globalThis.setTimeout>),
};
