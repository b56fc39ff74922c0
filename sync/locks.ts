/**
 * Drain locks. In browsers, Web Locks (`navigator.locks`, shared by tabs and the service worker,
 * released when the holder dies); elsewhere, a lock for one JS realm.
 */
import type { DrainLock, LockResult } from './ports.ts';

/** The part of `LockManager` we use, so this file does not depend on DOM typings being present. */
export interface LockManagerLike {
  request<T>(
    name: string,
    options: { ifAvailable: true },
    callback: (lock: unknown) => Promise<T>,
  ): Promise<T>;
}

/** `ifAvailable`: if another context drains, skip (it will send our writes too); never steal. */
export function webLocksDrainLock(locks: LockManagerLike): DrainLock {
  return {
    run: <T>(name: string, fn: () => Promise<T>) =>
      locks.request<LockResult<T>>(name, { ifAvailable: true }, async (lock) =>
        lock ? { acquired: true, value: await fn() } : { acquired: false },
      ),
  };
}

/** For runtimes without Web Locks: excludes drains of engines sharing this instance. */
export class MemoryDrainLock implements DrainLock {
  private readonly held = new Set<string>();

  async run<T>(name: string, fn: () => Promise<T>): Promise<LockResult<T>> {
    if (this.held.has(name)) return { acquired: false };
    this.held.add(name);
    try {
      return { acquired: true, value: await fn() };
    } finally {
      this.held.delete(name);
    }
  }
}

/** Web Locks where the platform has them, else a realm-local lock. */
export function drainLockFor(locks: LockManagerLike | undefined | null): DrainLock {
  return locks && typeof locks.request === 'function' ? webLocksDrainLock(locks) : new MemoryDrainLock();
}
