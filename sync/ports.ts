/**
 * The side effects the engine uses, as interfaces it defines: the browser's (window, document,
 * navigator.locks, setTimeout) come in through `browser-adapters.ts`, tests pass fakes.
 */
import { platformClearTimeout, platformSetTimeout } from './platform.ts';

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

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * What a log line may carry: ids, kinds, counts and names. No objects, so no row (a patient's
 * details) can be passed by accident; the engine logs nothing a person typed.
 */
export type LogData = Readonly<Record<string, string | number | boolean | null | readonly string[]>>;

export interface Logger {
  debug(message: string, data?: LogData): void;
  info(message: string, data?: LogData): void;
  warn(message: string, data?: LogData): void;
  error(message: string, data?: LogData): void;
}

export type LockResult<T> = { acquired: true; value: T } | { acquired: false };

/** Mutual exclusion of drains across tabs and the service worker; never waits, never steals. */
export interface DrainLock {
  run<T>(name: string, fn: () => Promise<T>): Promise<LockResult<T>>;
}

/** How a drain ended, as the scheduler decided; `retryAt` is the backoff it armed (null: none). */
export interface DrainEndReport {
  at: number;
  status: 'synced' | 'failed' | 'offline' | 'paused' | 'stopped';
  kind: string | null;
  retryAt: number | null;
  /** Failed on auth: the engine waits for a sign-in instead of retrying. */
  pausedForSignIn: boolean;
}

/**
 * Optional watcher of every drain the scheduler runs (the QA sync log). Called synchronously:
 * it must only record, never throw or wait.
 */
export interface DrainObserver {
  /** A drain took the lock; `trigger` names what started it (`trigger-now`, `wake`, `sync-now`…). */
  drainStarted(info: { at: number; trigger: string }): void;
  drainEnded(report: DrainEndReport): void;
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

export const alwaysOnline: NetworkStatus = { isOnline: () => true, subscribe: () => () => {} };
export const alwaysVisible: Visibility = { isVisible: () => true, subscribe: () => () => {} };

/** The platform's timers (a page, a worker and Node alike). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: platformSetTimeout,
  clearTimeout: platformClearTimeout,
};
