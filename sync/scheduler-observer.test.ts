import { expect, it } from 'vitest';
import { Backoff } from './backoff.ts';
import type { DrainOutcome } from './drain.ts';
import { ERROR_KINDS } from './errors.ts';
import { MemoryDrainLock } from './locks.ts';
import type { DrainEndReport } from './ports.ts';
import { Scheduler } from './scheduler.ts';
import { FakeNetwork } from './testing/fake-signals.ts';
import { ManualClock } from './testing/manual-clock.ts';

const synced: DrainOutcome = { status: 'synced', pushed: 1, pulled: 0, pages: 1, morePull: false };
const serverDown: DrainOutcome = {
  status: 'failed',
  failure: { type: 'retry-later', kind: ERROR_KINDS.server, message: '503', retryAfterMs: null },
};
const signedOut: DrainOutcome = {
  status: 'failed',
  failure: { type: 'refresh-session', message: '401' },
};

function setup(script: DrainOutcome[]) {
  const clock = new ManualClock(0);
  const seen: string[] = [];
  const ends: DrainEndReport[] = [];
  const scheduler = new Scheduler(
    {
      clock,
      lock: new MemoryDrainLock(),
      lockName: 'test',
      network: new FakeNetwork(true),
      // random() = 0.5: the first wait is half the cap, 500 ms.
      backoff: new Backoff({ baseMs: 1_000, maxMs: 60_000 }, () => 0.5),
      debounceMs: 100,
      pollMs: 30_000,
      observer: {
        drainStarted: ({ at, trigger }) => seen.push(`${at} start ${trigger}`),
        drainEnded: (report) => {
          ends.push(report);
          seen.push(`${report.at} end ${report.status}`);
        },
      },
    },
    {
      drain: async () => {
        await Promise.resolve();
        return script.shift() ?? synced;
      },
      hasQueued: async () => true,
      changed: () => {},
    },
  );
  return { clock, seen, ends, scheduler };
}

it('tells the observer what started each drain, how it ended, and the backoff it armed', async () => {
  const t = setup([serverDown, synced]);
  t.scheduler.trigger('debounce');
  await t.clock.advance(5_000);
  await t.scheduler.syncNow();
  expect(t.seen).toEqual([
    '100 start request',
    '100 end failed',
    '600 start wake',
    '600 end synced',
    '5000 start sync-now',
    '5000 end synced',
  ]);
  expect(t.ends[0]).toEqual({
    at: 100,
    status: 'failed',
    kind: 'server',
    retryAt: 600,
    pausedForSignIn: false,
  });
});

it('reports a drain that waits for sign-in as paused, with no retry time', async () => {
  const t = setup([signedOut]);
  await t.scheduler.request();
  expect(t.ends).toEqual([
    { at: 0, status: 'failed', kind: 'unauthorized', retryAt: null, pausedForSignIn: true },
  ]);
});
