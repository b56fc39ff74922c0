import { describe, expect, it } from 'vitest';
import { type ActionState, actionRunner, IDLE } from './use-action.ts';

/** A runner whose every state is recorded, as React would render them. */
function recorded() {
  let state: ActionState = IDLE;
  const states: ActionState[] = [];
  const runner = actionRunner((change) => {
    state = { ...state, ...change };
    states.push(state);
  });
  return { runner, states, now: () => state };
}

describe('actionRunner', () => {
  it('is busy while the work runs and idle after, with no error when it succeeds', async () => {
    const { runner, states, now } = recorded();
    let seenWhileRunning: ActionState | null = null;
    await runner.run(async () => {
      seenWhileRunning = now();
    });
    expect(seenWhileRunning).toEqual({ busy: true, error: null });
    expect(states.at(-1)).toEqual({ busy: false, error: null });
  });

  it('keeps the message of what the work threw, an Error or anything else', async () => {
    const { runner, now } = recorded();
    await runner.run(async () => {
      throw new Error('disk full');
    });
    expect(now()).toEqual({ busy: false, error: 'disk full' });
    await runner.run(() => Promise.reject('offline'));
    expect(now()).toEqual({ busy: false, error: 'offline' });
  });

  it('keeps a failure the work reported, after the work ends', async () => {
    const { runner, now } = recorded();
    await runner.run(async () => runner.fail('reason: too long'));
    expect(now()).toEqual({ busy: false, error: 'reason: too long' });
  });

  it('clears the last failure when the next run starts, and on clear()', async () => {
    const { runner, now } = recorded();
    runner.fail('earlier');
    let seen: string | null = 'not run';
    await runner.run(async () => {
      seen = now().error;
    });
    expect(seen).toBeNull();
    runner.fail('again');
    runner.clear();
    expect(now().error).toBeNull();
  });

  it('ignores a second run while the first is in flight, and runs again once it ended', async () => {
    const { runner } = recorded();
    let calls = 0;
    let finish = () => {};
    const first = runner.run(() => {
      calls++;
      return new Promise<void>((resolve) => {
        finish = resolve;
      });
    });
    await runner.run(async () => {
      calls++;
    });
    expect(calls).toBe(1);
    finish();
    await first;
    await runner.run(async () => {
      calls++;
    });
    expect(calls).toBe(2);
  });
});
