import { describe, expect, it } from 'vitest';
import type { PullResponse } from '../../sync/protocol.ts';
import type { SyncTransport } from '../../sync/transports/transport.ts';
import { PRESETS } from './qa-fault-settings.ts';
import { BACKGROUND_SYNC_TRIGGER, type DrainLogEntry } from './qa-sync-log.ts';
import { workerQa } from './qa-worker.ts';

/** A server that counts the requests that reached it. */
function server() {
  const seen: string[] = [];
  const fetch = (async (input: RequestInfo | URL) => {
    seen.push(String(input));
    return new Response('{}', { status: 200 });
  }) as typeof globalThis.fetch;
  return { seen, fetch };
}

const transport: SyncTransport = {
  push: async () => [],
  pull: async () => ({ cursor: 'c', hasMore: false, changes: {}, deleted: [] }) as unknown as PullResponse,
};

describe("QA mode in the service worker's drain", () => {
  it('fetches under the in-app faults the page copied for it, and straight through when QA mode is off', async () => {
    const on = server();
    const qaOn = await workerQa(on.fetch, {
      readFaults: async () => JSON.stringify(PRESETS['server-down']),
      save: async () => undefined,
    });
    expect((await qaOn.fetch('http://api/rest/v1/rpc/sync_push')).status).toBe(503);
    expect(on.seen).toEqual([]);

    const off = server();
    const qaOff = await workerQa(off.fetch, { readFaults: async () => null, save: async () => undefined });
    expect((await qaOff.fetch('http://api/rest/v1/rpc/sync_push')).status).toBe(200);
    // An unreadable copy is QA mode off, not a drain that cannot run.
    const broken = await workerQa(off.fetch, {
      readFaults: async () => {
        throw new Error('IndexedDB unavailable');
      },
      save: async () => undefined,
    });
    expect((await broken.fetch('http://api/rest/v1/rpc/sync_pull')).status).toBe(200);
    expect(off.seen).toHaveLength(2);
  });

  it('writes each drain to the sync log as started by background sync, stored before it ends', async () => {
    const saved: DrainLogEntry[] = [];
    let release: () => void = () => undefined;
    const stored = new Promise<void>((resolve) => {
      release = resolve;
    });
    const qa = await workerQa(server().fetch, {
      readFaults: async () => null,
      save: async (entry) => {
        await stored;
        saved.push(entry);
      },
    });
    qa.syncLog.observer.drainStarted({ at: 1_000, trigger: 'request' });
    await qa.syncLog.wrap(transport).pull(null);
    qa.syncLog.observer.drainEnded({
      at: 1_250,
      status: 'synced',
      kind: null,
      retryAt: null,
      pausedForSignIn: false,
    });
    let flushed = false;
    const flush = qa.flush().then(() => {
      flushed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(flushed).toBe(false);
    release();
    await flush;
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({
      trigger: BACKGROUND_SYNC_TRIGGER,
      durationMs: 250,
      pullPages: 1,
      end: { status: 'synced' },
    });
  });
});
