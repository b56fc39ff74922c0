import { beforeEach, describe, expect, it } from 'vitest';
import { isPlanCycleError } from './errors.ts';
import type { LocalMutation } from './local-mutation.ts';
import { discardSet, planOutbox, planOutboxSafely } from './planner.ts';
import { appointmentRow, patientRow } from './testing/fixtures.ts';
import { MemoryStore } from './testing/memory-store.ts';
import { seededIds } from './testing/seeded-random.ts';

let store: MemoryStore;
let ids: () => string;
beforeEach(() => {
  store = new MemoryStore({ newId: seededIds(1) });
  ids = seededIds(2);
});

const wireIds = (outbox: LocalMutation[]) =>
  planOutbox(outbox)
    .batches.flat()
    .map((p) => p.wire.id);

describe('planOutbox', () => {
  it('sends a patient and their appointment in one batch, patient first', async () => {
    const p = patientRow(ids());
    const a = await store.write({ entity: 'appointments', op: 'upsert', row: appointmentRow(ids(), p.id) });
    const pm = await store.write({ entity: 'patients', op: 'upsert', row: p });
    // The appointment was written first (no pending patient then): no dep, enqueue order wins.
    expect(wireIds(await store.listOutbox())).toEqual([a.id, pm.id]);
    const store2 = new MemoryStore({ newId: seededIds(3) });
    const p2 = await store2.write({ entity: 'patients', op: 'upsert', row: p });
    const a2 = await store2.write({ entity: 'appointments', op: 'upsert', row: appointmentRow(ids(), p.id) });
    const plan = planOutbox(await store2.listOutbox());
    expect(plan.batches).toHaveLength(1);
    expect(plan.batches[0]?.map((x) => [x.wire.id, x.wire.deps])).toEqual([
      [p2.id, []],
      [a2.id, [p2.id]],
    ]);
  });

  it("coalesces two tabs' edits of one synced row field by field: both changes leave, each from its first base", async () => {
    // Offline, tab A changes the phone; tab B, whose form still shows the old phone, changes the
    // address; then tab A changes the phone again. One wire write carries both fields, each with
    // the value the user first saw (whole-row coalescing sent B's stale phone).
    const synced = { ...patientRow(ids()), version: 3 };
    await store.apply({ serverRows: [{ table: 'patients', key: synced.id, row: synced }] });
    await store.write({
      entity: 'patients',
      op: 'upsert',
      row: { ...synced, phone: '+919800000001' },
      base: synced,
    });
    await store.write({
      entity: 'patients',
      op: 'upsert',
      row: { ...synced, address: 'Ward 9' },
      base: synced,
    });
    await store.write({
      entity: 'patients',
      op: 'upsert',
      row: { ...synced, phone: '+919800000002' },
      base: { ...synced, phone: '+919800000001' },
    });
    const sent = planOutbox(await store.listOutbox()).batches.flat();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.wire.data).toMatchObject({
      phone: '+919800000002',
      address: 'Ward 9',
      full_name: synced.full_name,
    });
    expect(sent[0]?.wire.base).toEqual({ phone: synced.phone, address: synced.address });
  });

  it('coalesces a create with later edits into one whole-row write (no base)', async () => {
    const p = patientRow(ids());
    await store.write({ entity: 'patients', op: 'upsert', row: p });
    await store.write({ entity: 'patients', op: 'upsert', row: { ...p, address: 'Ward 9' }, base: p });
    const sent = planOutbox(await store.listOutbox()).batches.flat();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.wire.base).toBeUndefined();
    expect(sent[0]?.wire.data).toMatchObject({ address: 'Ward 9' });
  });

  it('coalesces repeated upserts: later data wins, deps union, the last id goes on the wire', async () => {
    const p = patientRow(ids());
    const p1 = await store.write({ entity: 'patients', op: 'upsert', row: p });
    const a1 = await store.write({ entity: 'appointments', op: 'upsert', row: appointmentRow(ids(), p.id) });
    const p2 = await store.write({ entity: 'patients', op: 'upsert', row: { ...p, full_name: 'Later' } });
    const plan = planOutbox(await store.listOutbox());
    const sent = plan.batches.flat();
    expect(sent.map((x) => x.wire.id)).toEqual([p2.id, a1.id]);
    expect(sent[0]?.wire.data).toMatchObject({ full_name: 'Later' });
    expect(sent[0]?.covers.map((m) => m.id)).toEqual([p1.id, p2.id]);
    expect(sent[1]?.wire.deps).toEqual([p2.id]);
  });

  it("sends a row's merged writes as the first account's that wrote it, not a later one's", async () => {
    const p = patientRow(ids());
    await store.write({ entity: 'patients', op: 'upsert', row: p, actor: 'first-account' });
    await store.write({
      entity: 'patients',
      op: 'upsert',
      row: { ...p, full_name: 'Later' },
      actor: 'second',
    });
    const [sent] = planOutbox(await store.listOutbox()).batches.flat();
    expect(sent?.wire.actor).toBe('first-account');
  });

  it('drops a never-sent create-then-delete with the writes that needed it', async () => {
    const p = patientRow(ids());
    const a = appointmentRow(ids(), p.id);
    await store.write({ entity: 'patients', op: 'upsert', row: p });
    await store.write({ entity: 'appointments', op: 'upsert', row: a });
    await store.write({ entity: 'patients', op: 'delete', key: p.id });
    const plan = planOutbox(await store.listOutbox());
    expect(plan.batches).toEqual([]);
    expect(plan.vanished).toHaveLength(3);
  });

  it('drops a create the server rejected once the user deletes the row, releasing what waited', async () => {
    const p = patientRow(ids());
    const p1 = await store.write({ entity: 'patients', op: 'upsert', row: p });
    await store.apply({ patch: [{ id: p1.id, attempted: true, state: 'rejected' }] });
    await store.write({ entity: 'patients', op: 'delete', key: p.id });
    const plan = planOutbox(await store.listOutbox());
    expect(plan.vanished).toHaveLength(2);
    expect(plan.held).toEqual([]);
  });

  it('sends the delete of a row the server may have (attempted, or synced before)', async () => {
    const p = patientRow(ids());
    const p1 = await store.write({ entity: 'patients', op: 'upsert', row: p });
    const p2 = await store.write({ entity: 'patients', op: 'delete', key: p.id });
    await store.apply({ patch: [{ id: p1.id, attempted: true }] });
    expect(wireIds(await store.listOutbox())).toEqual([p1.id, p2.id]);
  });

  it('holds back what depends on a rejected mutation, sends the rest, releases when the blocker goes', async () => {
    const p = patientRow(ids());
    const q = patientRow(ids());
    const p1 = await store.write({ entity: 'patients', op: 'upsert', row: p });
    const a1 = await store.write({ entity: 'appointments', op: 'upsert', row: appointmentRow(ids(), p.id) });
    const q1 = await store.write({ entity: 'patients', op: 'upsert', row: q });
    await store.apply({ patch: [{ id: p1.id, state: 'rejected' }] });
    const plan = planOutbox(await store.listOutbox());
    expect(plan.batches.flat().map((x) => x.wire.id)).toEqual([q1.id]);
    expect(plan.held.map((h) => [h.mutation.id, h.blockedBy])).toEqual([[a1.id, p1.id]]);
    await store.apply({ patch: [{ id: a1.id, state: 'blocked', blockedBy: p1.id }], remove: [p1.id] });
    const after = planOutbox(await store.listOutbox());
    expect(after.released.map((m) => m.id)).toEqual([a1.id]);
  });

  it('cuts batches under the count and byte limits, in order', async () => {
    const written: string[] = [];
    for (let i = 0; i < 7; i++)
      written.push((await store.write({ entity: 'patients', op: 'upsert', row: patientRow(ids()) })).id);
    const outbox = await store.listOutbox();
    const byCount = planOutbox(outbox, { limits: { maxMutations: 3, maxBytes: 1e9 } });
    expect(byCount.batches.map((b) => b.length)).toEqual([3, 3, 1]);
    const one = JSON.stringify(byCount.batches[0]?.[0]?.wire).length;
    const byBytes = planOutbox(outbox, { limits: { maxMutations: 100, maxBytes: one * 2 + 3 } });
    expect(byBytes.batches.map((b) => b.length)).toEqual([2, 2, 2, 1]);
    expect(byBytes.batches.flat().map((x) => x.wire.id)).toEqual(written);
    const tiny = planOutbox(outbox, { limits: { maxMutations: 100, maxBytes: 10 } });
    expect(tiny.oversized).toHaveLength(7);
  });

  it('fills each batch up to the byte limit as the server counts it: the serialized body, in UTF-8', async () => {
    // Devanagari takes 3 bytes a character: counting characters would overfill the batch.
    for (let i = 0; i < 9; i++)
      await store.write({
        entity: 'patients',
        op: 'upsert',
        row: patientRow(ids(), { full_name: `आशा देवी ${'क'.repeat(i * 7)}`, address: 'वार्ड 4, रामपुर' }),
      });
    const outbox = await store.listOutbox();
    const body = (batch: readonly { wire: unknown }[]) =>
      new TextEncoder().encode(JSON.stringify(batch.map((p) => p.wire))).length;
    const largest = Math.max(
      ...planOutbox(outbox)
        .batches.flat()
        .map((p) => body([p])),
    );
    for (const maxBytes of [largest, largest * 2 + 40, largest * 3 + 200, largest * 5]) {
      const { batches, oversized } = planOutbox(outbox, { limits: { maxMutations: 1000, maxBytes } });
      expect(oversized).toEqual([]);
      for (const [i, batch] of batches.entries()) {
        expect(body(batch)).toBeLessThanOrEqual(maxBytes);
        const next = batches[i + 1]?.[0];
        if (next) expect(body([...batch, next])).toBeGreaterThan(maxBytes);
      }
    }
  });

  it('reports a dependency cycle as a typed error; coalescing-made cycles fall back to no coalescing', async () => {
    const p = patientRow(ids());
    const a = appointmentRow(ids(), p.id);
    const p1 = await store.write({ entity: 'patients', op: 'upsert', row: p });
    await store.apply({ patch: [{ id: p1.id, attempted: true }] });
    await store.write({ entity: 'appointments', op: 'upsert', row: a });
    await store.write({ entity: 'patients', op: 'delete', key: p.id }); // after the appointment write
    await store.write({ entity: 'appointments', op: 'upsert', row: { ...a, reason: 'again' } }); // needs the patient
    const outbox = await store.listOutbox();
    const err = (() => {
      try {
        planOutbox(outbox);
      } catch (e) {
        return e;
      }
    })();
    expect(isPlanCycleError(err)).toBe(true);
    expect(planOutboxSafely(outbox).batches.flat()).toHaveLength(4);
    const [x, y] = outbox;
    if (!x || !y) throw new Error('setup');
    const cyclic = [
      { ...x, deps: [y.id] },
      { ...y, deps: [x.id] },
    ];
    expect(() => planOutboxSafely(cyclic)).toThrow(/cycle/);
  });

  it('discardSet follows hard dependencies only', async () => {
    const p = patientRow(ids());
    const a = appointmentRow(ids(), p.id);
    const a1 = await store.write({ entity: 'appointments', op: 'upsert', row: a });
    const a2 = await store.write({ entity: 'appointments', op: 'upsert', row: { ...a, reason: 'b' } });
    const pd = await store.write({ entity: 'patients', op: 'delete', key: p.id });
    expect(pd.after).toEqual([a2.id]);
    const outbox = await store.listOutbox();
    expect(discardSet(a1.id, outbox).map((m) => m.id)).toEqual([a1.id, a2.id]);
  });
});
