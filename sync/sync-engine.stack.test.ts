/**
 * The engine against the real local stack: the reported bug end to end, the 401 path, and whole
 * runs under the gateway's faults (errors, responses dropped after commit, offline) with tabs
 * closed mid-drain and two tabs on one store. Fewer runs than the in-process suite: each is real I/O.
 * Replay with FC_SEED=<seed>; FC_STACK_RUNS=<n> for more runs.
 */

import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  gatewayStats,
  newUser,
  resetFaults,
  resetGatewayStats,
  setFaults,
  sql,
} from '../supabase/tests/stack-clients.ts';
import { createClinic, newStaff } from '../supabase/tests/sync-fixtures.ts';
import type { Row } from './local-mutation.ts';
import { MemoryDrainLock } from './locks.ts';
import { planOutboxSafely } from './planner.ts';
import type { EntityName, Mutation, PullResponse, PushResult } from './protocol.ts';
import { SLOT_CONFLICTS } from './protocol.ts';
import { ConsultDb } from './stores/dexie-db.ts';
import { DexieStore } from './stores/dexie-store.ts';
import { SyncEngine } from './sync-engine.ts';
import { FakeNetwork } from './testing/fake-signals.ts';
import { appointmentRow, patientRow } from './testing/fixtures.ts';
import { ManualClock } from './testing/manual-clock.ts';
import { MemoryStore } from './testing/memory-store.ts';
import { propertySeed, seededRandom } from './testing/seeded-random.ts';
import { type UserCmd, UserModel, userCmd, userFields } from './testing/user-model.ts';
import { SupabaseTransport, supabaseSessionRefresher } from './transports/supabase.ts';
import type { PullOptions, SyncTransport } from './transports/transport.ts';

const PUSH_PATH = '/rest/v1/rpc/sync_push';

afterEach(async () => {
  await resetFaults();
});

describe('SyncEngine on the local stack', () => {
  it('the reported bug: profile and booking saved offline, reconnect → both on the server, one push, no error', async () => {
    const user = await newUser('reported-bug');
    const clinic = await createClinic(2);
    const db = new ConsultDb(`stack-${randomUUID()}`);
    const network = new FakeNetwork(false);
    const store = new DexieStore(db);
    const engine = new SyncEngine({
      store,
      transport: new SupabaseTransport(user.client),
      network,
      clock: new ManualClock(),
    });
    const p = patientRow(randomUUID());
    const a = appointmentRow(randomUUID(), p.id, {}, clinic.slots[0]);
    await store.write({ entity: 'patients', op: 'upsert', row: p });
    await store.write({ entity: 'appointments', op: 'upsert', row: a });
    expect(await engine.drainOnce()).toEqual({ status: 'offline' });

    await resetGatewayStats();
    network.set(true);
    expect(await engine.drainOnce()).toMatchObject({ status: 'synced', pushed: 2 });
    expect((await gatewayStats())[PUSH_PATH]).toBe(1);
    const rows = await sql<{ patient_id: string; user_id: string }>(
      'select a.patient_id, p.user_id from appointments a join patients p on p.id = a.patient_id where a.id = $1',
      [a.id],
    );
    expect(rows).toEqual([{ patient_id: p.id, user_id: user.userId }]);
    expect(await db.outbox.count()).toBe(0);
    await engine.settled();
    expect(engine.getSnapshot()).toMatchObject({ lastError: null, counts: { pending: 0, rejected: 0 } });
    expect(await db.patients.get(p.id)).toMatchObject({ version: 1, user_id: user.userId });
    await db.delete();
  });

  it('a drain of one batch with nothing more to pull is one request: sync_push brings the page back', async () => {
    const user = await newUser('one-round-trip');
    const clinic = await createClinic(2);
    const store = new MemoryStore();
    const engine = new SyncEngine({
      store,
      transport: new SupabaseTransport(user.client),
      clock: new ManualClock(),
    });
    const p = patientRow(randomUUID());
    await store.write({ entity: 'patients', op: 'upsert', row: p });
    // The first drain also fetches every clinic's slots: as many pages as the stack holds by now.
    expect(await engine.drainOnce()).toMatchObject({ status: 'synced', pushed: 1, morePull: false });
    expect((await store.listRows('slots')).map((s) => s.id)).toEqual(
      expect.arrayContaining(clinic.slots.map((s) => s.id)),
    );
    const a = appointmentRow(randomUUID(), p.id, {}, clinic.slots[0]);
    await store.write({ entity: 'appointments', op: 'upsert', row: a });
    await resetGatewayStats();
    expect(await engine.drainOnce()).toMatchObject({
      status: 'synced',
      pushed: 1,
      pages: 1,
      morePull: false,
    });
    const stats = await gatewayStats();
    expect([stats[PUSH_PATH], stats['/rest/v1/rpc/sync_pull'] ?? 0]).toEqual([1, 0]);
    expect(await store.getRow('appointments', a.id)).toMatchObject({ status: 'requested', version: 1 });
  });

  it('a 401 refreshes the session once and the same drain goes through', async () => {
    const user = await newUser('refresh');
    const store = new MemoryStore();
    const engine = new SyncEngine({
      store,
      transport: new SupabaseTransport(user.client),
      refreshSession: supabaseSessionRefresher(user.client),
      clock: new ManualClock(),
    });
    await store.write({ entity: 'patients', op: 'upsert', row: patientRow(randomUUID()) });
    await setFaults({ failNext: 1, failStatus: 401, match: PUSH_PATH });
    expect(await engine.drainOnce()).toMatchObject({ status: 'synced', pushed: 1 });
  });

  it('a patient deletes a booking with a clinic’s doctor: the clinic’s device drops its copy', async () => {
    const clinic = await createClinic(1);
    const staff = await newStaff(clinic.clinicId, 'engine-desk');
    const user = await newUser('engine-phone');
    const phone = new MemoryStore();
    const desk = new MemoryStore();
    const engineOf = (store: MemoryStore, client: typeof user.client) =>
      new SyncEngine({ store, transport: new SupabaseTransport(client), clock: new ManualClock() });
    const [phoneEngine, deskEngine] = [engineOf(phone, user.client), engineOf(desk, staff.client)];
    /** Drains until `done` holds: a change committed behind another test's open transaction waits. */
    const drainUntil = async (engine: SyncEngine, done: () => Promise<boolean>) => {
      for (let n = 0; !(await done()); n++) {
        if (n >= 20) throw new Error('still not there after 20 drains');
        expect(await engine.drainOnce()).toMatchObject({ status: 'synced' });
      }
    };
    const p = patientRow(randomUUID());
    const a = appointmentRow(randomUUID(), p.id, {}, clinic.slots[0]);
    await phone.write({ entity: 'patients', op: 'upsert', row: p });
    await phone.write({ entity: 'appointments', op: 'upsert', row: a });
    expect(await phoneEngine.drainOnce()).toMatchObject({ status: 'synced', pushed: 2 });
    await drainUntil(deskEngine, async () => (await desk.getRow('appointments', a.id)) !== undefined);

    await phone.write({ entity: 'appointments', op: 'delete', key: a.id });
    expect(await phoneEngine.drainOnce()).toMatchObject({ status: 'synced', pushed: 1 });
    await drainUntil(deskEngine, async () => (await desk.getRow('appointments', a.id)) === undefined);
    expect(await desk.getRow('appointments', a.id)).toBeUndefined();
  });
});

type Step =
  | { t: 'user'; cmd: UserCmd }
  | { t: 'drain'; tab: number }
  | { t: 'both' }
  | { t: 'faults'; failRate: number; dropRate: number; status: number }
  | { t: 'offline'; on: boolean }
  | { t: 'crash'; tab: number; afterCommit: boolean };

const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: userCmd.map((cmd) => ({ t: 'user' as const, cmd })), weight: 8 },
  { arbitrary: fc.nat(1).map((tab) => ({ t: 'drain' as const, tab })), weight: 3 },
  { arbitrary: fc.constant({ t: 'both' as const }), weight: 1 },
  {
    arbitrary: fc.record({
      t: fc.constant('faults' as const),
      failRate: fc.constantFrom(0, 0.3, 0.6),
      dropRate: fc.constantFrom(0, 0.3, 0.6),
      status: fc.constantFrom(500, 503, 429),
    }),
    weight: 2,
  },
  { arbitrary: fc.boolean().map((on) => ({ t: 'offline' as const, on })), weight: 1 },
  {
    arbitrary: fc.record({ t: fc.constant('crash' as const), tab: fc.nat(1), afterCommit: fc.boolean() }),
    weight: 1,
  },
);

const never = <T>() => new Promise<T>(() => {});

/** A tab's connection: records answers; a closed tab's request never answers (maybe after committing). */
class TabTransport implements SyncTransport {
  dead = false;
  hangNext: { afterCommit: boolean } | null = null;
  private markHung: () => void = () => {};
  /** Resolves once the tab is gone: its last request committed (or never left) and will never answer. */
  readonly hung = new Promise<void>((resolve) => {
    this.markHung = resolve;
  });
  constructor(
    private readonly inner: SyncTransport,
    private readonly seen: PushResult[],
  ) {}
  async push(clientId: string, mutations: readonly Mutation[]): Promise<PushResult[]> {
    if (this.dead) return never();
    const hang = this.hangNext;
    if (hang) {
      this.dead = true;
      if (hang.afterCommit) await this.inner.push(clientId, mutations).catch(() => undefined);
      this.markHung();
      return never();
    }
    const results = await this.inner.push(clientId, mutations);
    this.seen.push(...results);
    return results;
  }
  async pull(cursor: string | null, options?: PullOptions): Promise<PullResponse> {
    if (this.dead || this.hangNext) {
      this.dead = true;
      this.markHung();
      return never();
    }
    return this.inner.pull(cursor, options);
  }
}

describe('whole sync runs on the local stack under gateway faults', () => {
  it('end where the user’s writes say, exactly once, without FK errors', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 5, maxLength: 25, size: 'max' }),
        fc.nat(1e6),
        async (steps, seed) => {
          await resetFaults();
          const clinic = await createClinic(6);
          const staff = await newStaff(clinic.clinicId, 'kiosk');
          const store = new MemoryStore();
          const user = new UserModel(randomUUID, clinic.slots);
          const seen: PushResult[] = [];
          const random = seededRandom(seed);
          const tabs: { engine: SyncEngine; transport: TabTransport }[] = [];
          const openTab = () => {
            const transport = new TabTransport(
              new SupabaseTransport(staff.client, { timeoutMs: 15_000 }),
              seen,
            );
            const engine = new SyncEngine({
              store,
              transport,
              clock: new ManualClock(),
              lock: new MemoryDrainLock(),
              random,
            });
            return { engine, transport };
          };
          tabs.push(openTab(), openTab());
          for (const s of steps) {
            const tab = tabs[s.t === 'drain' || s.t === 'crash' ? s.tab : 0] as (typeof tabs)[number];
            switch (s.t) {
              case 'user':
                await user.apply(s.cmd, store, tab.engine);
                break;
              case 'drain':
                await tab.engine.drainOnce();
                break;
              case 'both':
                await Promise.all(tabs.map((t) => t.engine.drainOnce()));
                break;
              case 'faults':
                await setFaults({
                  failRate: s.failRate,
                  dropRate: s.dropRate,
                  failStatus: s.status,
                  offline: false,
                  match: '/rest/v1/rpc/',
                });
                break;
              case 'offline':
                await setFaults({ offline: s.on, match: '/rest/v1/rpc/' });
                break;
              case 'crash': {
                tab.transport.hangNext = { afterCommit: s.afterCommit };
                // The tab is gone once its request committed (or was cut before leaving), or, if
                // this drain had nothing to send, once it finished.
                await Promise.race([tab.transport.hung, tab.engine.drainOnce()]);
                void tab.engine.stop();
                tabs[s.tab] = openTab();
                break;
              }
            }
          }
          await resetFaults();
          const survivor = tabs[0] as (typeof tabs)[number];
          for (let round = 0; round < 10; round++) {
            await survivor.engine.syncNow();
            const plan = planOutboxSafely(await store.listOutbox());
            if (plan.batches.length === 0 && plan.vanished.length === 0) break;
          }

          for (const r of seen) if (r.status === 'rejected') expect(SLOT_CONFLICTS).toContain(r.code);
          const outbox = await store.listOutbox();
          const plan = planOutboxSafely(outbox);
          expect(plan.batches).toEqual([]);
          const held = new Set(plan.held.map((h) => h.mutation.id));
          for (const m of outbox) expect(m.state === 'rejected' || held.has(m.id)).toBe(true);
          const unsettled = new Set(outbox.map((m) => `${m.entity}:${m.key}`));
          const serverRows = new Map<string, Row>();
          const patients = await sql<{ row: Row }>(
            'select to_jsonb(p) as row from patients p where clinic_id = $1',
            [clinic.clinicId],
          );
          const appointments = await sql<{ row: Row }>(
            'select to_jsonb(a) as row from appointments a join patients p on p.id = a.patient_id where p.clinic_id = $1',
            [clinic.clinicId],
          );
          for (const { row } of patients) serverRows.set(`patients:${String(row.id)}`, row);
          for (const { row } of appointments) serverRows.set(`appointments:${String(row.id)}`, row);
          for (const k of new Set([...user.intended.keys(), ...serverRows.keys()])) {
            if (unsettled.has(k)) continue;
            const entity = k.split(':')[0] as EntityName;
            expect(userFields(entity, serverRows.get(k)), `server ${k}`).toEqual(
              user.intended.get(k) ?? null,
            );
          }
          // Exactly once: each live row's version counts the applied writes the ledger holds for it;
          // a write applied twice, or outside the ledger, would push the version past that count.
          const applied = await sql<{ id: string; n: number }>(
            `select answer->'row'->>'id' as id, count(*)::int as n from sync_ledger
           where user_id = $1 and answer->>'status' = 'applied' and jsonb_typeof(answer->'row') = 'object'
           group by 1`,
            [staff.userId],
          );
          const writes = new Map(applied.map((r) => [r.id, r.n]));
          for (const [k, row] of serverRows)
            expect(row.version, `version of ${k}`).toBe(writes.get(String(row.id)));
          for (const t of tabs) void t.engine.stop();
        },
      ),
      {
        seed: propertySeed(),
        numRuns: Number(process.env.FC_STACK_RUNS ?? 12),
        interruptAfterTimeLimit: 240_000,
      },
    );
  }, 300_000);
});
