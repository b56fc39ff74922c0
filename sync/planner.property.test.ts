/**
 * Planner properties over random sequences of creates, updates and deletes of patients and
 * appointments, with partial syncs (some responses lost after the server committed) in between.
 * Replay a failure with FC_SEED=<seed printed by fast-check>; FC_RUNS scales the run count.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LocalMutation, Row } from './local-mutation.ts';
import { type Plan, type PlanLimits, planOutboxSafely } from './planner.ts';
import type { Mutation } from './protocol.ts';
import { appointmentRow, patientRow } from './testing/fixtures.ts';
import { MemoryStore } from './testing/memory-store.ts';
import { propertyRuns, propertySeed, seededIds } from './testing/seeded-random.ts';

type Cmd =
  | { t: 'createPatient' }
  | { t: 'updatePatient'; i: number }
  | { t: 'deletePatient'; i: number }
  | { t: 'createAppointment'; i: number }
  | { t: 'updateAppointment'; i: number }
  | { t: 'deleteAppointment'; i: number }
  | { t: 'sync'; batches: number; lose: boolean }
  | { t: 'reject'; i: number };

const idx = fc.nat(50);
const cmd = (withRejects: boolean): fc.Arbitrary<Cmd> =>
  fc.oneof(
    { arbitrary: fc.constant({ t: 'createPatient' as const }), weight: 3 },
    { arbitrary: idx.map((i) => ({ t: 'updatePatient' as const, i })), weight: 2 },
    { arbitrary: idx.map((i) => ({ t: 'deletePatient' as const, i })), weight: 1 },
    { arbitrary: idx.map((i) => ({ t: 'createAppointment' as const, i })), weight: 3 },
    { arbitrary: idx.map((i) => ({ t: 'updateAppointment' as const, i })), weight: 2 },
    { arbitrary: idx.map((i) => ({ t: 'deleteAppointment' as const, i })), weight: 1 },
    {
      arbitrary: fc.record({ t: fc.constant('sync' as const), batches: fc.nat(2), lose: fc.boolean() }),
      weight: 2,
    },
    { arbitrary: idx.map((i) => ({ t: 'reject' as const, i })), weight: withRejects ? 1 : 0 },
  );

const limitsArb: fc.Arbitrary<PlanLimits> = fc.record({
  maxMutations: fc.integer({ min: 1, max: 6 }),
  maxBytes: fc.constantFrom(2_000, 5_000, 1_000_000),
});

/** The server's rules that ordering matters for: FKs both ways, and the ledger. */
class ServerModel {
  readonly rows = new Map<string, Row>();
  readonly ledger = new Set<string>();
  readonly fkErrors: string[] = [];
  apply(m: Mutation): void {
    if (this.ledger.has(m.id)) return;
    this.ledger.add(m.id);
    const k = `${m.entity}:${m.key}`;
    if (m.op === 'delete') {
      if (m.entity === 'patients')
        for (const [rk, r] of this.rows)
          if (rk.startsWith('appointments:') && r.patient_id === m.key)
            this.fkErrors.push(`delete ${k} with ${rk}`);
      this.rows.delete(k);
      return;
    }
    if (m.entity === 'appointments' && !this.rows.has(`patients:${String(m.data?.patient_id)}`))
      this.fkErrors.push(`missing parent for ${k}`);
    this.rows.set(k, { ...m.data });
  }
}

function checkPlan(plan: Plan, outbox: LocalMutation[], limits: PlanLimits): void {
  const sent = plan.batches.flat();
  const position = new Map(sent.map((p, i) => [p.wire.id, i]));
  // Every batch order respects dependencies.
  for (const [i, p] of sent.entries())
    for (const d of p.wire.deps)
      expect(position.get(d), `${p.wire.id} depends on later ${d}`).toBeLessThan(i);
  // Nothing lost: each entry is sent, vanishes, is held, or is itself rejected — exactly once.
  const seen = new Map<string, number>();
  const count = (id: string) => seen.set(id, (seen.get(id) ?? 0) + 1);
  for (const p of [...sent, ...plan.oversized]) for (const m of p.covers) count(m.id);
  for (const m of plan.vanished) count(m.id);
  for (const h of plan.held) count(h.mutation.id);
  const vanished = new Set(plan.vanished.map((m) => m.id));
  for (const m of outbox) if (m.state === 'rejected' && !vanished.has(m.id)) count(m.id);
  expect(new Set(seen.keys())).toEqual(new Set(outbox.map((m) => m.id)));
  for (const [id, n] of seen) expect(n, `${id} planned ${n} times`).toBe(1);
  // Nothing sent depends on a rejected or held entry.
  const blocked = new Set([
    ...plan.held.map((h) => h.mutation.id),
    ...outbox.filter((m) => m.state === 'rejected' && !vanished.has(m.id)).map((m) => m.id),
  ]);
  for (const p of sent)
    for (const m of p.covers) for (const d of [...m.deps, ...m.after]) expect(blocked.has(d)).toBe(false);
  for (const b of plan.batches) {
    expect(b.length).toBeLessThanOrEqual(limits.maxMutations);
    expect(new TextEncoder().encode(JSON.stringify(b.map((p) => p.wire))).length).toBeLessThanOrEqual(
      limits.maxBytes,
    );
  }
}

async function run(cmds: Cmd[], limits: PlanLimits, seed: number) {
  const store = new MemoryStore({ newId: seededIds(seed) });
  const rowIds = seededIds(seed + 1);
  const server = new ServerModel();
  const pick = <T>(list: T[], i: number): T | undefined =>
    list.length === 0 ? undefined : list[i % list.length];

  const syncBatches = async (maxBatches: number, lose: boolean) => {
    for (let n = 0; n < maxBatches; n++) {
      const outbox = await store.listOutbox();
      const plan = planOutboxSafely(outbox, { limits });
      checkPlan(plan, outbox, limits);
      if (plan.vanished.length > 0) await store.apply({ remove: plan.vanished.map((m) => m.id) });
      const batch = plan.batches[0];
      if (!batch) return;
      for (const p of batch) server.apply(p.wire);
      const covered = batch.flatMap((p) => p.covers.map((m) => m.id));
      if (lose) {
        await store.apply({ patch: batch.map((p) => ({ id: p.wire.id, attempted: true })) });
        return;
      }
      await store.apply({
        remove: covered,
        serverRows: batch.map((p) => ({
          table: p.wire.entity,
          key: p.wire.key,
          row: server.rows.get(`${p.wire.entity}:${p.wire.key}`) ?? null,
        })),
      });
    }
  };

  for (const c of cmds) {
    const patients = await store.listRows('patients');
    const appointments = await store.listRows('appointments');
    switch (c.t) {
      case 'createPatient':
        await store.write({ entity: 'patients', op: 'upsert', row: patientRow(rowIds()) });
        break;
      case 'updatePatient': {
        const p = pick(patients, c.i);
        if (p)
          await store.write({ entity: 'patients', op: 'upsert', row: { ...p, full_name: `Name ${c.i}` } });
        break;
      }
      case 'deletePatient': {
        const p = pick(patients, c.i);
        if (!p) break;
        // The app deletes a patient's appointments first, as the FK requires.
        for (const a of appointments.filter((x) => x.patient_id === p.id))
          await store.write({ entity: 'appointments', op: 'delete', key: String(a.id) });
        await store.write({ entity: 'patients', op: 'delete', key: String(p.id) });
        break;
      }
      case 'createAppointment': {
        const p = pick(patients, c.i);
        if (p)
          await store.write({
            entity: 'appointments',
            op: 'upsert',
            row: appointmentRow(rowIds(), String(p.id)),
          });
        break;
      }
      case 'updateAppointment': {
        const a = pick(appointments, c.i);
        if (a)
          await store.write({ entity: 'appointments', op: 'upsert', row: { ...a, reason: `reason ${c.i}` } });
        break;
      }
      case 'deleteAppointment': {
        const a = pick(appointments, c.i);
        if (a) await store.write({ entity: 'appointments', op: 'delete', key: String(a.id) });
        break;
      }
      case 'sync':
        await syncBatches(c.batches, c.lose);
        break;
      case 'reject': {
        const m = pick(
          (await store.listOutbox()).filter((x) => x.state === 'pending'),
          c.i,
        );
        if (m) await store.apply({ patch: [{ id: m.id, state: 'rejected' }] });
        break;
      }
    }
  }
  await syncBatches(10_000, false);
  return { store, server };
}

describe('planner properties', () => {
  it('orders by dependencies, coalesces without changing the final state, loses nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(cmd(false), { maxLength: 40 }),
        limitsArb,
        fc.nat(1e6),
        async (cmds, limits, seed) => {
          const { store, server } = await run(cmds, limits, seed);
          expect(server.fkErrors).toEqual([]);
          expect(await store.listOutbox()).toEqual([]);
          const local = new Map<string, Row>();
          for (const table of ['patients', 'appointments'] as const)
            for (const r of await store.listRows(table)) local.set(`${table}:${String(r.id)}`, r);
          expect(new Map([...server.rows].sort())).toEqual(new Map([...local].sort()));
        },
      ),
      { seed: propertySeed(), numRuns: propertyRuns(300) },
    );
  });

  it('holds back exactly what depends on a rejection and sends everything else', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(cmd(true), { maxLength: 40 }),
        limitsArb,
        fc.nat(1e6),
        async (cmds, limits, seed) => {
          const { store, server } = await run(cmds, limits, seed);
          expect(server.fkErrors).toEqual([]);
          const left = await store.listOutbox();
          const plan = planOutboxSafely(left, { limits });
          // After the final sync, only rejected entries and what waits behind them remain.
          expect(plan.batches).toEqual([]);
          for (const m of left)
            expect(m.state === 'rejected' || plan.held.some((h) => h.mutation.id === m.id)).toBe(true);
        },
      ),
      { seed: propertySeed() + 1, numRuns: propertyRuns(200) },
    );
  });
});
