import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_PULL_PAGE_BYTES } from './drain.ts';
import type { Row } from './local-mutation.ts';
import { MemoryDrainLock } from './locks.ts';
import { SyncEngine, type SyncEngineOptions } from './sync-engine.ts';
import { FakeNetwork, FakeVisibility } from './testing/fake-signals.ts';
import {
  appointmentRow,
  CLINIC_ID,
  patientRow,
  REFERENCE_DATA,
  SLOTS,
  type SlotRow,
} from './testing/fixtures.ts';
import { type Fault, type Identity, InProcessServer } from './testing/in-process-server.ts';
import { flush, ManualClock } from './testing/manual-clock.ts';
import { MemoryStore } from './testing/memory-store.ts';
import { seededIds } from './testing/seeded-random.ts';
import type { SyncTransport } from './transports/transport.ts';

const STAFF_1 = '5a5a5a5a-0000-4000-8000-000000000001';
const STAFF_2 = '5a5a5a5a-0000-4000-8000-000000000002';

function setup(options: { identity?: Identity; online?: boolean; engine?: Partial<SyncEngineOptions> } = {}) {
  const clock = new ManualClock();
  const server = new InProcessServer(REFERENCE_DATA, () => new Date(clock.now()));
  const ids = seededIds(11);
  const store = new MemoryStore({ newId: ids, now: () => new Date(clock.now()) });
  const network = new FakeNetwork(options.online ?? true);
  const visibility = new FakeVisibility(true);
  const faults: Fault[] = [];
  const identity = options.identity ?? { userId: ids() };
  const transport = server.transport(identity, () => faults.shift() ?? null);
  const engine = new SyncEngine({
    store,
    transport,
    clock,
    network,
    visibility,
    random: () => 0.5,
    newId: ids,
    debounceMs: 500,
    pollMs: 30_000,
    backoff: { baseMs: 1_000, maxMs: 60_000 },
    ...options.engine,
  });
  return { clock, server, ids, store, network, visibility, faults, engine, transport };
}

describe('SyncEngine', () => {
  it('the reported bug: profile and booking made offline reach the server in one round trip, no error', async () => {
    const t = setup({ online: false });
    t.engine.start();
    const p = patientRow(t.ids());
    const a = appointmentRow(t.ids(), p.id);
    await t.store.write({ entity: 'patients', op: 'upsert', row: p });
    await t.store.write({ entity: 'appointments', op: 'upsert', row: a });
    await t.clock.advance(60_000);
    expect(t.server.pushCalls).toEqual([]);
    expect(t.engine.getSnapshot()).toMatchObject({ online: false, counts: { pending: 2 } });

    t.network.set(true);
    await t.clock.advance(0);
    expect(t.server.pushCalls).toHaveLength(1);
    expect(t.server.rows('patients')).toMatchObject([{ id: p.id, version: 1 }]);
    expect(t.server.rows('appointments')).toMatchObject([{ id: a.id, patient_id: p.id }]);
    expect(await t.store.listOutbox()).toEqual([]);
    await t.engine.settled();
    expect(t.engine.getSnapshot()).toMatchObject({
      counts: { pending: 0, sending: 0, rejected: 0, blocked: 0 },
      lastError: null,
      phase: 'idle',
    });
    // The server's canonical rows are on the device now.
    expect(await t.store.getRow('patients', p.id)).toMatchObject({ version: 1, user_id: expect.any(String) });
    await t.engine.stop();
  });

  it('debounces writes, then drains', async () => {
    const t = setup();
    t.engine.start();
    await t.clock.advance(0);
    await t.store.write({ entity: 'patients', op: 'upsert', row: patientRow(t.ids()) });
    await t.clock.advance(400);
    expect(t.server.pushCalls).toHaveLength(0);
    await t.clock.advance(100);
    expect(t.server.pushCalls).toHaveLength(1);
    await t.engine.stop();
  });

  it('backs off with jitter on 5xx, honours Retry-After, resets on success', async () => {
    const t = setup();
    t.faults.push({ type: 'server-error', status: 503, retryAfterMs: 7_000 }, { type: 'offline' });
    await t.store.write({ entity: 'patients', op: 'upsert', row: patientRow(t.ids()) });
    const first = await t.engine.drainOnce();
    expect(first).toMatchObject({ status: 'failed', kind: 'server', retryAt: t.clock.now() + 7_000 });
    expect(t.engine.getSnapshot()).toMatchObject({ phase: 'backoff', lastError: { kind: 'server' } });
    expect((await t.store.listOutbox())[0]?.state).toBe('pending');
    await t.clock.advance(6_999);
    expect(t.server.pushCalls).toHaveLength(0);
    await t.clock.advance(1); // retry: offline this time, backoff 2nd step: 0.5 * 2000
    expect(t.engine.getSnapshot()).toMatchObject({ phase: 'backoff', nextRetryAt: t.clock.now() + 1_000 });
    await t.clock.advance(1_000);
    expect(t.server.pushCalls).toHaveLength(1);
    expect(t.engine.getSnapshot()).toMatchObject({
      phase: 'idle',
      lastError: null,
      lastSuccessAt: t.clock.now(),
    });
    t.faults.push({ type: 'offline' });
    await t.store.write({ entity: 'patients', op: 'upsert', row: patientRow(t.ids()) });
    expect(await t.engine.drainOnce()).toMatchObject({ retryAt: t.clock.now() + 500 }); // reset: 0.5 * 1000
  });

  it('goes now when the network comes back, cutting a backoff short', async () => {
    const t = setup();
    t.engine.start();
    t.faults.push({ type: 'offline' }, { type: 'offline' });
    await t.clock.advance(0); // the start-up drain fails (pull, nothing to push)
    await t.store.write({ entity: 'patients', op: 'upsert', row: patientRow(t.ids()) });
    await t.clock.advance(600);
    expect(t.engine.getSnapshot().phase).toBe('backoff');
    t.network.set(false);
    t.network.set(true);
    await t.clock.advance(0);
    expect(t.server.rows('patients')).toHaveLength(1);
    await t.engine.stop();
  });

  it('on 401 refreshes the session once and retries', async () => {
    const refreshSession = vi.fn(async () => true);
    const t = setup({ engine: { refreshSession } });
    t.faults.push({ type: 'unauthorized' });
    await t.store.write({ entity: 'patients', op: 'upsert', row: patientRow(t.ids()) });
    expect(await t.engine.drainOnce()).toMatchObject({ status: 'synced', pushed: 1 });
    expect(refreshSession).toHaveBeenCalledTimes(1);
  });

  it('without a session pauses for sign-in, keeping everything, until resumed', async () => {
    const refreshSession = vi.fn(async () => true);
    const t = setup({ engine: { refreshSession } });
    t.engine.start();
    t.faults.push({ type: 'unauthorized' }, { type: 'unauthorized' });
    await t.clock.advance(0);
    expect(refreshSession).toHaveBeenCalledTimes(1);
    expect(t.engine.getSnapshot()).toMatchObject({
      phase: 'needs-sign-in',
      lastError: { kind: 'unauthorized' },
    });
    await t.store.write({ entity: 'patients', op: 'upsert', row: patientRow(t.ids()) });
    await t.clock.advance(120_000);
    expect(await t.engine.drainOnce()).toEqual({ status: 'paused' });
    expect(await t.store.listOutbox()).toHaveLength(1);
    expect(await t.engine.syncNow()).toMatchObject({ status: 'synced', pushed: 1 });
    expect(t.engine.getSnapshot().phase).toBe('idle');
    await t.engine.stop();
  });

  it('keeps a rejected write with its reason, blocks what depends on it, retries it under a new id', async () => {
    const t = setup();
    const p = patientRow(t.ids());
    const a1 = appointmentRow(t.ids(), p.id, {}, SLOTS[0]);
    const a2 = appointmentRow(t.ids(), p.id, {}, SLOTS[0]); // the same slot, same patient: own_booking
    await t.store.write({ entity: 'patients', op: 'upsert', row: p });
    await t.store.write({ entity: 'appointments', op: 'upsert', row: a1 });
    const m2 = await t.store.write({ entity: 'appointments', op: 'upsert', row: a2 });
    const m3 = await t.store.write({ entity: 'appointments', op: 'upsert', row: { ...a2, reason: 'also' } });
    expect(await t.engine.drainOnce()).toMatchObject({ status: 'synced' });
    const left = await t.store.listOutbox();
    // The coalesced pair was judged as one: one rejected entry, under the id the server saw.
    expect(left.map((m) => [m.id, m.state, m.error?.code])).toEqual([[m3.id, 'rejected', 'own_booking']]);
    await t.engine.settled();
    expect(left).toMatchObject([
      { id: m3.id, state: 'rejected', error: { code: 'own_booking', field: 'slot_id' } },
    ]);
    expect(t.engine.getSnapshot().counts).toEqual({ pending: 0, sending: 0, rejected: 1, blocked: 0 });
    expect(m2.id).not.toBe(m3.id);

    // The user picks another slot and retries.
    await t.store.apply({
      localRows: [{ table: 'appointments', key: a2.id, row: appointmentRow(a2.id, p.id, {}, SLOTS[2]) }],
    });
    const retried = await t.engine.retry(m3.id);
    expect(retried?.id).not.toBe(m3.id);
    await t.engine.drainOnce();
    expect(await t.store.listOutbox()).toEqual([]);
    expect(
      t.server
        .rows('appointments')
        .map((r) => r.slot_id)
        .sort(),
    ).toEqual([SLOTS[0]?.id, SLOTS[2]?.id].sort());
  });

  it('discard reports and removes dependents, restoring local rows', async () => {
    const t = setup(); // a patient user: a second profile is refused (conflict)
    const p1 = patientRow(t.ids());
    const p2 = patientRow(t.ids());
    const a = appointmentRow(t.ids(), p2.id);
    await t.store.write({ entity: 'patients', op: 'upsert', row: p1 });
    const mp2 = await t.store.write({ entity: 'patients', op: 'upsert', row: p2 });
    const ma = await t.store.write({ entity: 'appointments', op: 'upsert', row: a });
    await t.engine.drainOnce();
    const left = await t.store.listOutbox();
    expect(left.map((m) => [m.id, m.state])).toEqual([
      [mp2.id, 'rejected'],
      [ma.id, 'blocked'],
    ]);
    expect(left[1]?.blockedBy).toBe(mp2.id);
    expect((await t.engine.discardPlan(mp2.id)).map((m) => m.id)).toEqual([mp2.id, ma.id]);
    await t.engine.discard(mp2.id);
    expect(await t.store.listOutbox()).toEqual([]);
    expect(await t.store.getRow('patients', p2.id)).toBeUndefined();
    expect(await t.store.getRow('appointments', a.id)).toBeUndefined();
    expect(await t.store.getRow('patients', p1.id)).toBeDefined();
  });

  it('pulls after pushing: merges server rows except rows with a pending write, applies tombstones', async () => {
    const t = setup({ identity: { userId: STAFF_1, staffClinicId: CLINIC_ID } });
    const other = t.server.transport({ userId: STAFF_2, staffClinicId: CLINIC_ID });
    const p = patientRow(t.ids());
    const q = patientRow(t.ids());
    await t.store.write({ entity: 'patients', op: 'upsert', row: p });
    await t.store.write({ entity: 'patients', op: 'upsert', row: q });
    await t.engine.drainOnce();
    // Another kiosk edits p and deletes q; meanwhile this device edits p too.
    const m = (id: string, data: Record<string, unknown> | null, key: string) => ({
      id,
      clientId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
      entity: 'patients' as const,
      op: data ? ('upsert' as const) : ('delete' as const),
      key,
      data,
      deps: [],
      actor: null,
      createdAt: 'x',
    });
    await other.push('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', [
      m(t.ids(), { ...p, full_name: 'Theirs' }, p.id),
      m(t.ids(), null, q.id),
    ]);
    t.faults.push({ type: 'offline' });
    await t.store.write({ entity: 'patients', op: 'upsert', row: { ...p, full_name: 'Mine' } });
    await t.engine.drainOnce(); // fails: stays pending
    await t.engine.syncNow();
    expect(await t.store.getRow('patients', q.id)).toBeUndefined();
    expect(t.server.rows('patients')).toMatchObject([{ id: p.id, full_name: 'Mine' }]);
    expect(await t.store.getRow('patients', p.id)).toMatchObject({ full_name: 'Mine', version: 3 });
  });

  it('drains once across engines sharing a lock; overlapping triggers fold into one more round', async () => {
    const t = setup();
    const lock = new MemoryDrainLock();
    const e1 = new SyncEngine({ store: t.store, transport: t.transport, clock: t.clock, lock });
    const e2 = new SyncEngine({ store: t.store, transport: t.transport, clock: t.clock, lock });
    await t.store.write({ entity: 'patients', op: 'upsert', row: patientRow(t.ids()) });
    const [r1, r2] = await Promise.all([e1.drainOnce(), e2.drainOnce()]);
    expect([r1.status, r2.status].sort()).toEqual(['skipped', 'synced']);
    expect(t.server.pushCalls).toHaveLength(1);
    const a = e1.drainOnce();
    const b = e1.drainOnce();
    expect(a).toBe(b);
    await a;
    await e1.stop();
    await e2.stop();
  });

  it('gives React a stable snapshot until something changes', async () => {
    const t = setup();
    const listener = vi.fn();
    t.engine.subscribe(listener);
    const s1 = t.engine.getSnapshot();
    expect(t.engine.getSnapshot()).toBe(s1);
    t.engine.start();
    await t.store.write({ entity: 'patients', op: 'upsert', row: patientRow(t.ids()) });
    await t.engine.settled();
    expect(t.engine.getSnapshot()).not.toBe(s1);
    expect(listener).toHaveBeenCalled();
    await t.engine.stop();
  });

  it('keeps the counts right for a listener before start(), and lets go of the store after the last one', async () => {
    const t = setup();
    const off = t.engine.subscribe(() => {});
    await t.engine.settled();
    expect(t.engine.getSnapshot().counts).toEqual({ pending: 0, sending: 0, rejected: 0, blocked: 0 });
    await t.store.write({ entity: 'patients', op: 'upsert', row: patientRow(t.ids()) });
    await t.engine.settled();
    expect(t.engine.getSnapshot().counts).toMatchObject({ pending: 1 });
    t.network.set(false);
    expect(t.engine.getSnapshot().online).toBe(false);
    off();
    off(); // React may call it again: harmless
    await t.store.write({ entity: 'patients', op: 'upsert', row: patientRow(t.ids()) });
    await t.engine.settled();
    expect(t.engine.getSnapshot().counts).toMatchObject({ pending: 1 });
    expect(t.server.pushCalls).toEqual([]); // not started: nothing sent
  });

  it('counts a push in flight as sending, from the store, until its answer lands', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const t = setup();
    const engine = new SyncEngine({
      store: t.store,
      clock: t.clock,
      transport: {
        push: async (clientId, mutations) => {
          await held;
          return t.transport.push(clientId, mutations);
        },
        pull: (cursor, options) => t.transport.pull(cursor, options),
      },
    });
    engine.start();
    await t.store.write({ entity: 'patients', op: 'upsert', row: patientRow(t.ids()) });
    const drain = engine.drainOnce();
    // The memory store is promise-only: one flush runs the drain up to the held push.
    await flush();
    await engine.settled();
    expect(engine.getSnapshot().counts).toMatchObject({ pending: 0, sending: 1 });
    expect(engine.getSnapshot().phase).toBe('draining');
    release();
    await drain;
    await engine.settled();
    expect(engine.getSnapshot()).toMatchObject({
      phase: 'idle',
      counts: { pending: 0, sending: 0, rejected: 0, blocked: 0 },
    });
    await engine.stop();
  });

  it('runs again after stop() then start(): triggers, writes and the network drain it', async () => {
    const t = setup();
    t.engine.start();
    await t.clock.advance(0);
    await t.engine.stop();
    expect(t.engine.getSnapshot().phase).toBe('stopped');
    expect(await t.engine.drainOnce()).toEqual({ status: 'stopped' });

    t.engine.start();
    await t.clock.advance(0);
    expect(t.engine.getSnapshot().phase).toBe('idle');
    const p = patientRow(t.ids());
    await t.store.write({ entity: 'patients', op: 'upsert', row: p });
    await t.clock.advance(500); // the debounced write drains
    expect(t.server.rows('patients')).toHaveLength(1);
    t.network.set(false);
    await t.store.write({ entity: 'appointments', op: 'upsert', row: appointmentRow(t.ids(), p.id) });
    t.network.set(true);
    await t.clock.advance(0);
    expect(t.server.rows('appointments')).toHaveLength(1);
    await t.engine.settled();
    expect(t.engine.getSnapshot()).toMatchObject({ phase: 'idle', counts: { pending: 0 } });
    await t.engine.stop();
  });

  it('a drain still in flight at stop() neither revives the phase nor arms a timer', async () => {
    const t = setup();
    t.faults.push({ type: 'server-error', status: 503, retryAfterMs: 5_000 });
    await t.store.write({ entity: 'patients', op: 'upsert', row: patientRow(t.ids()) });
    const drain = t.engine.drainOnce();
    const stopped = t.engine.stop();
    expect(await drain).toMatchObject({ status: 'failed', retryAt: null });
    await stopped;
    expect(t.engine.getSnapshot()).toMatchObject({ phase: 'stopped', nextRetryAt: null });
    await t.clock.advance(60_000);
    expect(t.server.pushCalls).toHaveLength(0);
    // And a restart picks the kept write up.
    t.engine.start();
    await t.clock.advance(0);
    expect(t.server.rows('patients')).toHaveLength(1);
    await t.engine.stop();
  });

  it('a restart keeps a sign-in pause', async () => {
    const t = setup();
    t.faults.push({ type: 'unauthorized' });
    await t.store.write({ entity: 'patients', op: 'upsert', row: patientRow(t.ids()) });
    t.engine.start();
    await t.clock.advance(0);
    expect(t.engine.getSnapshot().phase).toBe('needs-sign-in');
    await t.engine.stop();
    t.engine.start();
    expect(t.engine.getSnapshot()).toMatchObject({ phase: 'needs-sign-in' });
    expect(await t.engine.syncNow()).toMatchObject({ status: 'synced', pushed: 1 });
    await t.engine.stop();
  });

  it('rows pulled for the previous user never land after a sign-out purged everyone', async () => {
    const t = setup();
    const p = patientRow(t.ids());
    await t.store.write({ entity: 'patients', op: 'upsert', row: p });
    await t.engine.drainOnce();
    await t.store.purge({ everyone: true });
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = new SyncEngine({
      store: t.store,
      clock: t.clock,
      transport: {
        push: (clientId, mutations) => t.transport.push(clientId, mutations),
        pull: async (cursor, options) => {
          const answer = await t.transport.pull(cursor, options);
          await gate;
          return answer;
        },
      },
    });
    const drain = slow.drainOnce();
    await t.clock.advance(0);
    await t.store.purge({ everyone: true }); // signed out while the pull was on its way
    release();
    expect(await drain).toMatchObject({ status: 'synced', pulled: 0 });
    expect(await t.store.listRows('patients')).toEqual([]);
    expect(await t.store.getCursor()).toBeNull();
    // The next drain (the next user's session) pulls in full.
    expect(await slow.drainOnce()).toMatchObject({ status: 'synced' });
    expect(await t.store.getRow('patients', p.id)).toBeDefined();
    await slow.stop();
  });

  it('purges a synced patient from a kiosk, keeping unsent ones', async () => {
    const t = setup({ identity: { userId: STAFF_1, staffClinicId: CLINIC_ID } });
    const p = patientRow(t.ids());
    await t.store.write({ entity: 'patients', op: 'upsert', row: p });
    await t.store.write({ entity: 'appointments', op: 'upsert', row: appointmentRow(t.ids(), p.id) });
    await t.engine.drainOnce();
    const q = patientRow(t.ids());
    await t.store.write({ entity: 'patients', op: 'upsert', row: q });
    expect(await t.store.purge({ patientIds: [p.id, q.id] })).toEqual({ purged: [p.id], kept: [q.id] });
    expect(await t.store.listRows('appointments')).toEqual([]);
  });
});

describe('SyncEngine: pull pages', () => {
  /** The transport, with every pull's cursor and answer recorded. */
  function recording(t: ReturnType<typeof setup>) {
    const pulls: {
      cursor: string | null;
      maxRows: number | undefined;
      maxBytes: number | undefined;
      rows: number;
      hasMore: boolean;
    }[] = [];
    const transport: SyncTransport = {
      push: (clientId, mutations) => t.transport.push(clientId, mutations),
      pull: async (cursor, options) => {
        const page = await t.transport.pull(cursor, options);
        const rows = Object.values(page.changes).reduce((n, list) => n + list.length, page.deleted.length);
        pulls.push({
          cursor,
          maxRows: options?.maxRows,
          maxBytes: options?.maxBytes,
          rows,
          hasMore: page.hasMore,
        });
        return page;
      },
    };
    return { pulls, transport };
  }

  it('pulls page after page until the server has no more, merging each with its cursor', async () => {
    const t = setup();
    const { pulls, transport } = recording(t);
    const engine = new SyncEngine({ store: t.store, transport, clock: t.clock, pullPageRows: 4 });
    const p = patientRow(t.ids());
    await t.store.write({ entity: 'patients', op: 'upsert', row: p });
    // 9 reference rows and the patient: pages of 4, 4 and 2.
    expect(await engine.drainOnce()).toMatchObject({
      status: 'synced',
      pushed: 1,
      pages: 3,
      morePull: false,
    });
    expect(pulls.map((x) => [x.maxRows, x.rows, x.hasMore])).toEqual([
      [4, 4, true],
      [4, 4, true],
      [4, 2, false],
    ]);
    // Pages are bounded in bytes too, at the engine's default unless told otherwise.
    expect(pulls.every((x) => x.maxBytes === DEFAULT_PULL_PAGE_BYTES)).toBe(true);
    // Each page went on from the cursor the previous one left in the store.
    expect(pulls[0]?.cursor).toBeNull();
    expect(pulls[1]?.cursor).toMatch(/^\d+:\d:/);
    expect(await t.store.listRows('slots')).toHaveLength(SLOTS.length);
    expect(await t.store.getRow('patients', p.id)).toMatchObject({ version: 1 });
    await engine.stop();
  });

  it('keeps the pages it merged when a later page fails, and goes on from there', async () => {
    const t = setup();
    const { pulls, transport } = recording(t);
    const engine = new SyncEngine({
      store: t.store,
      transport,
      clock: t.clock,
      pullPageRows: 4,
      random: () => 0.5,
    });
    t.faults.push(...[null, { type: 'server-error' as const, status: 503 }].map((f) => f as Fault));
    // Faults apply per call: the first pull passes, the second fails.
    expect(await engine.drainOnce()).toMatchObject({ status: 'failed', kind: 'server' });
    const kept = await t.store.getCursor();
    expect(kept).toMatch(/^\d+:\d:/);
    expect((await t.store.listRows('clinics')).length + (await t.store.listRows('doctors')).length).toBe(3);
    expect(await engine.syncNow()).toMatchObject({ status: 'synced', pages: 2 });
    expect(pulls.at(-2)?.cursor).toBe(kept);
    expect(await t.store.listRows('slots')).toHaveLength(SLOTS.length);
    await engine.stop();
  });

  it('stops at maxPullPages and drains again at once, through the timer', async () => {
    const t = setup();
    const { pulls, transport } = recording(t);
    const engine = new SyncEngine({
      store: t.store,
      transport,
      clock: t.clock,
      pullPageRows: 2,
      maxPullPages: 2,
      pollMs: 30_000,
    });
    engine.start();
    await t.clock.advance(0);
    // 9 reference rows in pages of 2: 5 pages, 2 per drain, each next drain armed at 0 ms.
    expect(pulls.length).toBeGreaterThanOrEqual(2);
    while (pulls.at(-1)?.hasMore) await t.clock.advance(0);
    expect(pulls.map((x) => x.rows)).toEqual([2, 2, 2, 2, 1]);
    expect(await t.store.listRows('slots')).toHaveLength(SLOTS.length);
    // Caught up: back to the regular poll, no more pulls until then.
    await t.clock.advance(29_000);
    expect(pulls).toHaveLength(5);
    await engine.stop();
  });
});

describe('SyncEngine: writes that arrive late', () => {
  it('an old request that reaches the server after the newer write of its row changes nothing', async () => {
    const t = setup();
    const p = patientRow(t.ids());
    await t.store.write({ entity: 'patients', op: 'upsert', row: p });
    // The push times out on the device, but the request is still on its way to the server.
    t.faults.push({ type: 'late' });
    expect(await t.engine.drainOnce()).toMatchObject({ status: 'failed', kind: 'timeout' });
    await t.store.write({
      entity: 'patients',
      op: 'upsert',
      row: { ...p, full_name: 'Sunita Devi Sharma' },
    });
    // The planner merges both writes into one sent under the newer id; the old request lands after it.
    await t.clock.advance(60_000);
    expect(await t.engine.syncNow()).toMatchObject({ status: 'synced' });
    // The merged write, then the old request (it reaches the server only now).
    const [first, late] = t.server.pushCalls;
    expect(t.server.pushCalls).toHaveLength(2);
    expect(first?.ids).not.toEqual(late?.ids);
    expect(t.server.rows('patients')).toMatchObject([{ id: p.id, full_name: 'Sunita Devi Sharma' }]);
    expect(await t.store.getRow('patients', p.id)).toMatchObject({ full_name: 'Sunita Devi Sharma' });
    expect(await t.store.listOutbox()).toEqual([]);
  });

  it('a rejected group sent again carries its newest seq, so a member already applied does not shadow it', async () => {
    const t = setup();
    const [s0, , s2] = SLOTS as [SlotRow, SlotRow, SlotRow];
    const p = patientRow(t.ids());
    const a = appointmentRow(t.ids(), p.id, {}, s0);
    await t.store.write({ entity: 'patients', op: 'upsert', row: p });
    await t.engine.drainOnce();
    // Two writes of `a` reach the server, each answer lost: both stay in the outbox, attempted.
    await t.store.write({ entity: 'appointments', op: 'upsert', row: a });
    t.faults.push({ type: 'lost-after-commit' });
    await t.engine.drainOnce();
    await t.store.write({ entity: 'appointments', op: 'upsert', row: { ...a, reason: 'fever' } });
    t.faults.push({ type: 'lost-after-commit' });
    // drainOnce, not the clock: the backoff timer would send the pair again and clear it.
    await t.engine.drainOnce();
    // Another patient holds s2; the move there is rejected, and the three writes become one record.
    const other = t.server.transport({ userId: t.ids() });
    const q = patientRow(t.ids());
    const holder = appointmentRow(t.ids(), q.id, {}, s2);
    const otherClient = t.ids();
    const wire = (entity: 'patients' | 'appointments', row: Row) => ({
      id: t.ids(),
      clientId: otherClient,
      entity,
      op: 'upsert' as const,
      key: String(row.id),
      data: row,
      deps: [],
      actor: null,
      createdAt: new Date(0).toISOString(),
    });
    await other.push(otherClient, [wire('patients', q), wire('appointments', holder)]);
    await t.store.write({
      entity: 'appointments',
      op: 'upsert',
      row: { ...a, reason: 'fever', ...slotFields(s2) },
    });
    await t.clock.advance(60_000);
    await t.engine.syncNow();
    const [rejected] = await t.store.listOutbox();
    expect(rejected).toMatchObject({ state: 'rejected', error: { code: 'slot_taken' } });
    // The slot frees up; sent again as it is, the move applies (it is not older than what is there).
    await other.push(otherClient, [wire('appointments', { ...holder, status: 'cancelled' })]);
    await t.engine.retry(String(rejected?.id));
    await t.engine.drainOnce();
    expect(await t.store.listOutbox()).toEqual([]);
    expect(t.server.rows('appointments').find((r) => r.id === a.id)).toMatchObject({ slot_id: s2.id });
    expect(await t.store.getRow('appointments', a.id)).toMatchObject({ slot_id: s2.id, reason: 'fever' });
  });
});

function slotFields(slot: SlotRow) {
  return {
    slot_id: slot.id,
    doctor_id: slot.doctor_id,
    starts_at: slot.starts_at,
    ends_at: slot.ends_at,
    mode: slot.mode,
  };
}
