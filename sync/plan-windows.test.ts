import { beforeEach, describe, expect, it } from 'vitest';
import { drain } from './drain.ts';
import type { LocalMutation } from './local-mutation.ts';
import { planInWindows } from './plan-windows.ts';
import { planOutbox } from './planner.ts';
import { silentLogger } from './ports.ts';
import type {
  OutboxChange,
  OutboxPage,
  OutboxSession,
  OutboxWindow,
  SyncStore,
} from './stores/sync-store.ts';
import { appointmentRow, CLINIC_ID, patientRow, REFERENCE_DATA, SLOTS } from './testing/fixtures.ts';
import { InProcessServer } from './testing/in-process-server.ts';
import { MemoryStore } from './testing/memory-store.ts';
import { seededIds } from './testing/seeded-random.ts';

const REJECTED = { code: 'validation', message: 'bad phone', field: 'phone' } as const;

/** The store as the planner reads it, counting windows; listing the whole outbox is refused. */
function reader(store: MemoryStore) {
  const windows: OutboxWindow[] = [];
  return {
    windows,
    readOutbox: (w: OutboxWindow): Promise<OutboxPage> => {
      windows.push(w);
      return store.readOutbox(w);
    },
    outboxHolds: (ids: readonly string[]) => store.outboxHolds(ids),
    listOutbox: (): never => {
      throw new Error('the whole outbox was listed');
    },
  };
}

const sent = (batch: readonly { wire: { id: string } }[] | undefined) => (batch ?? []).map((p) => p.wire.id);

let store: MemoryStore;
let ids: () => string;
beforeEach(() => {
  store = new MemoryStore({ newId: seededIds(1) });
  ids = seededIds(2);
});

async function newPatient(): Promise<LocalMutation> {
  return store.write({ entity: 'patients', op: 'upsert', row: patientRow(ids()) });
}

describe('planInWindows', () => {
  it('reads only the first window when it fills the batch', async () => {
    for (let i = 0; i < 10; i++) await newPatient();
    const r = reader(store);
    const { plan, read } = await planInWindows(r, { maxMutations: 3, maxBytes: 1_000_000 }, 4);
    expect(r.windows).toEqual([{ afterSeq: -1, limit: 4 }]);
    expect(read).toBe(4);
    expect(plan.batches[0]).toHaveLength(3);
  });

  it('sends the same first batch as a plan of the whole outbox', async () => {
    for (let i = 0; i < 6; i++) {
      const p = await newPatient();
      const key = p.key;
      await store.write({ entity: 'appointments', op: 'upsert', row: appointmentRow(ids(), key) });
    }
    const limits = { maxMutations: 5, maxBytes: 1_000_000 };
    const whole = planOutbox(await store.listOutbox(), { limits });
    const { plan, read } = await planInWindows(reader(store), limits, 2);
    expect(sent(plan.batches[0])).toEqual(sent(whole.batches[0]));
    expect(read).toBeLessThan(12);
  });

  it('reads on past a window with nothing to send, and holds a dependent whose parent was refused windows earlier', async () => {
    const parent = await newPatient();
    const other = await newPatient();
    const child = await store.write({
      entity: 'appointments',
      op: 'upsert',
      row: appointmentRow(ids(), parent.key),
    });
    await store.apply({ patch: [{ id: parent.id, state: 'rejected', error: REJECTED, attempted: true }] });
    const r = reader(store);
    const { plan, read } = await planInWindows(r, { maxMutations: 2, maxBytes: 1_000_000 }, 1);
    expect(r.windows).toHaveLength(4); // the last one finds the end
    expect(read).toBe(3);
    expect(sent(plan.batches[0])).toEqual([other.id]);
    expect(plan.held).toEqual([
      { mutation: expect.objectContaining({ id: child.id }), blockedBy: parent.id },
    ]);
  });

  it('a dependent whose parent lies in a later window (a correction) waits, neither sent nor marked', async () => {
    const parent = await newPatient();
    const child = await store.write({
      entity: 'appointments',
      op: 'upsert',
      row: appointmentRow(ids(), parent.key),
    });
    const filler = await newPatient();
    await store.apply({ patch: [{ id: parent.id, state: 'rejected', error: REJECTED, attempted: true }] });
    // The correction replaces the refused write at the end of the outbox; the child now depends on it.
    const fixed = await store.write({
      entity: 'patients',
      op: 'upsert',
      row: patientRow(parent.key, { phone: '+919800000009' }),
      replacesRejected: true,
    });
    const outbox = await store.listOutbox();
    expect(outbox.map((m) => m.id)).toEqual([child.id, filler.id, fixed.id]);
    expect(outbox[0]?.deps).toContain(fixed.id);

    const r = reader(store);
    const { plan } = await planInWindows(r, { maxMutations: 2, maxBytes: 1_000_000 }, 2);
    // The first window holds the child and the filler, not the parent: the child must not go first.
    expect(sent(plan.batches[0])).toEqual([filler.id, fixed.id]);
    expect(plan.held).toEqual([]);
    expect(plan.batches.flat().findIndex((p) => p.wire.id === child.id)).toBeGreaterThan(
      plan.batches.flat().findIndex((p) => p.wire.id === fixed.id),
    );
  });

  it('a dependent in a later window of a parent in the batch goes after it, when the window reaches it', async () => {
    const parent = await newPatient();
    const fillers = [await newPatient(), await newPatient()];
    const child = await store.write({
      entity: 'appointments',
      op: 'upsert',
      row: appointmentRow(ids(), parent.key),
    });
    const limits = { maxMutations: 4, maxBytes: 1_000_000 };
    const { plan, read } = await planInWindows(reader(store), limits, 3);
    expect(read).toBe(4);
    expect(sent(plan.batches[0])).toEqual([parent.id, ...fillers.map((f) => f.id), child.id]);
    expect(plan.batches[0]?.[3]?.wire.deps).toEqual([parent.id]);
  });
});

describe('a drain in windows', () => {
  it('sends every write in dependency order, never listing the outbox, holding at most a batch and a window', async () => {
    const patients: LocalMutation[] = [];
    const appointments: LocalMutation[] = [];
    for (let i = 0; i < 12; i++) {
      const p = await newPatient();
      patients.push(p);
      const slot = SLOTS[i];
      if (slot)
        appointments.push(
          await store.write({
            entity: 'appointments',
            op: 'upsert',
            row: appointmentRow(ids(), p.key, {}, slot),
          }),
        );
    }
    // Entries each plan read. A plan ends by marking its batch `sending`; the drain plans the next
    // batch while one is in flight, reading on from where that one's entries end.
    const perPlan: number[] = [0];
    const counted = (outbox: OutboxSession): OutboxSession => ({
      readOutbox: async (w: OutboxWindow) => {
        const page = await outbox.readOutbox(w);
        perPlan[perPlan.length - 1] = (perPlan[perPlan.length - 1] ?? 0) + page.entries.length;
        return page;
      },
      outboxHolds: (ids) => outbox.outboxHolds(ids),
      apply: async (change: OutboxChange) => {
        if (change.patch?.some((p) => p.state === 'sending')) perPlan.push(0);
        return outbox.apply(change);
      },
    });
    const counting: SyncStore = Object.assign(Object.create(store) as SyncStore, {
      ...counted(store),
      // The drain plans inside one transaction of the store: counted there.
      planning: <T>(fn: (outbox: OutboxSession) => Promise<T>) => store.planning((o) => fn(counted(o))),
      listOutbox: (): never => {
        throw new Error('the whole outbox was listed');
      },
    });
    const server = new InProcessServer(REFERENCE_DATA);
    const transport = server.transport({ userId: ids(), staffClinicId: CLINIC_ID });
    const outcome = await drain({
      store: counting,
      transport,
      log: silentLogger,
      limits: { maxMutations: 4, maxBytes: 1_000_000 },
      outboxWindow: 3,
    });

    expect(outcome).toMatchObject({ status: 'synced', pushed: 18 });
    expect(await store.listOutbox()).toEqual([]);
    expect(server.pushCalls.map((c) => c.ids.length)).toEqual([4, 4, 4, 4, 2]);
    const order = server.pushCalls.flatMap((c) => c.ids);
    for (const [i, a] of appointments.entries())
      expect(order.indexOf(a.id)).toBeGreaterThan(order.indexOf(patients[i]?.id ?? ''));
    // A batch (4) and what the last window read past it (at most 2): never the 18 queued.
    expect(Math.max(...perPlan)).toBeLessThanOrEqual(6);
  });
});
