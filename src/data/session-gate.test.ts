import { describe, expect, it } from 'vitest';
import { classify } from '../../sync/classify.ts';
import { ERROR_KINDS, isTransportError, SyncTransportError } from '../../sync/errors.ts';
import { SyncEngine } from '../../sync/sync-engine.ts';
import { FakeNetwork } from '../../sync/testing/fake-signals.ts';
import { patientRow, REFERENCE_DATA } from '../../sync/testing/fixtures.ts';
import { InProcessServer, type InProcessTransport } from '../../sync/testing/in-process-server.ts';
import { flush, ManualClock } from '../../sync/testing/manual-clock.ts';
import { MemoryStore } from '../../sync/testing/memory-store.ts';
import { seededIds } from '../../sync/testing/seeded-random.ts';
import type { SyncTransport } from '../../sync/transports/transport.ts';
import {
  type AnonymousAuth,
  type AuthFailure,
  ensureAnonymousSession,
  kindOfAuthFailure,
  refreshOrSignInAnonymously,
  withSessionGate,
} from './session-gate.ts';

const UNREACHABLE: AuthFailure = { name: 'AuthRetryableFetchError', message: 'Failed to fetch', status: 0 };

/**
 * supabase-js's auth as the gate sees it. Each sign-in answers with the next scripted outcome: an
 * error, `'ok'` (a session from then on), or `'hold'` (no answer until `release()`).
 */
class FakeAuth implements AnonymousAuth {
  session: object | null = null;
  sessionError: AuthFailure | null = null;
  signIns = 0;
  readonly log: string[] = [];
  private held: (() => void) | null = null;

  constructor(private readonly script: (AuthFailure | 'ok' | 'hold')[] = ['ok']) {}

  async getSession() {
    return { data: { session: this.sessionError ? null : this.session }, error: this.sessionError };
  }

  async signInAnonymously() {
    this.signIns += 1;
    this.log.push('sign-in');
    const next = this.script.shift() ?? 'ok';
    if (next === 'hold') await new Promise<void>((resolve) => (this.held = resolve));
    else if (next !== 'ok') return { error: next };
    this.session = { user: { is_anonymous: true } };
    return { error: null };
  }

  release(): void {
    this.held?.();
  }
}

/** A transport that answers 401 without a session, as PostgREST does, and logs its calls. */
function serverSide(auth: FakeAuth, inner: InProcessTransport): SyncTransport {
  const check = () => {
    auth.log.push(auth.session ? 'call' : 'call without session');
    if (!auth.session) throw new SyncTransportError(ERROR_KINDS.unauthorized, 'JWT missing', 401);
  };
  return {
    push: async (clientId, mutations) => {
      check();
      return inner.push(clientId, mutations);
    },
    pull: async (cursor, options) => {
      check();
      return inner.pull(cursor, options);
    },
    pushAndPull: async (clientId, mutations, request) => {
      check();
      return (inner as InProcessTransport).pushAndPull(clientId, mutations, request);
    },
  };
}

function gated(auth: FakeAuth, wantsAnonymous = true, clock = new ManualClock()) {
  const server = new InProcessServer(REFERENCE_DATA).transport({ userId: 'u' });
  return withSessionGate(serverSide(auth, server), {
    auth: async () => auth,
    wantsAnonymous: () => wantsAnonymous,
    clock,
  });
}

describe('session gate', () => {
  it('signs in anonymously before the first call, once', async () => {
    const auth = new FakeAuth();
    const transport = gated(auth);
    await transport.push('client', []);
    await transport.pull(null);
    expect(auth.log).toEqual(['sign-in', 'call', 'call']);
  });

  it('passes a push with its pull page on, signed in first, and adds none to a transport without it', async () => {
    const auth = new FakeAuth();
    const answer = await gated(auth).pushAndPull?.('client', [], { since: null });
    expect(answer?.pull?.changes.slots.length).toBeGreaterThan(0);
    expect(auth.log).toEqual(['sign-in', 'call']);
    const bare = withSessionGate(
      { push: async () => [], pull: (cursor) => gated(auth).pull(cursor) },
      { auth: async () => auth, wantsAnonymous: () => true },
    );
    expect(bare.pushAndPull).toBeUndefined();
  });

  it('sends nothing without a session for a patient who chose no anonymous use (the sign-in screen)', async () => {
    const auth = new FakeAuth();
    const calls: (() => Promise<unknown> | undefined)[] = [
      () => gated(auth, false).push('client', []),
      () => gated(auth, false).pull(null),
      () => gated(auth, false).pushAndPull?.('client', [], { since: null }),
    ];
    for (const call of calls) {
      const error = await Promise.resolve()
        .then(call)
        .catch((e: unknown) => e);
      expect(isTransportError(error) && error.kind).toBe('unauthorized');
    }
    expect(auth.log).toEqual([]);
    // Signed in (by email, say): the calls go out.
    auth.session = { user: { is_anonymous: false } };
    await gated(auth, false).pull(null);
    expect(auth.log).toEqual(['call']);
  });

  it('leaves a session it could not read (a refresh that failed offline) to the server', async () => {
    const auth = new FakeAuth();
    auth.session = { user: {} };
    auth.sessionError = UNREACHABLE;
    await gated(auth, false).pull(null);
    expect(auth.log).toEqual(['call']);
  });

  it('a sign-in that cannot reach the server fails as a network error, and the next call tries again', async () => {
    const auth = new FakeAuth([UNREACHABLE, 'ok']);
    const transport = gated(auth);
    const error = await transport.push('client', []).catch((e: unknown) => e);
    expect(isTransportError(error) && error.kind).toBe('network');
    expect(classify({ error })).toMatchObject({ type: 'retry-later', kind: 'network' });
    await transport.push('client', []);
    expect(auth.log).toEqual(['sign-in', 'sign-in', 'call']);
  });

  it('never replaces a session it could not refresh with a new anonymous user', async () => {
    const auth = new FakeAuth();
    auth.session = { user: { is_anonymous: true } };
    auth.sessionError = UNREACHABLE;
    const error = await gated(auth)
      .pull(null)
      .catch((e: unknown) => e);
    expect(isTransportError(error) && error.kind).toBe('network');
    expect(auth.signIns).toBe(0);
  });

  it('overlapping calls wait for one sign-in', async () => {
    const auth = new FakeAuth(['hold']);
    const transport = gated(auth);
    const calls = [transport.push('client', []), transport.pull(null)];
    await flush();
    auth.release();
    await Promise.all(calls);
    expect(auth.log).toEqual(['sign-in', 'call', 'call']);
  });

  it('gives up on a sign-in with no answer as a timeout, and the retry waits for that same request', async () => {
    const auth = new FakeAuth(['hold']);
    const clock = new ManualClock();
    const first = ensureAnonymousSession(auth, { timeoutMs: 30_000, clock }).catch((e: unknown) => e);
    await clock.advance(30_000);
    const error = await first;
    expect(isTransportError(error) && error.kind).toBe('timeout');
    const retry = ensureAnonymousSession(auth, { timeoutMs: 30_000, clock });
    auth.release();
    await retry;
    expect(auth.signIns).toBe(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it.each([
    [{ name: 'AuthRetryableFetchError', message: 'fetch failed', status: 0 }, 'network'],
    [{ name: 'AuthRetryableFetchError', message: 'bad gateway', status: 502 }, 'server'],
    [{ name: 'AuthApiError', message: 'too many', status: 429 }, 'rate_limited'],
    [{ name: 'AuthApiError', message: 'timeout', status: 408 }, 'timeout'],
    [{ name: 'AuthUnknownError', message: 'Unexpected token <', status: undefined }, 'bad_response'],
    [{ name: 'AuthApiError', message: 'Anonymous sign-ins are disabled', status: 422 }, 'unauthorized'],
  ] as const)('%o is %s', (error, kind) => {
    expect(kindOfAuthFailure(error)).toBe(kind);
  });
});

describe('the engine behind the gate (issue 8, "Going online")', () => {
  function setup(auth: FakeAuth, online: boolean, choice = { anonymous: true }, beforeCall = async () => {}) {
    const clock = new ManualClock();
    const server = new InProcessServer(REFERENCE_DATA, () => new Date(clock.now()));
    const ids = seededIds(3);
    const store = new MemoryStore({ newId: ids, now: () => new Date(clock.now()) });
    const network = new FakeNetwork(online);
    const inner = serverSide(auth, server.transport({ userId: ids() }));
    const gate = { auth: async () => auth, wantsAnonymous: () => choice.anonymous, clock };
    const transport = withSessionGate(
      {
        push: async (clientId, mutations) => {
          await beforeCall();
          return inner.push(clientId, mutations);
        },
        pull: async (cursor, options) => {
          await beforeCall();
          return inner.pull(cursor, options);
        },
      },
      gate,
    );
    const warnings: string[] = [];
    const note = () => {};
    const engine = new SyncEngine({
      store,
      transport,
      logger: { debug: note, info: note, warn: (message) => warnings.push(message), error: note },
      clock,
      network,
      random: () => 0.5,
      newId: ids,
      backoff: { baseMs: 1_000, maxMs: 60_000 },
      // supabase-js's refresh finds no session to refresh.
      refreshSession: refreshOrSignInAnonymously(async () => false, gate),
    });
    return { clock, server, ids, network, engine, store, warnings };
  }

  it('before any choice nothing is sent; choosing no account then signs in and syncs, not pausing', async () => {
    const auth = new FakeAuth();
    const choice = { anonymous: false };
    const t = setup(auth, true, choice);
    t.engine.start();
    await t.clock.advance(0);
    // A first visit, no account yet: the engine made no request the server would refuse, and
    // waiting for a sign-in is no warning in the console.
    expect(auth.log).toEqual([]);
    expect(t.engine.getSnapshot().phase).toBe('needs-sign-in');
    expect(t.warnings).toEqual([]);
    choice.anonymous = true;
    void t.engine.syncNow();
    await t.clock.advance(0);
    expect(auth.log.slice(0, 2)).toEqual(['sign-in', 'call']);
    expect(auth.signIns).toBe(1);
    expect(t.engine.getSnapshot()).toMatchObject({ phase: 'idle', lastError: null });
    expect(t.engine.getSnapshot().lastSuccessAt).not.toBeNull();
    await t.engine.stop();
  });

  it('a call already under way when its session ends and the patient chooses no account signs in on its 401', async () => {
    const auth = new FakeAuth();
    auth.session = { user: { is_anonymous: false } };
    const choice = { anonymous: false };
    let letGo = () => {};
    const held = new Promise<void>((resolve) => (letGo = resolve));
    const t = setup(auth, true, choice, () => held);
    t.engine.start();
    await t.clock.advance(0);
    // The first drain's pull passed the gate with a session; it ends (signed out in another tab)
    // and the choice is made before the server reads the call.
    auth.session = null;
    choice.anonymous = true;
    void t.engine.syncNow();
    letGo();
    await t.clock.advance(0);
    // The 401 of that pull brought the sign-in; the pull was sent again with the session.
    expect(auth.log.slice(0, 3)).toEqual(['call without session', 'sign-in', 'call']);
    expect(auth.signIns).toBe(1);
    expect(t.engine.getSnapshot()).toMatchObject({ phase: 'idle', lastError: null });
    await t.engine.stop();
  });

  it('chosen offline, then online: the first push waits for the sign-in and never asks to sign in', async () => {
    const auth = new FakeAuth(['hold']);
    const t = setup(auth, false);
    t.engine.start();
    const p = patientRow(t.ids());
    await t.store.write({ entity: 'patients', op: 'upsert', row: p });
    t.network.set(true);
    await t.clock.advance(1_000);
    // Signing in takes a while: nothing was sent meanwhile, and the header is not asking anyone to sign in.
    expect(t.server.pushCalls).toEqual([]);
    expect(t.engine.getSnapshot().phase).not.toBe('needs-sign-in');
    auth.release();
    await t.clock.advance(0);
    expect(t.server.rows('patients')).toMatchObject([{ id: p.id }]);
    expect(auth.log).not.toContain('call without session');
    expect(t.engine.getSnapshot()).toMatchObject({ phase: 'idle', lastError: null });
    await t.engine.stop();
  });

  it('server unreachable when the choice is made: the sign-in is retried with backoff until it works', async () => {
    const auth = new FakeAuth([UNREACHABLE, UNREACHABLE, 'ok']);
    const t = setup(auth, true);
    t.engine.start();
    const p = patientRow(t.ids());
    await t.store.write({ entity: 'patients', op: 'upsert', row: p });
    await t.clock.advance(0);
    expect(t.engine.getSnapshot()).toMatchObject({ phase: 'backoff' });
    expect(t.engine.getSnapshot().lastError?.kind).toBe('network');
    // No online event, no reload: the engine's own retry timer brings the sign-in and the write through.
    await t.clock.advance(60_000);
    expect(auth.signIns).toBe(3);
    expect(t.server.rows('patients')).toMatchObject([{ id: p.id }]);
    expect(t.engine.getSnapshot()).toMatchObject({ phase: 'idle', lastError: null, counts: { pending: 0 } });
    await t.engine.stop();
  });
});
