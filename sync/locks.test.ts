import { describe, expect, it } from 'vitest';
import { drainLockFor, type LockManagerLike, MemoryDrainLock, webLocksDrainLock } from './locks.ts';

describe('drain locks', () => {
  it('memory lock skips a second drain while the first runs', async () => {
    const lock = new MemoryDrainLock();
    let release = () => {};
    const first = lock.run('x', () => new Promise<string>((r) => (release = () => r('done'))));
    expect(await lock.run('x', async () => 'second')).toEqual({ acquired: false });
    expect(await lock.run('y', async () => 'other name')).toEqual({ acquired: true, value: 'other name' });
    release();
    expect(await first).toEqual({ acquired: true, value: 'done' });
    expect(await lock.run('x', async () => 'again')).toEqual({ acquired: true, value: 'again' });
  });

  it('asks Web Locks with ifAvailable and never steals', async () => {
    const calls: unknown[] = [];
    const fake: LockManagerLike = {
      request: (name, options, cb) => {
        calls.push([name, options]);
        return cb(calls.length === 1 ? { name } : null);
      },
    };
    const lock = webLocksDrainLock(fake);
    expect(await lock.run('sync', async () => 1)).toEqual({ acquired: true, value: 1 });
    expect(await lock.run('sync', async () => 2)).toEqual({ acquired: false });
    expect(calls).toEqual([
      ['sync', { ifAvailable: true }],
      ['sync', { ifAvailable: true }],
    ]);
    expect(drainLockFor(undefined)).toBeInstanceOf(MemoryDrainLock);
  });
});
