/**
 * Round trips of a drain (issue 10): each push brings back the pull page from the store's cursor,
 * so a drain of one batch with nothing more to pull is one call; more pages come by plain pulls
 * from the cursor that page left. Counted per call, never timed.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_KINDS, SyncTransportError } from './errors.ts';
import type { LocalMutation } from './local-mutation.ts';
import { PUSH_LIMITS } from './protocol.ts';
import { SyncEngine, type SyncEngineOptions } from './sync-engine.ts';
import { appointmentRow, CLINIC_ID, patientRow, REFERENCE_DATA, SLOTS } from './testing/fixtures.ts';
import { type Fault, InProcessServer } from './testing/in-process-server.ts';
import { flush, ManualClock } from './testing/manual-clock.ts';
import { MemoryStore } from './testing/memory-store.ts';
import { seededIds } from './testing/seeded-random.ts';
import type { SyncTransport } from './transports/transport.ts';

const STAFF = '5a5a5a5a-0000-4000-8000-000000000001';

/** 1 clinic, 2 doctors and 6 slots: what a new device's first page holds besides its own rows. */
const REFERENCE_ROWS = 9;

interface CallRecord {
  call: 'push+pull' | 'push' | 'pull';
  /** The cursor asked from (push+pull and pull). */
  since?: string | null;
  /** Rows of the page that came back. */
  rows?: number;
  hasMore?: boolean;
}

type Around = (call: CallRecord) => Promise<void>;

function setup(engine: Partial<SyncEngineOptions> = {}, around: Around = async () => {}) {
  const clock = new ManualClock();
  const server = new InProcessServer(REFERENCE_DATA, () => new Date(clock.now()));
  const ids = seededIds(57);
  const store = new MemoryStore({ newId: ids, now: () => new Date(clock.now()) });
  const faults: Fault[] = [];
  // A kiosk: many patients per account.
  const inner = server.transport({ userId: STAFF, staffClinicId: CLINIC_ID }, () => faults.shift() ?? null);
  const calls: CallRecord[] = [];
  const size = (page: { changes: Record<string, unknown[]>; deleted: unknown[] }) =>
    Object.values(page.changes).reduce((n, rows) => n + rows.length, page.deleted.length);
  // Every call is recorded before it is made, so a refused one counts as the round trip it is.
  const transport: SyncTransport = {
    push: async (clientId, mutations) => {
      const record: CallRecord = { call: 'push' };
      calls.push(record);
      await around(record);
      return inner.push(clientId, mutations);
    },
    pull: async (cursor, options) => {
      const record: CallRecord = { call: 'pull', since: cursor };
      calls.push(record);
      await around(record);
      const page = await inner.pull(cursor, options);
      Object.assign(record, { rows: size(page), hasMore: page.hasMore });
      return page;
    },
    pushAndPull: async (clientId, mutations, request) => {
      const record: CallRecord = { call: 'push+pull', since: request.since };
      calls.push(record);
      await around(record);
      const answer = await inner.pushAndPull(clientId, mutations, request);
      if (answer.pull) Object.assign(record, { rows: size(answer.pull), hasMore: answer.pull.hasMore });
      return answer;
    },
  };
  const sync = new SyncEngine({ store, transport, clock, random: () => 0.5, newId: ids, ...engine });
  return { clock, server, ids, store, faults, calls, sync };
}

type Setup = ReturnType<typeof setup>;

/** A new patient and their appointment: two writes, one batch. */
async function walkIn(t: Setup, slot = 0) {
  const p = patientRow(t.ids());
  const a = appointmentRow(t.ids(), p.id, {}, SLOTS[slot]);
  await t.store.write({ entity: 'patients', op: 'upsert', row: p });
  await t.store.write({ entity: 'appointments', op: 'upsert', row: a });
  return { p, a };
}

describe('a drain and its round trips', () => {
  it('one batch with nothing more to pull is one round trip: the push brings the page back', async () => {
    const t = setup();
    const { p, a } = await walkIn(t);
    expect(await t.sync.drainOnce()).toMatchObject({ status: 'synced' });
    // The page stops below the push's own rows (as the server's does): those came as its answers.
    expect(t.calls).toEqual([{ call: 'push+pull', since: null, rows: REFERENCE_ROWS, hasMore: false }]);
    // The page was merged as a pull's (reference data and the cursor), the answers as answers.
    expect(await t.store.listRows('slots')).toHaveLength(SLOTS.length);
    expect(await t.store.getRow('patients', p.id)).toMatchObject({ version: 1, clinic_id: CLINIC_ID });
    expect(await t.store.getRow('appointments', a.id)).toMatchObject({ status: 'requested' });
    const cursor = await t.store.getCursor();
    expect(cursor).not.toBeNull();

    // The next drain asks from that cursor and gets what changed since, below its own push: the
    // first drain's two rows, a second time, and not yet its own.
    await walkIn(t, 1);
    expect(await t.sync.syncNow()).toMatchObject({ status: 'synced', pushed: 2, pages: 1, morePull: false });
    expect(t.calls.slice(1)).toEqual([{ call: 'push+pull', since: cursor, rows: 2, hasMore: false }]);
  });

  it('a drain with nothing to push is one plain pull', async () => {
    const t = setup();
    expect(await t.sync.drainOnce()).toMatchObject({ status: 'synced', pushed: 0, pages: 1 });
    expect(t.calls).toEqual([{ call: 'pull', since: null, rows: REFERENCE_ROWS, hasMore: false }]);
  });

  it('with more pages than the push brought, goes on with plain pulls from the cursor it left', async () => {
    const t = setup({ pullPageRows: 4 });
    await walkIn(t);
    // 9 reference rows, then the 2 pushed (the plain pulls come after the push): pages of 4, 4 and 3.
    expect(await t.sync.drainOnce()).toMatchObject({
      status: 'synced',
      pushed: 2,
      pages: 3,
      morePull: false,
    });
    expect(t.calls.map((c) => [c.call, c.rows, c.hasMore])).toEqual([
      ['push+pull', 4, true],
      ['pull', 4, true],
      ['pull', 3, false],
    ]);
    expect(t.calls[1]?.since).toMatch(/^\d+:\d:/);
    expect(await t.store.listRows('slots')).toHaveLength(SLOTS.length);
  });

  it('several batches: each push brings its page, and no pull is left to make', async () => {
    const t = setup({ limits: { ...PUSH_LIMITS, maxMutations: 2 } });
    await walkIn(t, 0);
    await walkIn(t, 1);
    expect(await t.sync.drainOnce()).toMatchObject({ status: 'synced', pushed: 4, morePull: false });
    expect(t.calls.map((c) => [c.call, c.rows])).toEqual([
      ['push+pull', REFERENCE_ROWS],
      ['push+pull', 2],
    ]);
    // The second went on from the cursor the first page left.
    expect(t.calls[1]?.since).not.toBeNull();
    expect(t.server.rows('appointments')).toHaveLength(2);
    expect(await t.store.listOutbox()).toEqual([]);
  });

  it('a 401 refreshes the session and sends the push with its page again', async () => {
    const t = setup({ refreshSession: async () => true });
    t.faults.push({ type: 'unauthorized' });
    await walkIn(t);
    expect(await t.sync.drainOnce()).toMatchObject({ status: 'synced', pushed: 2 });
    expect(t.calls.map((c) => c.call)).toEqual(['push+pull', 'push+pull']);
  });

  it('a transient failure keeps everything for the next drain, which asks from the same cursor', async () => {
    const t = setup();
    await t.sync.drainOnce();
    const cursor = await t.store.getCursor();
    t.faults.push({ type: 'server-error', status: 503 });
    await walkIn(t);
    expect(await t.sync.drainOnce()).toMatchObject({ status: 'failed', kind: 'server' });
    expect(await t.store.getCursor()).toBe(cursor);
    expect(await t.sync.syncNow()).toMatchObject({ status: 'synced', pushed: 2 });
    expect(t.calls.slice(1).map((c) => [c.call, c.since])).toEqual([
      ['push+pull', cursor],
      ['push+pull', cursor],
    ]);
  });
});

describe('a push whose page cannot be given', () => {
  it('a refused cursor (410) refuses the batch too: it goes again alone, and the pull resyncs in full', async () => {
    let purged = false;
    const gone = () => new SyncTransportError(ERROR_KINDS.badRequest, 'history purged (PT410)', 410);
    const t = setup({}, async ({ call, since }) => {
      if (purged && call !== 'push' && since != null) throw gone();
    });
    const { p } = await walkIn(t);
    await t.sync.drainOnce();
    // Months offline: the server purged the history the cursor points into; a write waits.
    purged = true;
    await t.store.write({ entity: 'patients', op: 'upsert', row: { ...p, full_name: 'Edited offline' } });
    t.calls.length = 0;

    expect(await t.sync.drainOnce()).toMatchObject({ status: 'synced', pushed: 1, morePull: false });
    expect(t.calls.map((c) => [c.call, c.since === null ? 'from the start' : 'from the cursor'])).toEqual([
      ['push+pull', 'from the cursor'],
      ['push', 'from the cursor'],
      ['pull', 'from the cursor'],
      ['pull', 'from the start'],
    ]);
    expect(t.server.rows('patients')).toMatchObject([{ id: p.id, full_name: 'Edited offline' }]);
    expect(await t.store.getRow('patients', p.id)).toMatchObject({ full_name: 'Edited offline', version: 2 });
    expect(await t.store.listRows('slots')).toHaveLength(SLOTS.length);
    expect(await t.store.listOutbox()).toEqual([]);
  });

  it('a batch refused whole goes again without its page, and is split as before', async () => {
    const t = setup();
    const { p } = await walkIn(t);
    // Queued by an older app version: text no server can store (PostgREST refuses the whole body).
    const bad = patientRow(t.ids());
    const queued = await t.store.write({ entity: 'patients', op: 'upsert', row: bad });
    const stored = (await t.store.listOutbox()).find((m) => m.id === queued.id) as LocalMutation;
    t.store.memory.plant('outbox', { ...stored, data: { ...stored.data, full_name: 'Asha \ud800' } });
    expect(await t.sync.drainOnce()).toMatchObject({ status: 'synced', pushed: 2 });
    // Refused with its page, then alone; then halves until the one to blame; then the pull.
    expect(t.calls.map((c) => c.call)).toEqual(['push+pull', 'push', 'push', 'push', 'pull']);
    expect(t.server.rows('patients').map((r) => r.id)).toEqual([p.id]);
    expect(await t.store.listOutbox()).toMatchObject([{ key: bad.id, state: 'rejected' }]);
  });

  it('an answer that does not parse, after the server applied the batch: sent again alone, applied once', async () => {
    const t = setup();
    const inner = t.server.transport({ userId: STAFF, staffClinicId: CLINIC_ID });
    const garbled: SyncTransport = {
      push: (clientId, mutations) => inner.push(clientId, mutations),
      pull: (cursor, options) => inner.pull(cursor, options),
      pushAndPull: async (clientId, mutations, request) => {
        await inner.pushAndPull(clientId, mutations, request);
        throw new SyncTransportError(ERROR_KINDS.badResponse, 'sync_push: unexpected answer', 200);
      },
    };
    const sync = new SyncEngine({ store: t.store, transport: garbled, clock: t.clock, random: () => 0.5 });
    const { p, a } = await walkIn(t);
    expect(await sync.drainOnce()).toMatchObject({ status: 'synced', pushed: 2 });
    expect(t.server.pushCalls).toHaveLength(2);
    // Each of the two mutations applied exactly once; the second sending was answered `duplicate`.
    expect([...t.server.applyCount.values()]).toEqual([1, 1]);
    expect(await t.store.getRow('patients', p.id)).toMatchObject({ version: 1 });
    expect(await t.store.getRow('appointments', a.id)).toMatchObject({ version: 1 });
    expect(await t.store.listOutbox()).toEqual([]);
  });

  it('an answer from before the page (the bare array) is merged, and the page is pulled apart', async () => {
    const t = setup();
    const inner = t.server.transport({ userId: STAFF, staffClinicId: CLINIC_ID });
    const older: SyncTransport = {
      push: (clientId, mutations) => inner.push(clientId, mutations),
      pull: (cursor, options) => inner.pull(cursor, options),
      pushAndPull: async (clientId, mutations) => ({
        results: await inner.push(clientId, mutations),
        pull: null,
      }),
    };
    const sync = new SyncEngine({ store: t.store, transport: older, clock: t.clock, random: () => 0.5 });
    const { p } = await walkIn(t);
    expect(await sync.drainOnce()).toMatchObject({ status: 'synced', pushed: 2, pages: 1 });
    expect(t.server.pushCalls).toHaveLength(1);
    expect(await t.store.getRow('patients', p.id)).toMatchObject({ version: 1 });
    expect(await t.store.listRows('slots')).toHaveLength(SLOTS.length);
  });

  it('a page that lands after a sign-out purged everyone is dropped, with the answers', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const t = setup({}, async ({ call }) => {
      if (call === 'push+pull') await held;
    });
    await walkIn(t);
    const drain = t.sync.drainOnce();
    await flush();
    await t.store.purge({ everyone: true });
    release();
    expect(await drain).toMatchObject({ status: 'synced' });
    expect(await t.store.listRows('slots')).toEqual([]);
    expect(await t.store.getCursor()).toBeNull();
  });
});
