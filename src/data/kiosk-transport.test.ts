import { describe, expect, it } from 'vitest';
import type { LocalMutation } from '../../sync/local-mutation.ts';
import type { Mutation, PullResponse, PushResult } from '../../sync/protocol.ts';
import type { StoreEvent, SyncStore } from '../../sync/stores/sync-store.ts';
import type { PullOptions, PullRequest, SyncTransport } from '../../sync/transports/transport.ts';
import {
  catchUpPause,
  KIOSK_PULL_PAGE_BYTES,
  type KioskTiming,
  kioskTransport,
  pauseEndedByWrites,
} from './kiosk-transport.ts';

const page: PullResponse = {
  cursor: '1/2',
  hasMore: false,
  changes: { patients: [], appointments: [], clinics: [], doctors: [], slots: [] },
  deleted: [],
};
const results: PushResult[] = [{ id: '00000000-0000-4000-8000-000000000001', status: 'applied', row: null }];

/** A clock that moves only when told to, or by the waits it is asked for (recorded). */
function fakeTiming() {
  const waits: number[] = [];
  const timing: KioskTiming & { at: number } = {
    at: 0,
    now: () => timing.at,
    sleep: async (ms) => {
      waits.push(ms);
      timing.at += ms;
    },
  };
  return { timing, waits };
}

/** A transport that records what it was asked; a push takes `pushMs` on `timing`'s clock. */
function recording(timing?: { at: number }, pushMs = 0) {
  const calls: { kind: 'push' | 'pull' | 'pushAndPull'; options?: PullOptions | PullRequest }[] = [];
  const transport: SyncTransport = {
    push: async () => {
      calls.push({ kind: 'push' });
      if (timing) timing.at += pushMs;
      return results;
    },
    pull: async (_cursor, options) => {
      calls.push({ kind: 'pull', ...(options ? { options } : {}) });
      return page;
    },
    pushAndPull: async (_clientId, _mutations, request) => {
      calls.push({ kind: 'pushAndPull', options: request });
      return { results, pull: page };
    },
  };
  return { calls, transport };
}

const mutations: Mutation[] = [];
const request: PullRequest = { since: null, maxRows: 10, maxBytes: 2048 };

describe('kioskTransport', () => {
  it('on a kiosk, pushes without the page and pulls as a kiosk, in small pages', async () => {
    const { timing } = fakeTiming();
    const { calls, transport } = recording();
    const kiosk = kioskTransport(transport, () => true, timing);
    expect(await kiosk.pushAndPull?.('c', mutations, request)).toEqual({ results, pull: null });
    expect(await kiosk.pull('1/2', { maxRows: 10, maxBytes: 1024 * 1024 })).toBe(page);
    // A page asked smaller stays smaller.
    await kiosk.pull('1/2', { maxBytes: 2048 });
    expect(calls).toEqual([
      { kind: 'push' },
      { kind: 'pull', options: { maxRows: 10, maxBytes: KIOSK_PULL_PAGE_BYTES, kiosk: true } },
      { kind: 'pull', options: { maxBytes: 2048, kiosk: true } },
    ]);
  });

  it('pauses before the first page after a push, longer the longer the push took', async () => {
    const { timing, waits } = fakeTiming();
    const { transport } = recording(timing, 1_000);
    const kiosk = kioskTransport(transport, () => true, timing);
    await kiosk.pushAndPull?.('c', mutations, request);
    await kiosk.pull('1/2');
    // The next pages of the same catch-up go at once.
    await kiosk.pull('1/2');
    expect(waits).toEqual([catchUpPause(1_000)]);
    expect(catchUpPause(1_000)).toBe(4_000);
    // A quick push (a quiet server): two seconds and a bit; a very slow one: five seconds at most.
    expect(catchUpPause(100)).toBe(2_200);
    expect(catchUpPause(60_000)).toBe(5_000);
  });

  it('waits only for what is left of the pause: a pull long after the push goes at once', async () => {
    const { timing, waits } = fakeTiming();
    const { transport } = recording(timing, 100);
    const kiosk = kioskTransport(transport, () => true, timing);
    await kiosk.push('c', mutations);
    timing.at += 500;
    await kiosk.pull('1/2');
    await kiosk.push('c', mutations);
    timing.at += 60_000;
    await kiosk.pull('1/2');
    expect(waits).toEqual([catchUpPause(100) - 500]);
  });

  it('elsewhere, passes every call on as it came', async () => {
    const { timing, waits } = fakeTiming();
    const { calls, transport } = recording(timing, 3_000);
    let isKiosk = true;
    const app = kioskTransport(transport, () => isKiosk, timing);
    // Leaving kiosk mode switches it at once, without a new transport.
    isKiosk = false;
    expect(await app.pushAndPull?.('c', mutations, request)).toEqual({ results, pull: page });
    await app.pull(null, { maxRows: 10 });
    await app.push('c', mutations);
    expect(calls).toEqual([
      { kind: 'pushAndPull', options: request },
      { kind: 'pull', options: { maxRows: 10 } },
      { kind: 'push' },
    ]);
    // And never pauses.
    await app.pull(null);
    expect(waits).toEqual([]);
  });

  it('offers no combined call over a transport that has none', () => {
    const { transport } = recording();
    const { pushAndPull: _, ...plain } = transport;
    expect(kioskTransport(plain, () => true).pushAndPull).toBeUndefined();
  });
});

describe('pauseEndedByWrites', () => {
  it('ends the pause when the store takes a write, and otherwise when its time is up', async () => {
    const listeners = new Set<(event: StoreEvent) => void>();
    const store: Pick<SyncStore, 'subscribe'> = {
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const timing = pauseEndedByWrites(store);
    let ended = false;
    const pause = timing.sleep(60_000).then(() => {
      ended = true;
    });
    // A change from elsewhere (another tab's drain) is not a walk-in's write: the pause goes on.
    for (const l of listeners) l({ type: 'change' });
    await Promise.resolve();
    expect(ended).toBe(false);
    for (const l of [...listeners]) l({ type: 'write', mutation: {} as LocalMutation });
    await pause;
    expect(ended).toBe(true);
    expect(listeners.size).toBe(0);
    const started = timing.now();
    await timing.sleep(5);
    expect(timing.now() - started).toBeGreaterThanOrEqual(4);
    expect(listeners.size).toBe(0);
  });
});
