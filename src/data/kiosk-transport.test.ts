import { describe, expect, it } from 'vitest';
import type { Mutation, PullResponse, PushResult } from '../../sync/protocol.ts';
import type { PullOptions, PullRequest, SyncTransport } from '../../sync/transports/transport.ts';
import { KIOSK_PULL_PAGE_BYTES, kioskTransport } from './kiosk-transport.ts';

const page: PullResponse = {
  cursor: '1/2',
  hasMore: false,
  changes: { patients: [], appointments: [], clinics: [], doctors: [], slots: [] },
  deleted: [],
};
const results: PushResult[] = [{ id: '00000000-0000-4000-8000-000000000001', status: 'applied', row: null }];

/** A transport that records what it was asked. */
function recording() {
  const calls: { kind: 'push' | 'pull' | 'pushAndPull'; options?: PullOptions | PullRequest }[] = [];
  const transport: SyncTransport = {
    push: async () => {
      calls.push({ kind: 'push' });
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
    const { calls, transport } = recording();
    const kiosk = kioskTransport(transport, () => true);
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

  it('elsewhere, passes every call on as it came', async () => {
    const { calls, transport } = recording();
    let isKiosk = true;
    const app = kioskTransport(transport, () => isKiosk);
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
  });

  it('offers no combined call over a transport that has none', () => {
    const { transport } = recording();
    const { pushAndPull: _, ...plain } = transport;
    expect(kioskTransport(plain, () => true).pushAndPull).toBeUndefined();
  });
});
