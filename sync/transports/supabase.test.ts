import { describe, expect, it } from 'vitest';
import { isTransportError } from '../errors.ts';
import type { Mutation } from '../protocol.ts';
import {
  kindOfFailure,
  parseRetryAfter,
  type RpcClient,
  retryAfterRecorder,
  SupabaseTransport,
} from './supabase.ts';

type Answer = { data: unknown; error: { code?: string; message?: string } | null; status: number };

/** A stand-in for supabase-js's rpc builder: thenable, with abortSignal(). */
function fakeClient(
  answer: (signal: AbortSignal | undefined) => Promise<Answer>,
  calls: unknown[] = [],
): RpcClient {
  const rpc = (fn: string, args: unknown) => {
    calls.push([fn, args]);
    let signal: AbortSignal | undefined;
    const builder = {
      abortSignal(s: AbortSignal) {
        signal = s;
        return builder;
      },
      // biome-ignore lint/suspicious/noThenProperty: supabase-js's builder is a thenable; so is its stand-in.
      then<A, B>(ok: (v: Answer) => A, fail?: (e: unknown) => B) {
        return answer(signal).then(ok, fail);
      },
    };
    return builder;
  };
  return { rpc } as unknown as RpcClient;
}

const ok = (data: unknown): Promise<Answer> => Promise.resolve({ data, error: null, status: 200 });

describe('SupabaseTransport', () => {
  it.each([
    [0, false, 'network'],
    [0, true, 'timeout'],
    [401, false, 'unauthorized'],
    [403, false, 'forbidden'],
    [408, false, 'timeout'],
    [429, false, 'rate_limited'],
    [500, false, 'server'],
    [503, false, 'server'],
    [400, false, 'bad_request'],
    [413, false, 'bad_request'],
  ] as const)('status %i (aborted: %s) → %s', (status, aborted, kind) => {
    expect(kindOfFailure(status, aborted)).toBe(kind);
  });

  it('calls the RPCs with the wire argument names and validates the answers', async () => {
    const calls: unknown[] = [];
    const t = new SupabaseTransport(fakeClient(() => ok([]), calls));
    expect(await t.push('c', [] as Mutation[])).toEqual([]);
    await expect(t.pull(null)).rejects.toMatchObject({ name: 'SyncTransportError', kind: 'bad_response' });
    await expect(t.pull('7:4:x', { maxRows: 50 })).rejects.toMatchObject({ kind: 'bad_response' });
    await expect(t.pull('7', { maxBytes: 4096 })).rejects.toMatchObject({ kind: 'bad_response' });
    // max_bytes only when asked for: a server older than byte-sized pages has no such parameter.
    expect(calls).toEqual([
      ['sync_push', { client_id: 'c', mutations: [] }],
      ['sync_pull', { since: null, max_rows: 1000 }],
      ['sync_pull', { since: '7:4:x', max_rows: 50 }],
      ['sync_pull', { since: '7', max_rows: 1000, max_bytes: 4096 }],
    ]);
  });

  it('asks sync_push for the pull page in the body, and reads the page with the pull parser', async () => {
    const calls: unknown[] = [];
    const none = { patients: [], appointments: [], clinics: [], doctors: [], slots: [] };
    const page = { cursor: '9', changes: { ...none, slots: [{ id: 's' }] }, deleted: [] };
    const answers = [{ results: [], pull: page }, [], { results: [], pull: { cursor: 7 } }];
    const t = new SupabaseTransport(fakeClient(() => ok(answers.shift()), calls));
    const answer = await t.pushAndPull('c', [], { since: '7:4:x', maxRows: 50 });
    // Parsed as a pull page is: `hasMore` absent from an older server's page means none.
    expect(answer.pull).toMatchObject({ cursor: '9', hasMore: false, changes: { slots: [{ id: 's' }] } });
    // A server older than the page answers the bare array: the page is then pulled apart.
    expect(await t.pushAndPull('c', [], { since: null })).toEqual({ results: [], pull: null });
    await expect(t.pushAndPull('c', [], { since: null })).rejects.toMatchObject({ kind: 'bad_response' });
    expect(calls).toEqual([
      ['sync_push', { client_id: 'c', mutations: [], pull: { since: '7:4:x', max_rows: 50 } }],
      ['sync_push', { client_id: 'c', mutations: [], pull: { since: null, max_rows: 1000 } }],
      ['sync_push', { client_id: 'c', mutations: [], pull: { since: null, max_rows: 1000 } }],
    ]);
  });

  it('turns supabase-js errors into typed errors by status and code, with Retry-After', async () => {
    const recorder = { fetch: fetch, take: () => 3_000 };
    const t = new SupabaseTransport(
      fakeClient(() =>
        Promise.resolve({ data: null, error: { code: 'PGRST002', message: 'schema cache' }, status: 503 }),
      ),
      { retryAfter: recorder },
    );
    const err = await t.push('c', []).catch((e: unknown) => e);
    expect(isTransportError(err)).toBe(true);
    expect(err).toMatchObject({ kind: 'server', status: 503, retryAfterMs: 3_000 });
    const offline = new SupabaseTransport(
      fakeClient(() =>
        Promise.resolve({ data: null, error: { code: '', message: 'TypeError: fetch failed' }, status: 0 }),
      ),
    );
    await expect(offline.pull('1')).rejects.toMatchObject({ kind: 'network' });
  });

  it('aborts a call that takes too long and reports a timeout', async () => {
    const timers: (() => void)[] = [];
    const clock = { now: () => 0, setTimeout: (fn: () => void) => timers.push(fn), clearTimeout: () => {} };
    const t = new SupabaseTransport(
      fakeClient(
        (signal) =>
          new Promise((resolve) => {
            // fetch rejects at once when handed an already aborted signal.
            const aborted = () =>
              resolve({ data: null, error: { code: '', message: 'AbortError' }, status: 0 });
            if (signal?.aborted) aborted();
            else signal?.addEventListener('abort', aborted);
          }),
      ),
      { clock, timeoutMs: 10 },
    );
    const pending = t.push('c', []);
    for (const fire of timers) fire();
    await expect(pending).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('records Retry-After from the responses supabase-js hides', async () => {
    const base = (async (input: string) =>
      new Response('{}', {
        status: 429,
        headers: input.includes('sync_push') ? { 'Retry-After': '7' } : {},
      })) as unknown as typeof fetch;
    const r = retryAfterRecorder(base, { now: () => 0, setTimeout: () => 0, clearTimeout: () => {} });
    await r.fetch('http://x/rest/v1/rpc/sync_push', { method: 'POST' });
    expect(r.take('sync_push')).toBe(7_000);
    expect(r.take('sync_push')).toBeNull();
    expect(
      parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
    ).toBe(10_000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
  });
});
