import { expect, it, describe as suite } from 'vitest';
import { Backoff } from './backoff.ts';
import type { DrainOutcome } from './drain.ts';
import { ERROR_KINDS } from './errors.ts';
import { MemoryDrainLock } from './locks.ts';
import type { SchedulerState } from './schedule.ts';
import { Scheduler } from './scheduler.ts';
import { FakeNetwork } from './testing/fake-signals.ts';
import { ManualClock } from './testing/manual-clock.ts';

const synced: DrainOutcome = { status: 'synced', pushed: 1, pulled: 0, pages: 1, morePull: false };
const noSession: DrainOutcome = {
  status: 'failed',
  failure: { type: 'refresh-session', message: '401' },
};
const serverDown: DrainOutcome = {
  status: 'failed',
  failure: { type: 'retry-later', kind: ERROR_KINDS.server, message: '503', retryAfterMs: null },
};

/** The state as the timeline shows it: the phase and whichever flags are set. */
function describe(state: SchedulerState): string {
  const flags = Object.entries(state).flatMap(([k, v]) => (v === true ? [k] : []));
  return [state.phase, ...flags].join(' ');
}

/** A scheduler whose drains answer from a script, logging what happens and when (ms since start). */
function setup(script: DrainOutcome[], queued = true) {
  const clock = new ManualClock(0);
  const network = new FakeNetwork(true);
  const log: string[] = [];
  const scheduler = new Scheduler(
    {
      clock,
      lock: new MemoryDrainLock(),
      lockName: 'test',
      network,
      // random() = 0.5: the waits are half the cap, 500 ms, then 1,000 ms.
      backoff: new Backoff({ baseMs: 1_000, maxMs: 60_000 }, () => 0.5),
      debounceMs: 100,
      pollMs: 30_000,
    },
    {
      drain: async () => {
        // A drain takes at least a turn of the event loop, as a real one does.
        await Promise.resolve();
        const outcome = script.shift() ?? synced;
        log.push(`${clock.now()} drain → ${outcome.status}`);
        return outcome;
      },
      hasQueued: async () => queued,
      changed: (state) => log.push(`${clock.now()} ${describe(state)}`),
    },
  );
  return { clock, network, log, scheduler };
}

suite('Scheduler timeline', () => {
  it('debounces a write, backs off twice, and reaches the server when it is back', async () => {
    const t = setup([serverDown, serverDown, synced]);
    t.scheduler.trigger('debounce');
    t.scheduler.trigger('debounce'); // a second write restarts the debounce
    await t.clock.advance(5_000);
    expect(t.log).toEqual([
      '100 draining',
      '100 drain → failed',
      '100 backoff',
      '600 draining',
      '600 drain → failed',
      '600 backoff',
      '1600 draining',
      '1600 drain → synced',
      '1600 idle',
    ]);
  });

  it('goes offline, then drains when the network comes back, not before', async () => {
    const t = setup([]);
    t.network.set(false);
    expect(await t.scheduler.request()).toEqual({ status: 'offline' });
    await t.clock.advance(10_000);
    t.network.set(true);
    t.scheduler.trigger('now');
    await t.clock.advance(0);
    expect(t.log).toEqual(['10000 draining', '10000 drain → synced', '10000 idle']);
  });

  it('folds requests made during a drain into one more drain, and polls after', async () => {
    const t = setup([]);
    const first = t.scheduler.request();
    const second = t.scheduler.request();
    const third = t.scheduler.request();
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(await first).toMatchObject({ status: 'synced' });
    await t.clock.advance(30_000);
    expect(t.log).toEqual([
      '0 draining',
      '0 draining again',
      '0 drain → synced',
      '0 draining',
      '0 drain → synced',
      '0 idle',
      '30000 draining',
      '30000 drain → synced',
      '30000 idle',
    ]);
  });

  it('a sign-in while the drain before it runs: that drain ends needing a sign-in, and the next one sends', async () => {
    const t = setup([noSession, synced]);
    const first = t.scheduler.request();
    // The sign-in (or "Continue without an account") asks for Sync now while the 401 is on its way.
    const signedIn = t.scheduler.syncNow();
    expect(signedIn).toBe(first);
    expect(await first).toMatchObject({ status: 'synced' });
    expect(t.log).toEqual([
      '0 draining',
      '0 draining again syncNow',
      '0 drain → failed',
      '0 draining',
      '0 drain → synced',
      '0 idle',
    ]);
  });

  it('a mere request during such a drain does not outlast the pause for sign-in', async () => {
    const t = setup([noSession]);
    const first = t.scheduler.request();
    t.scheduler.request();
    expect(await first).toMatchObject({ status: 'failed', retryAt: null });
    expect(t.log).toEqual(['0 draining', '0 draining again', '0 drain → failed', '0 needs-sign-in']);
  });

  it('a stop during a drain leaves it stopped with nothing armed', async () => {
    const t = setup([serverDown]);
    const drain = t.scheduler.request();
    const stopped = t.scheduler.stop();
    expect(await drain).toEqual({ status: 'failed', kind: 'server', retryAt: null });
    await stopped;
    expect(t.clock.pendingTimers()).toBe(0);
    expect(t.log).toEqual(['0 draining', '0 stopped inFlight', '0 drain → failed', '0 stopped']);
  });
});
