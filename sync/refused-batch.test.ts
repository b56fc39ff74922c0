/**
 * One bad value must never jam the outbox (issue 8, part 1, the engine): a batch the server refuses
 * whole (400, 413, an answer that does not parse or match) is split until the write to blame is
 * found; that one is rejected with the server's reason, what depends on it is blocked, and every
 * other write arrives. Transient failures still back off and never split.
 */
import { describe, expect, it } from 'vitest';
import { classify } from './classify.ts';
import { ERROR_KINDS, type ErrorKind, SyncTransportError } from './errors.ts';
import type { LocalMutation } from './local-mutation.ts';
import type { Mutation } from './protocol.ts';
import { SyncEngine } from './sync-engine.ts';
import { appointmentRow, CLINIC_ID, patientRow, REFERENCE_DATA, SLOTS } from './testing/fixtures.ts';
import { type Fault, InProcessServer } from './testing/in-process-server.ts';
import { ManualClock } from './testing/manual-clock.ts';
import { MemoryStore } from './testing/memory-store.ts';
import { seededIds } from './testing/seeded-random.ts';
import {
  beforeIsolationRefusal,
  bodyLimitRefusal,
  type WholeCallRefusal,
} from './testing/whole-call-refusals.ts';
import type { SyncTransport } from './transports/transport.ts';

const STAFF = '5a5a5a5a-0000-4000-8000-000000000001';

/** A kiosk (many patients per account), every push's size recorded, a transport a test may wrap. */
function setup(options: { wrap?: (inner: SyncTransport) => SyncTransport; refusal?: WholeCallRefusal } = {}) {
  const clock = new ManualClock();
  const server = new InProcessServer(REFERENCE_DATA, () => new Date(clock.now()));
  if (options.refusal) server.refuseWholeCall = options.refusal;
  const ids = seededIds(23);
  const store = new MemoryStore({ newId: ids, now: () => new Date(clock.now()) });
  const faults: Fault[] = [];
  const inner = server.transport({ userId: STAFF, staffClinicId: CLINIC_ID }, () => faults.shift() ?? null);
  const wrapped = options.wrap ? options.wrap(inner) : inner;
  const sizes: number[] = [];
  const transport: SyncTransport = {
    push: (clientId, mutations) => {
      sizes.push(mutations.length);
      return wrapped.push(clientId, mutations);
    },
    pull: (cursor, pullOptions) => wrapped.pull(cursor, pullOptions),
  };
  const engine = new SyncEngine({
    store,
    transport,
    clock,
    random: () => 0.5,
    newId: ids,
    backoff: { baseMs: 1_000, maxMs: 60_000 },
  });
  return { clock, server, ids, store, faults, engine, sizes };
}

type Setup = ReturnType<typeof setup>;

/** Five writes: patients p, q (with appointment b) and r, and p's appointment a. */
async function fiveWrites(t: Setup) {
  const [p, q, r] = [patientRow(t.ids()), patientRow(t.ids()), patientRow(t.ids())];
  const mp = await t.store.write({ entity: 'patients', op: 'upsert', row: p });
  const mq = await t.store.write({ entity: 'patients', op: 'upsert', row: q });
  const ma = await t.store.write({
    entity: 'appointments',
    op: 'upsert',
    row: appointmentRow(t.ids(), p.id, {}, SLOTS[0]),
  });
  const mb = await t.store.write({
    entity: 'appointments',
    op: 'upsert',
    row: appointmentRow(t.ids(), q.id, {}, SLOTS[1]),
  });
  const mr = await t.store.write({ entity: 'patients', op: 'upsert', row: r });
  return { p, q, r, mp, mq, ma, mb, mr };
}

/** Rewrites a queued mutation's data as an old app version (or a bug) would have queued it. */
async function poison(t: Setup, m: LocalMutation, field: string, value: unknown): Promise<void> {
  const stored = (await t.store.listOutbox()).find((x) => x.id === m.id) as LocalMutation;
  t.store.memory.plant('outbox', { ...stored, data: { ...stored.data, [field]: value } });
}

const ids = (rows: readonly { id?: unknown }[]) => rows.map((r) => String(r.id)).sort();

describe('a batch the server refuses whole', () => {
  it.each([
    ['a lone high surrogate, refused by PostgREST (PGRST102)', 'Asha \ud800', 'PGRST102'],
    ['a lone low surrogate, refused by PostgREST (PGRST102)', '\udc00Asha', 'PGRST102'],
    ['U+0000, refused by a server before push isolation (22P05)', 'Asha\u0000Devi', '22P05'],
  ])(
    '%s: is split; that write is rejected naming the field, its dependent blocked, the rest arrive',
    async (_, value, code) => {
      const t = setup({ refusal: beforeIsolationRefusal });
      const w = await fiveWrites(t);
      await poison(t, w.mq, 'full_name', value);

      expect(await t.engine.drainOnce()).toMatchObject({ status: 'synced' });
      expect(ids(t.server.rows('patients'))).toEqual([w.p.id, w.r.id].sort());
      expect(ids(t.server.rows('appointments'))).toEqual([w.ma.key]);
      const left = await t.store.listOutbox();
      expect(left.map((m) => [m.id, m.state, m.blockedBy ?? null])).toEqual([
        [w.mq.id, 'rejected', null],
        [w.mb.id, 'blocked', w.mq.id],
      ]);
      expect(left[0]?.error).toMatchObject({ code: 'validation', field: 'full_name' });
      expect(left[0]?.error?.message).toContain(code);
      // [p q a b r] refused, [p q a] refused, [p q] refused, [p] arrives, [q a] refused, [q] refused
      // and rejected (b is held behind it), [a] arrives, [r] arrives: never a refused batch again.
      expect(t.sizes).toEqual([5, 3, 2, 1, 2, 1, 1, 1]);
      // The next drain leaves both alone: nothing more is sent, nothing retried.
      expect(await t.engine.syncNow()).toMatchObject({ status: 'synced', pushed: 0 });
      expect(t.sizes).toHaveLength(8);
      await t.engine.settled();
      expect(t.engine.getSnapshot()).toMatchObject({ lastError: null, counts: { rejected: 1, blocked: 1 } });
    },
  );

  it('the user fixes the refused write and retries it: it arrives, and its dependent after it', async () => {
    const t = setup();
    const w = await fiveWrites(t);
    await poison(t, w.mq, 'address', 'Ward \ud83d 4');
    await t.engine.drainOnce();
    const [rejected] = await t.store.listOutbox();
    expect(rejected).toMatchObject({ id: w.mq.id, state: 'rejected', error: { field: 'address' } });
    // The device's own row is what the form shows: correct text, so the retry sends that.
    await t.engine.retry(w.mq.id);
    expect(await t.engine.drainOnce()).toMatchObject({ status: 'synced' });
    expect(await t.store.listOutbox()).toEqual([]);
    expect(ids(t.server.rows('patients'))).toEqual([w.p.id, w.q.id, w.r.id].sort());
    expect(ids(t.server.rows('appointments'))).toEqual([w.ma.key, w.mb.key].sort());
  });

  it('a poison in the last of coalesced writes of a row: the group becomes one rejected record, as a rejected answer would', async () => {
    const t = setup();
    const w = await fiveWrites(t);
    const edit = await t.store.write({
      entity: 'patients',
      op: 'upsert',
      row: { ...w.r, address: 'Ward 9' },
    });
    await poison(t, edit, 'address', 'Ward \udc00');
    await t.engine.drainOnce();
    const left = await t.store.listOutbox();
    expect(left).toMatchObject([
      { id: edit.id, state: 'rejected', error: { field: 'address' }, createsRow: true },
    ]);
    expect(left.map((m) => m.id)).not.toContain(w.mr.id);
    // Discarding it undoes both writes of the row: the patient was never sent.
    await t.engine.discard(edit.id);
    expect(await t.store.getRow('patients', w.r.id)).toBeUndefined();
    expect(t.server.rows('patients')).toHaveLength(2);
  });

  it('today’s server answers U+0000 per write: rejected in the one call, nothing split', async () => {
    const t = setup();
    const w = await fiveWrites(t);
    await poison(t, w.mq, 'full_name', 'Asha\u0000');
    await t.engine.drainOnce();
    expect(t.sizes).toEqual([5]);
    expect((await t.store.listOutbox()).map((m) => [m.id, m.state])).toEqual([
      [w.mq.id, 'rejected'],
      [w.mb.id, 'blocked'],
    ]);
  });

  it('413 (a proxy with a smaller body limit): split until each batch fits; a write too big alone is rejected', async () => {
    const t = setup({ refusal: bodyLimitRefusal(1_800) });
    const w = await fiveWrites(t);
    await poison(t, w.mr, 'address', 'x'.repeat(2_000));
    expect(await t.engine.drainOnce()).toMatchObject({ status: 'synced' });
    expect(ids(t.server.rows('patients'))).toEqual([w.p.id, w.q.id].sort());
    expect(ids(t.server.rows('appointments'))).toEqual([w.ma.key, w.mb.key].sort());
    expect(await t.store.listOutbox()).toMatchObject([
      { id: w.mr.id, state: 'rejected', error: { code: 'validation', field: null } },
    ]);
    const [left] = await t.store.listOutbox();
    expect(left?.error?.message).toMatch(/^too large to send.*413 PT413/);
  });

  it.each([
    [
      'an answer that does not parse',
      async () => {
        throw new SyncTransportError(ERROR_KINDS.badResponse, 'sync_push: unexpected answer: <html>', 200);
      },
      /could not be read.*<html>/,
    ],
    ['an answer that does not match the batch', async () => [], /could not be read.*do not match/],
  ])(
    '%s, whenever one write is in the batch: that write is isolated and rejected',
    async (_, answer, message) => {
      let badKey = '';
      const t = setup({
        wrap: (inner) => ({
          push: (clientId: string, mutations: readonly Mutation[]) =>
            mutations.some((m) => m.key === badKey) ? answer() : inner.push(clientId, mutations),
          pull: (cursor, options) => inner.pull(cursor, options),
        }),
      });
      const w = await fiveWrites(t);
      badKey = w.r.id;
      await t.engine.drainOnce();
      expect(ids(t.server.rows('patients'))).toEqual([w.p.id, w.q.id].sort());
      expect(t.server.rows('appointments')).toHaveLength(2);
      const left = await t.store.listOutbox();
      expect(left).toMatchObject([{ id: w.mr.id, state: 'rejected', error: { code: 'validation' } }]);
      expect(left[0]?.error?.message).toMatch(message);
    },
  );

  it('a server that refuses every call (its bug, not the writes’): splitting ends at single writes, each rejected with its reason; retried after the fix, they arrive', async () => {
    const t = setup({
      refusal: () => new SyncTransportError(ERROR_KINDS.badRequest, 'sync_push: 400 42P01 oops', 400),
    });
    const w = await fiveWrites(t);
    expect(await t.engine.drainOnce()).toMatchObject({ status: 'synced', pushed: 0 });
    const left = await t.store.listOutbox();
    // The patients are refused one by one; the appointments wait behind their patients.
    expect(left.map((m) => [m.id, m.state])).toEqual([
      [w.mp.id, 'rejected'],
      [w.mq.id, 'rejected'],
      [w.ma.id, 'blocked'],
      [w.mb.id, 'blocked'],
      [w.mr.id, 'rejected'],
    ]);
    for (const m of left.filter((x) => x.state === 'rejected'))
      expect(m.error?.message).toBe('the server refused it (sync_push: 400 42P01 oops)');
    // Bounded: at most two calls per write, the worst case of halving.
    expect(t.sizes.length).toBeLessThanOrEqual(2 * 5);

    t.server.refuseWholeCall = () => null;
    for (const m of left.filter((x) => x.state === 'rejected')) await t.engine.retry(m.id);
    expect(await t.engine.drainOnce()).toMatchObject({ status: 'synced' });
    expect(await t.store.listOutbox()).toEqual([]);
    expect(t.server.rows('patients')).toHaveLength(3);
    expect(t.server.rows('appointments')).toHaveLength(2);
  });
});

describe('transient failures back off and never split', () => {
  it.each<[string, Fault, ErrorKind]>([
    ['offline', { type: 'offline' }, 'network'],
    ['a timeout', { type: 'timeout', afterCommit: false }, 'timeout'],
    ['a 503', { type: 'server-error', status: 503 }, 'server'],
    ['a 429', { type: 'rate-limited', retryAfterMs: 2_000 }, 'rate_limited'],
    ['a 401 without a session', { type: 'unauthorized' }, 'unauthorized'],
  ])('%s: the whole batch stays pending and goes again whole', async (_, fault, kind) => {
    const t = setup();
    await fiveWrites(t);
    t.faults.push(fault);
    const failed = await t.engine.drainOnce();
    expect(failed).toMatchObject({ status: 'failed', kind });
    const outbox = await t.store.listOutbox();
    expect(outbox.map((m) => m.state)).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);
    expect(await t.engine.syncNow()).toMatchObject({ status: 'synced', pushed: 5 });
    expect(t.sizes.every((n) => n === 5)).toBe(true);
    expect(await t.store.listOutbox()).toEqual([]);
  });

  it('404 (the function is missing: the deployment, not the batch) backs off without splitting', async () => {
    let missing = true;
    const t = setup({
      wrap: (inner) => ({
        push: async (clientId, mutations) => {
          if (missing)
            throw new SyncTransportError(ERROR_KINDS.badRequest, 'sync_push: 404 PGRST202 not found', 404);
          return inner.push(clientId, mutations);
        },
        pull: (cursor, options) => inner.pull(cursor, options),
      }),
    });
    await fiveWrites(t);
    expect(await t.engine.drainOnce()).toMatchObject({ status: 'failed', kind: 'bad_request' });
    expect(t.sizes).toEqual([5]);
    missing = false;
    expect(await t.engine.syncNow()).toMatchObject({ status: 'synced', pushed: 5 });
  });

  it('a captive portal (every call answered 200 with a login page) backs off: nothing split, nothing rejected', async () => {
    let portal = true;
    const page = () =>
      new SyncTransportError(
        ERROR_KINDS.badRequest,
        'sync_push: 200 <html><title>Wi-Fi login</title></html>',
        200,
      );
    const t = setup({
      wrap: (inner) => ({
        push: async (clientId, mutations) => {
          if (portal) throw page();
          return inner.push(clientId, mutations);
        },
        pull: async (cursor, options) => {
          if (portal) throw page();
          return inner.pull(cursor, options);
        },
      }),
    });
    await fiveWrites(t);
    expect(await t.engine.drainOnce()).toMatchObject({ status: 'failed', kind: 'captive_portal' });
    expect(await t.engine.syncNow()).toMatchObject({ status: 'failed', kind: 'captive_portal' });
    expect(t.sizes).toEqual([5, 5]);
    expect((await t.store.listOutbox()).map((m) => m.state)).toEqual(Array(5).fill('pending'));
    expect(t.engine.getSnapshot().lastError?.kind).toBe('captive_portal');
    portal = false;
    expect(await t.engine.syncNow()).toMatchObject({ status: 'synced', pushed: 5 });
    expect(await t.store.listOutbox()).toEqual([]);
  });

  it('a refused pull cannot be split: it backs off, and the pushes it followed stand', async () => {
    const t = setup({
      wrap: (inner) => ({
        push: (clientId, mutations) => inner.push(clientId, mutations),
        pull: async () => {
          throw new SyncTransportError(ERROR_KINDS.badRequest, 'sync_pull: 400 22023 bad cursor', 400);
        },
      }),
    });
    await fiveWrites(t);
    expect(await t.engine.drainOnce()).toMatchObject({ status: 'failed', kind: 'bad_request' });
    expect(await t.store.listOutbox()).toEqual([]);
    expect(t.server.rows('patients')).toHaveLength(3);
  });
});

describe('the classifier', () => {
  const error = (kind: ErrorKind, status: number | null) => new SyncTransportError(kind, 'm', status);
  it.each<[ErrorKind, number | null, string]>([
    ['bad_request', 400, 'split'],
    ['bad_request', 409, 'split'],
    ['bad_request', 413, 'split'],
    ['bad_request', 422, 'split'],
    ['bad_request', 404, 'retry-later'],
    ['bad_request', 405, 'retry-later'],
    ['bad_response', 200, 'split'],
    ['bad_response', null, 'retry-later'],
    ['bad_response', 0, 'retry-later'],
    ['network', 0, 'retry-later'],
    ['timeout', 408, 'retry-later'],
    ['server', 500, 'retry-later'],
    ['rate_limited', 429, 'retry-later'],
    ['unauthorized', 401, 'refresh-session'],
    ['forbidden', 403, 'pause'],
    ['bad_request', 200, 'retry-later'],
    ['server', 511, 'retry-later'],
    ['captive_portal', 200, 'retry-later'],
  ])('%s %s → %s', (kind, status, action) => {
    expect(classify({ error: error(kind, status) }).type).toBe(action);
  });

  it('a captive portal (200 with an HTML page, or 511) is the network not really there: backoff, never a rejection', () => {
    // What supabase-js makes of a Wi-Fi login page: an error carrying the page and status 200.
    const page = new SyncTransportError(
      ERROR_KINDS.badRequest,
      'sync_push: 200 <!doctype html><html><title>Wi-Fi login</title></html>',
      200,
    );
    for (const e of [page, error('server', 511)]) {
      const action = classify({ error: e });
      expect(action).toMatchObject({ type: 'retry-later', kind: 'captive_portal', retryAfterMs: null });
      expect(action.type === 'retry-later' && action.message).toContain(
        'the network answered with a web page',
      );
    }
    // A real 5xx and a real refusal keep their meaning.
    expect(classify({ error: error('server', 503) })).toMatchObject({ type: 'retry-later', kind: 'server' });
    expect(classify({ error: error('bad_request', 400) }).type).toBe('split');
  });

  it('an error that is not a transport error (our own bug) is retried, not split', () => {
    expect(classify({ error: new TypeError('x is undefined') }).type).toBe('retry-later');
  });
});
