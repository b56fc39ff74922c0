/**
 * One contract for every `SyncStore` implementation (memory, Dexie): run with
 * `describeOutboxContract(name, makeStore)` from each implementation's test file.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { isValidationError } from '../errors.ts';
import type { LocalMutation, Row } from '../local-mutation.ts';
import { dropChange } from '../outbox-changes.ts';
import type { RowChange, StoreEvent, StoreOptions, SyncStore, TableName } from '../stores/sync-store.ts';
import { appointmentRow, patientRow, SLOTS, type SlotRow } from './fixtures.ts';
import { seededIds } from './seeded-random.ts';

export interface StoreHarness {
  store: SyncStore;
  /** Writes a raw record behind the store's back (what an older version or a bug could leave). */
  plant(table: TableName | 'outbox', record: Record<string, unknown>): Promise<void>;
  /** Another store over the same database: another tab, or the service worker. */
  sibling(): SyncStore;
}

const emptyChanges = { patients: [], appointments: [], clinics: [], doctors: [], slots: [] };

export function describeOutboxContract(
  name: string,
  makeStore: (options: StoreOptions) => Promise<StoreHarness>,
) {
  describe(`SyncStore contract: ${name}`, () => {
    let h: StoreHarness;
    let store: SyncStore;
    let ids: () => string;
    let forcedId: string | null;

    beforeEach(async () => {
      ids = seededIds(7);
      forcedId = null;
      const idSource = seededIds(99);
      h = await makeStore({
        newId: () => {
          const id = forcedId ?? idSource();
          forcedId = null;
          return id;
        },
        now: () => new Date('2030-01-01T00:00:00.000Z'),
      });
      store = h.store;
    });

    it('writes the row and appends the mutation together', async () => {
      const p = patientRow(ids());
      const m = await store.write({ entity: 'patients', op: 'upsert', row: p, actor: 'user-1' });
      expect(await store.getRow('patients', p.id)).toMatchObject(p);
      const outbox = await store.listOutbox();
      expect(outbox).toHaveLength(1);
      expect(outbox[0]).toMatchObject({
        id: m.id,
        entity: 'patients',
        op: 'upsert',
        key: p.id,
        state: 'pending',
        actor: 'user-1',
        createsRow: true,
        attempted: false,
        deps: [],
      });
      expect(outbox[0]?.clientId).toBe(await store.getClientId());
    });

    it('refuses an invalid row and writes nothing', async () => {
      const p = patientRow(ids(), { full_name: '  ' });
      const err = await store.write({ entity: 'patients', op: 'upsert', row: p }).catch((e: unknown) => e);
      expect(isValidationError(err)).toBe(true);
      expect(isValidationError(err) && err.field).toBe('full_name');
      expect(await store.getRow('patients', p.id)).toBeUndefined();
      expect(await store.listOutbox()).toHaveLength(0);
    });

    it('leaves neither the row nor the mutation when the transaction fails midway', async () => {
      const first = await store.write({ entity: 'patients', op: 'upsert', row: patientRow(ids()) });
      const p = patientRow(ids(), { full_name: 'Second' });
      // The next mutation id collides with the first: the outbox append fails after the row write.
      forcedId = first.id;
      await expect(store.write({ entity: 'patients', op: 'upsert', row: p })).rejects.toThrow();
      expect(await store.getRow('patients', p.id)).toBeUndefined();
      expect((await store.listOutbox()).map((m) => m.id)).toEqual([first.id]);
      // The failed write consumed no seq either.
      const next = await store.write({ entity: 'patients', op: 'upsert', row: p });
      expect(next.seq).toBe(first.seq + 1);
    });

    it('derives dependencies at enqueue time', async () => {
      const p = patientRow(ids());
      const a = appointmentRow(ids(), p.id);
      const p1 = await store.write({ entity: 'patients', op: 'upsert', row: p });
      const a1 = await store.write({ entity: 'appointments', op: 'upsert', row: a });
      const p2 = await store.write({ entity: 'patients', op: 'upsert', row: { ...p, full_name: 'Asha D.' } });
      const a2 = await store.write({ entity: 'appointments', op: 'delete', key: a.id });
      const p3 = await store.write({ entity: 'patients', op: 'delete', key: p.id });
      expect(a1.deps).toEqual([p1.id]);
      expect(a1.refKeys).toEqual([`patients:${p.id}`]);
      expect(p2.deps).toEqual([p1.id]);
      expect(a2.deps).toEqual([a1.id]); // a delete does not wait for its parent
      expect(a2.refKeys).toEqual([`patients:${p.id}`]); // from the row before the delete
      expect(p3.deps).toEqual([p2.id]);
      expect(p3.after).toEqual([a2.id]); // the parent's delete goes after its children's writes
      expect([p1, a1, p2, a2, p3].map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(a2.createsRow && p3.createsRow).toBe(true);
      expect(await store.getRow('patients', p.id)).toBeUndefined();
    });

    it('writes a batch in one go, with the dependencies each write would have had alone', async () => {
      const p = patientRow(ids());
      const a = appointmentRow(ids(), p.id);
      const [p1, a1, p2, a2, p3] = await store.writeAll([
        { entity: 'patients', op: 'upsert', row: p },
        { entity: 'appointments', op: 'upsert', row: a },
        { entity: 'patients', op: 'upsert', row: { ...p, full_name: 'Asha D.' } },
        { entity: 'appointments', op: 'delete', key: a.id },
        { entity: 'patients', op: 'delete', key: p.id },
      ]);
      expect(a1?.deps).toEqual([p1?.id]);
      expect(p2?.deps).toEqual([p1?.id]);
      expect(p2?.before).toMatchObject({ full_name: p.full_name });
      expect(p2?.createsRow).toBe(true);
      expect(a2?.deps).toEqual([a1?.id]);
      expect(a2?.refKeys).toEqual([`patients:${p.id}`]);
      expect(p3?.deps).toEqual([p2?.id]);
      expect(p3?.after).toEqual([a2?.id]);
      expect([p1, a1, p2, a2, p3].map((m) => m?.seq)).toEqual([1, 2, 3, 4, 5]);
      expect((await store.listOutbox()).map((m) => m.id)).toEqual([p1, a1, p2, a2, p3].map((m) => m?.id));
      expect(await store.getRow('patients', p.id)).toBeUndefined();
      const next = await store.write({ entity: 'patients', op: 'upsert', row: patientRow(ids()) });
      expect(next.seq).toBe(6);
    });

    it('an edit depends on the pending writes of the row it references as stored, not as the form had it', async () => {
      const a = patientRow(ids());
      const b = patientRow(ids());
      await store.write({ entity: 'patients', op: 'upsert', row: a });
      const pb = await store.write({ entity: 'patients', op: 'upsert', row: b });
      const stored = { ...appointmentRow(ids(), b.id), version: 1 };
      await store.apply({ serverRows: [{ table: 'appointments', key: stored.id, row: stored }] });
      // The form still shows the appointment under patient a; the user changed only the reason.
      const shown = { ...stored, patient_id: a.id };
      const edit = await store.write({
        entity: 'appointments',
        op: 'upsert',
        row: { ...shown, reason: 'Worse since yesterday' },
        base: shown,
      });
      expect(edit.data).toMatchObject({ patient_id: b.id, reason: 'Worse since yesterday' });
      expect(edit.deps).toEqual([pb.id]);
    });

    it('writes nothing of a batch when one of its writes is invalid or fails', async () => {
      const first = await store.write({ entity: 'patients', op: 'upsert', row: patientRow(ids()) });
      const p = patientRow(ids());
      const invalid = store.writeAll([
        { entity: 'patients', op: 'upsert', row: p },
        { entity: 'appointments', op: 'upsert', row: appointmentRow(ids(), p.id, { reason: '' }) },
      ]);
      expect(isValidationError(await invalid.catch((e: unknown) => e))).toBe(true);
      // The batch's first id collides with the first mutation: its append fails while the rest of
      // the batch's requests are already issued.
      const a = appointmentRow(ids(), p.id);
      const batch = [
        { entity: 'patients' as const, op: 'upsert' as const, row: p },
        { entity: 'appointments' as const, op: 'upsert' as const, row: a },
      ];
      forcedId = first.id;
      await expect(store.writeAll(batch)).rejects.toThrow();
      expect(await store.getRow('patients', p.id)).toBeUndefined();
      expect(await store.getRow('appointments', a.id)).toBeUndefined();
      expect((await store.listOutbox()).map((m) => m.id)).toEqual([first.id]);
      expect((await store.write({ entity: 'patients', op: 'upsert', row: p })).seq).toBe(first.seq + 1);
    });

    it('marks writes of rows the server already has as not creating them', async () => {
      const p = patientRow(ids());
      await store.applyPull({
        cursor: 'c1',
        changes: { ...emptyChanges, patients: [{ ...p, version: 3 }] },
        deleted: [],
      });
      const m = await store.write({ entity: 'patients', op: 'upsert', row: { ...p, full_name: 'New' } });
      expect(m.createsRow).toBe(false);
      expect(m.before).toMatchObject({ version: 3 });
    });

    it('keeps seq monotonic after the outbox empties', async () => {
      const m1 = await store.write({ entity: 'patients', op: 'upsert', row: patientRow(ids()) });
      await store.apply({ remove: [m1.id] });
      const m2 = await store.write({ entity: 'patients', op: 'upsert', row: patientRow(ids()) });
      expect(m2.seq).toBeGreaterThan(m1.seq);
    });

    it('merges server rows unless a local write of the row is pending', async () => {
      const p = patientRow(ids());
      const q = patientRow(ids());
      const mp = await store.write({ entity: 'patients', op: 'upsert', row: p });
      const mq = await store.write({ entity: 'patients', op: 'upsert', row: q });
      const report = await store.apply({
        remove: [mp.id],
        serverRows: [
          { table: 'patients', key: p.id, row: { ...p, version: 1 } },
          { table: 'patients', key: q.id, row: { ...q, full_name: 'Server', version: 1 } },
        ],
      });
      expect(report).toEqual({ merged: 1, skipped: 1 });
      expect(await store.getRow('patients', p.id)).toMatchObject({ version: 1 });
      expect(await store.getRow('patients', q.id)).toMatchObject({ full_name: q.full_name });
      // The server has q now: a later delete of q must be sent, not vanish.
      expect((await store.listOutbox()).find((m) => m.id === mq.id)?.createsRow).toBe(false);
    });

    it('merges answers unless a write of the row is still queued, in an outbox larger than the answers', async () => {
      // More entries than answered rows: the store looks rows up through its index of the outbox's
      // rows (outbox-rows.ts), built at the first such change and kept up to date after it.
      const rows: Row[] = Array.from({ length: 8 }, () => patientRow(ids()));
      const queued: LocalMutation[] = [];
      for (const row of rows) queued.push(await store.write({ entity: 'patients', op: 'upsert', row }));
      const [a, b, c, d, e, f] = rows as [Row, Row, Row, Row, Row, Row];
      const [ma, mb, mc, , me, mf] = queued as [
        LocalMutation,
        LocalMutation,
        LocalMutation,
        LocalMutation,
        LocalMutation,
        LocalMutation,
      ];
      const answer = (row: Row, version: number) => ({
        table: 'patients' as const,
        key: String(row.id),
        row: { ...row, full_name: `Server ${version}`, version },
      });
      expect(await store.apply({ remove: [ma.id], serverRows: [answer(a, 1)] })).toEqual({
        merged: 1,
        skipped: 0,
      });

      // Queued since: b again in this tab, c in another; f's refused write sent again in its place.
      await store.write({ entity: 'patients', op: 'upsert', row: { ...b, full_name: 'Mine again' } });
      await h.sibling().write({ entity: 'patients', op: 'upsert', row: { ...c, full_name: 'Other tab' } });
      await store.apply({
        patch: [{ id: mf.id, state: 'rejected', error: { code: 'validation', message: 'no', field: null } }],
      });
      const [rejected] = (await store.listOutbox()).filter((m) => m.id === mf.id);
      if (!rejected) throw new Error('expected the refused write');
      await store.apply({
        replace: [{ replaces: [mf.id], record: { ...rejected, id: ids(), state: 'pending' } }],
      });

      const report = await store.apply({
        remove: [mb.id, mc.id, me.id],
        serverRows: [answer(b, 1), answer(c, 1), answer(d, 1), answer(e, 1), answer(f, 1)],
      });
      // b, c (queued since), d (never sent) and f (its retry) keep the local row; e merges.
      expect(report).toEqual({ merged: 1, skipped: 4 });
      expect(await store.getRow('patients', String(e.id))).toMatchObject({ version: 1 });
      expect(await store.getRow('patients', String(b.id))).toMatchObject({ full_name: 'Mine again' });
      expect(await store.getRow('patients', String(c.id))).toMatchObject({ full_name: 'Other tab' });
      for (const row of [d, f])
        expect(await store.getRow('patients', String(row.id))).toMatchObject({ full_name: row.full_name });
    });

    it('a discarded write restores the server row that arrived while it was queued', async () => {
      const p = patientRow(ids());
      await store.applyPull({
        cursor: 'c1',
        changes: { ...emptyChanges, patients: [{ ...p, version: 1 }] },
        deleted: [],
      });
      const mine = await store.write({
        entity: 'patients',
        op: 'upsert',
        row: { ...p, full_name: 'Mine', version: 1 },
      });
      // Another device's edit comes in while mine waits: the local write wins on screen for now.
      await store.apply({
        serverRows: [{ table: 'patients', key: p.id, row: { ...p, address: 'Ward 9, Theirs', version: 2 } }],
      });
      expect(await store.getRow('patients', p.id)).toMatchObject({ full_name: 'Mine' });
      // Mine is refused and the user discards it: the row is the server's latest, not the one before mine.
      const [queued] = await store.listOutbox();
      if (!queued || queued.id !== mine.id) throw new Error('expected the queued write');
      await store.apply(dropChange([queued]));
      expect(await store.getRow('patients', p.id)).toMatchObject({ address: 'Ward 9, Theirs', version: 2 });
    });

    it("applies a large batch's answers in one change: every row merged in order, a row named twice ends as the last left it", async () => {
      // Hundreds of rows in one transaction: Dexie loses a transaction that awaits too long outside it.
      const written: LocalMutation[] = [];
      for (let i = 0; i < 300; i++)
        written.push(await store.write({ entity: 'patients', op: 'upsert', row: patientRow(ids()) }));
      const [first, second] = written;
      if (!first || !second) throw new Error('setup');
      const report = await store.apply({
        remove: written.map((m) => m.id),
        serverRows: [
          ...written.map((m) => ({ table: 'patients' as const, key: m.key, row: { ...m.data, version: 2 } })),
          { table: 'patients', key: first.key, row: null },
          { table: 'patients', key: second.key, row: { ...second.data, version: 1 } },
          { table: 'patients', key: second.key, row: { ...second.data, full_name: 'Third', version: 3 } },
        ],
      });
      expect(report).toEqual({ merged: 302, skipped: 1 });
      expect(await store.listOutbox()).toEqual([]);
      expect(await store.getRow('patients', first.key)).toBeUndefined();
      expect(await store.getRow('patients', second.key)).toMatchObject({ full_name: 'Third', version: 3 });
      expect((await store.listRows('patients')).length).toBe(299);
    });

    it('never replaces a row by an older version of it', async () => {
      const p = patientRow(ids());
      await store.applyPull({
        cursor: 'c1',
        changes: { ...emptyChanges, patients: [{ ...p, version: 5 }] },
        deleted: [],
      });
      const report = await store.apply({
        serverRows: [{ table: 'patients', key: p.id, row: { ...p, version: 4 } }],
      });
      expect(report.skipped).toBe(1);
      expect(await store.getRow('patients', p.id)).toMatchObject({ version: 5 });
    });

    it('patches, replaces and rewires outbox entries atomically', async () => {
      const p = patientRow(ids());
      const p1 = await store.write({ entity: 'patients', op: 'upsert', row: p });
      const a1 = await store.write({
        entity: 'appointments',
        op: 'upsert',
        row: appointmentRow(ids(), p.id),
      });
      const newId = ids();
      await store.apply({
        replace: [{ replaces: [p1.id], record: { ...p1, id: newId, state: 'pending' } }],
        rewire: { [p1.id]: newId },
        patch: [{ id: a1.id, state: 'blocked', blockedBy: newId }],
      });
      const outbox = await store.listOutbox();
      expect(outbox.map((m) => m.id)).toEqual([newId, a1.id]);
      expect(outbox[1]).toMatchObject({ deps: [newId], state: 'blocked', blockedBy: newId });
      await store.apply({ patch: [{ id: a1.id, state: 'pending', blockedBy: null }] });
      expect((await store.listOutbox())[1]?.blockedBy).toBeUndefined();
      // A replace whose originals are gone (another tab finished them) is skipped.
      await store.apply({ remove: [newId, a1.id] });
      await store.apply({ replace: [{ replaces: [newId], record: { ...p1, id: ids() } }] });
      expect(await store.listOutbox()).toHaveLength(0);
    });

    it('patches by id whatever seq a patch gives: the seq only lets a run be read as one range', async () => {
      const written: LocalMutation[] = [];
      for (let i = 0; i < 4; i++)
        written.push(await store.write({ entity: 'patients', op: 'upsert', row: patientRow(ids()) }));
      const [w0, w1, w2, w3] = written as [LocalMutation, LocalMutation, LocalMutation, LocalMutation];
      // A run read as a range, one entry given a seq it no longer has, one a seq past the outbox.
      await store.apply({
        patch: [
          { id: w0.id, seq: w0.seq, state: 'sending', attempted: true },
          { id: w1.id, seq: w1.seq, state: 'sending' },
          { id: w2.id, seq: w3.seq, state: 'sending' },
          { id: w3.id, seq: w3.seq + 5, state: 'blocked', blockedBy: w0.id },
        ],
      });
      expect((await store.listOutbox()).map((m) => [m.id, m.state, m.attempted])).toEqual([
        [w0.id, 'sending', true],
        [w1.id, 'sending', false],
        [w2.id, 'sending', false],
        [w3.id, 'blocked', false],
      ]);
      // A patch of an entry no longer there is skipped, as without a seq.
      await store.apply({ remove: [w1.id] });
      await store.apply({
        patch: [
          { id: w0.id, seq: w0.seq, state: 'pending' },
          { id: w1.id, seq: w1.seq, state: 'pending' },
        ],
      });
      expect((await store.listOutbox()).map((m) => [m.id, m.state])).toEqual([
        [w0.id, 'pending'],
        [w2.id, 'sending'],
        [w3.id, 'blocked'],
      ]);
    });

    it('replaces what the server refused of a row by the corrected write, in the same transaction', async () => {
      const p = patientRow(ids());
      const error = { code: 'validation' as const, message: 'bad phone', field: 'phone' };
      const p1 = await store.write({ entity: 'patients', op: 'upsert', row: p });
      const a1 = await store.write({
        entity: 'appointments',
        op: 'upsert',
        row: appointmentRow(ids(), p.id),
      });
      const p2 = await store.write({ entity: 'patients', op: 'upsert', row: { ...p, full_name: 'Asha D.' } });
      await store.apply({
        patch: [
          { id: p1.id, state: 'rejected', error, attempted: true },
          { id: a1.id, state: 'blocked', blockedBy: p1.id },
          { id: p2.id, state: 'blocked', blockedBy: p1.id },
        ],
      });
      const fixed = { ...p, phone: '+919800000000' };

      // A failed write replaces nothing: the id collides with a1, so the append fails.
      forcedId = a1.id;
      await expect(
        store.write({ entity: 'patients', op: 'upsert', row: fixed, replacesRejected: true }),
      ).rejects.toThrow();
      expect((await store.listOutbox()).map((m) => [m.id, m.state])).toEqual([
        [p1.id, 'rejected'],
        [a1.id, 'blocked'],
        [p2.id, 'blocked'],
      ]);

      const p3 = await store.write({ entity: 'patients', op: 'upsert', row: fixed, replacesRejected: true });
      expect(p3).toMatchObject({
        state: 'pending',
        deps: [],
        createsRow: true,
        before: null,
        attempted: false,
      });
      const outbox = await store.listOutbox();
      expect(outbox.map((m) => m.id)).toEqual([a1.id, p3.id]);
      expect(outbox[0]).toMatchObject({ deps: [p3.id], state: 'pending' });
      expect(outbox[0]?.blockedBy).toBeUndefined();
      expect(outbox[1]).toEqual(p3);
      expect(await store.getRow('patients', p.id)).toMatchObject({ phone: fixed.phone });
    });

    it('a correction in a batch is what later writes of the batch depend on', async () => {
      const p = patientRow(ids());
      const p1 = await store.write({ entity: 'patients', op: 'upsert', row: p });
      const error = { code: 'validation' as const, message: 'bad phone', field: 'phone' };
      await store.apply({ patch: [{ id: p1.id, state: 'rejected', error, attempted: true }] });
      const [p2, a1] = await store.writeAll([
        { entity: 'patients', op: 'upsert', row: { ...p, phone: '+919800000000' }, replacesRejected: true },
        { entity: 'appointments', op: 'upsert', row: appointmentRow(ids(), p.id) },
      ]);
      expect(p2).toMatchObject({ deps: [], createsRow: true, before: null });
      expect(a1?.deps).toEqual([p2?.id]);
      expect((await store.listOutbox()).map((m) => m.id)).toEqual([p2?.id, a1?.id]);
    });

    it('writes as usual with replacesRejected when nothing of the row was refused', async () => {
      const p = patientRow(ids());
      const p1 = await store.write({ entity: 'patients', op: 'upsert', row: p });
      const p2 = await store.write({
        entity: 'patients',
        op: 'upsert',
        row: { ...p, full_name: 'Asha D.' },
        replacesRejected: true,
      });
      expect(p2.deps).toEqual([p1.id]);
      expect((await store.listOutbox()).map((m) => m.id)).toEqual([p1.id, p2.id]);
    });

    it('applies pulled rows, tombstones and the cursor', async () => {
      expect(await store.getCursor()).toBeNull();
      const p = patientRow(ids());
      const doctor: Row = { id: ids(), full_name: 'Dr. Rao' };
      await store.applyPull({
        cursor: 'c1',
        changes: { ...emptyChanges, patients: [p], doctors: [doctor] },
        deleted: [],
      });
      expect(await store.listRows('doctors')).toEqual([doctor]);
      await store.applyPull({
        cursor: 'c2',
        changes: emptyChanges,
        deleted: [{ entity: 'patients', id: p.id }],
      });
      expect(await store.getRow('patients', p.id)).toBeUndefined();
      expect(await store.getCursor()).toBe('c2');
    });

    it("applies a push's answers and the page it brought together, counting the page's rows only", async () => {
      const mine = patientRow(ids());
      const m = await store.write({ entity: 'patients', op: 'upsert', row: mine });
      const other = patientRow(ids());
      const answered = { ...mine, version: 1 };
      const report = await store.applyPull(
        // The page carries the row the push wrote, as the server now holds it, and another.
        {
          cursor: 'c1',
          changes: { ...emptyChanges, patients: [{ ...mine, version: 2 }, other] },
          deleted: [],
        },
        undefined,
        { remove: [m.id], serverRows: [{ table: 'patients', key: mine.id, row: answered }] },
      );
      // The answer removed the entry first, so the page's copy of the row is no longer held back.
      expect(report).toEqual({ merged: 2, skipped: 0 });
      expect(await store.listOutbox()).toEqual([]);
      expect(await store.getRow('patients', mine.id)).toMatchObject({ version: 2 });
      expect(await store.getRow('patients', other.id)).toEqual(other);
      expect(await store.getCursor()).toBe('c1');
    });

    it('quarantines records that fail parsing instead of crashing', async () => {
      const events: StoreEvent[] = [];
      store.subscribe((e) => events.push(e));
      const good = await store.write({ entity: 'patients', op: 'upsert', row: patientRow(ids()) });
      const badId = ids();
      await h.plant('outbox', { id: badId, entity: 'nonsense', seq: 99 });
      const badPatient = ids();
      await h.plant('patients', { id: badPatient, full_name: 42 });
      expect((await store.listOutbox()).map((m) => m.id)).toEqual([good.id]);
      expect(await store.getRow('patients', badPatient)).toBeUndefined();
      const q = await store.listQuarantine();
      expect(q.map((e) => [e.table, e.key])).toEqual([
        ['outbox', badId],
        ['patients', badPatient],
      ]);
      expect(events.filter((e) => e.type === 'quarantine')).toHaveLength(2);
      // Moved, not copied: reading again reports nothing new.
      await store.listOutbox();
      expect(await store.listQuarantine()).toHaveLength(2);
      // Signing out (purging everyone) clears them: they may hold the previous user's details.
      await store.purge({ everyone: true });
      expect(await store.listQuarantine()).toEqual([]);
    });

    it('reads and quarantines an outbox record without a seq, which the counts saw', async () => {
      // Seen on IndexedDB: a record whose seq is missing or not a key is in no seq index, so every
      // read by seq passed it over, while the state index counted it: "1 waiting to send" (or "Needs
      // attention") for good, nothing ever sent, nothing set aside, no screen able to discard it.
      const good = await store.write({ entity: 'patients', op: 'upsert', row: patientRow(ids()) });
      const noSeq = ids();
      const badSeq = ids();
      await h.plant('outbox', { id: noSeq, entity: 'patients', key: ids(), state: 'pending' });
      await h.plant('outbox', { id: badSeq, entity: 'patients', key: ids(), state: 'rejected', seq: null });
      expect(await store.countOutbox()).toMatchObject({ pending: 2, rejected: 1 });
      expect((await store.listOutbox()).map((m) => m.id)).toEqual([good.id]);
      expect(await store.countOutbox()).toEqual({ pending: 1, sending: 0, rejected: 0, blocked: 0 });
      expect((await store.listQuarantine()).map((e) => e.key).sort()).toEqual([noSeq, badSeq].sort());
    });

    it('purges synced patients with their appointments and keeps unsent ones', async () => {
      const synced = patientRow(ids());
      const apt = appointmentRow(ids(), synced.id);
      await store.applyPull({
        cursor: 'c1',
        changes: { ...emptyChanges, patients: [synced], appointments: [apt] },
        deleted: [],
      });
      const unsent = patientRow(ids());
      await store.write({ entity: 'patients', op: 'upsert', row: unsent });
      const report = await store.purge({ everyone: true });
      expect(report).toEqual({ purged: [synced.id], kept: [unsent.id] });
      expect(await store.listRows('appointments')).toEqual([]);
      expect(await store.getRow('patients', unsent.id)).toBeDefined();
    });

    it('purging everyone resets the cursor (a full pull next) and voids answers fetched before it', async () => {
      const p = patientRow(ids());
      const orphan = appointmentRow(ids(), ids()); // its patient row never reached this device
      await store.applyPull({
        cursor: 'c1',
        changes: { ...emptyChanges, patients: [p], appointments: [orphan] },
        deleted: [],
      });
      const before = await store.getEpoch();
      // A write of the previous user, answered while the sign-out purges.
      const unsent = patientRow(ids());
      const m = await store.write({ entity: 'patients', op: 'upsert', row: unsent });

      const report = await store.purge({ everyone: true });
      expect(report.kept).toEqual([unsent.id]);
      expect(report.purged).toEqual(expect.arrayContaining([p.id, orphan.patient_id]));
      expect(await store.getCursor()).toBeNull();
      expect(await store.listRows('appointments')).toEqual([]);
      expect(await store.getEpoch()).toBe(before + 1);

      // A pull that went out under the old epoch brings the previous user's rows: not merged.
      const late = await store.applyPull(
        { cursor: 'c2', changes: { ...emptyChanges, patients: [p] }, deleted: [] },
        before,
      );
      expect(late).toEqual({ merged: 0, skipped: 1 });
      expect(await store.getRow('patients', p.id)).toBeUndefined();
      expect(await store.getCursor()).toBeNull();
      // A push answer under the old epoch still settles the outbox, but its rows stay out.
      await store.apply({
        remove: [m.id],
        serverRows: [{ table: 'patients', key: unsent.id, row: { ...unsent, version: 1 } }],
        epoch: before,
      });
      expect(await store.listOutbox()).toEqual([]);
      expect(await store.getRow('patients', unsent.id)).not.toMatchObject({ version: 1 });

      // Under the current epoch the next session's pull lands as usual.
      const q = patientRow(ids());
      await store.applyPull(
        { cursor: 'n1', changes: { ...emptyChanges, patients: [q] }, deleted: [] },
        await store.getEpoch(),
      );
      expect(await store.getRow('patients', q.id)).toBeDefined();
      expect(await store.getCursor()).toBe('n1');
    });

    it('purging some patients keeps the cursor and the epoch', async () => {
      const p = patientRow(ids());
      await store.applyPull({ cursor: 'c1', changes: { ...emptyChanges, patients: [p] }, deleted: [] });
      expect(await store.purge({ patientIds: [p.id] })).toEqual({ purged: [p.id], kept: [] });
      expect(await store.getCursor()).toBe('c1');
      expect(await store.getEpoch()).toBe(0);
    });

    it('purging an appointment leaves its slot taken on the device, until a pulled copy says otherwise', async () => {
      // A kiosk sends a walk-in's booking and purges it; the push's page stops below the push's own
      // rows, so the device's copy of the slot still said free and the next walk-in was offered it.
      const [held, cancelled] = [SLOTS[0], SLOTS[1]].map((slot) => slot as SlotRow);
      if (!held || !cancelled) throw new Error('fixtures: two slots');
      const p = patientRow(ids());
      const booked = appointmentRow(ids(), p.id, {}, held);
      const dropped = appointmentRow(ids(), p.id, { status: 'cancelled' }, cancelled);
      const serverRows: RowChange[] = [
        ...[held, cancelled].map((slot) => ({
          table: 'slots' as const,
          key: slot.id,
          row: { ...slot, available: true },
        })),
        { table: 'patients', key: p.id, row: { ...p, version: 1 } },
        ...[booked, dropped].map((a) => ({
          table: 'appointments' as const,
          key: a.id,
          row: { ...a, version: 1 },
        })),
      ];
      await store.apply({ serverRows });
      expect(await store.purge({ patientIds: [p.id] })).toEqual({ purged: [p.id], kept: [] });
      expect(await store.listRows('appointments')).toEqual([]);
      expect(await store.getRow('slots', held.id)).toMatchObject({ available: false });
      // A cancelled appointment held nothing: its slot stays as the server last said.
      expect(await store.getRow('slots', cancelled.id)).toMatchObject({ available: true });
    });

    it('an edit from a stale form writes only its changed fields, over the row as stored now', async () => {
      // Two tabs show the synced profile; tab A saves a new phone, then tab B (still showing the
      // old phone) saves only a new address. Whole-row writes made B put the old phone back.
      const synced = { ...patientRow(ids()), version: 1 };
      await store.apply({ serverRows: [{ table: 'patients', key: synced.id, row: synced }] });
      const a = await store.write({
        entity: 'patients',
        op: 'upsert',
        row: { ...synced, phone: '+919800000001' },
        base: synced,
      });
      const b = await store.write({
        entity: 'patients',
        op: 'upsert',
        row: { ...synced, address: 'Ward 9, Rampur' },
        base: synced,
      });
      expect(await store.getRow('patients', synced.id)).toMatchObject({
        phone: '+919800000001',
        address: 'Ward 9, Rampur',
      });
      expect(a.base).toEqual({ phone: synced.phone });
      expect(b.base).toEqual({ address: synced.address });
      expect(b.data).toMatchObject({ phone: '+919800000001', address: 'Ward 9, Rampur' });
      // A create has no base: the server has nothing to compare with.
      const fresh = patientRow(ids());
      const c = await store.write({ entity: 'patients', op: 'upsert', row: fresh, base: fresh });
      expect(c.base).toBeUndefined();
    });

    it('keeps field conflicts until dismissed or the field is edited again', async () => {
      const synced = { ...patientRow(ids()), version: 2 };
      const conflict = (field: string) => ({
        entity: 'patients' as const,
        key: synced.id,
        field,
        yours: 'mine',
        theirs: 'theirs',
        at: '2030-01-01T00:00:00.000Z',
      });
      await store.apply({
        serverRows: [{ table: 'patients', key: synced.id, row: synced }],
        conflicts: [conflict('phone'), conflict('address')],
      });
      expect((await store.listConflicts('patients', synced.id)).map((c) => c.field).sort()).toEqual([
        'address',
        'phone',
      ]);
      await store.write({
        entity: 'patients',
        op: 'upsert',
        row: { ...synced, address: 'Ward 2' },
        base: synced,
      });
      expect((await store.listConflicts('patients', synced.id)).map((c) => c.field)).toEqual(['phone']);
      await store.dismissConflict('patients', synced.id, 'phone');
      expect(await store.listConflicts('patients', synced.id)).toEqual([]);
    });

    it('writes a fresh profile and its booking with the dependencies the reading path derives', async () => {
      await store.write({ entity: 'patients', op: 'upsert', row: patientRow(ids()) });
      const p = patientRow(ids());
      const a = appointmentRow(ids(), p.id);
      const [mp, ma] = await store.writeAll([
        { entity: 'patients', op: 'upsert', row: p, fresh: true },
        { entity: 'appointments', op: 'upsert', row: a, fresh: true },
      ]);
      expect(mp).toMatchObject({ seq: 2, deps: [], before: null, createsRow: true });
      expect(ma).toMatchObject({ seq: 3, deps: [mp?.id], before: null, createsRow: true });
      expect(ma?.refKeys).toEqual([`patients:${p.id}`]);
      expect(await store.getRow('appointments', a.id)).toMatchObject(a);
      // A fresh booking of a patient already on the device reads that patient's pending writes.
      const again = await store.write({
        entity: 'appointments',
        op: 'upsert',
        row: appointmentRow(ids(), p.id),
        fresh: true,
      });
      expect(again).toMatchObject({ seq: 4, deps: [mp?.id] });
    });

    it('a fresh claim on a stored row fails, and the save is made again reading it', async () => {
      const p = patientRow(ids());
      const first = await store.write({ entity: 'patients', op: 'upsert', row: p });
      const m = await store.write({
        entity: 'patients',
        op: 'upsert',
        row: { ...p, full_name: 'Asha D.' },
        fresh: true,
      });
      expect(m).toMatchObject({ seq: first.seq + 1, deps: [first.id], createsRow: true });
      expect(m.before).toMatchObject({ full_name: p.full_name });
      expect(await store.getRow('patients', p.id)).toMatchObject({ full_name: 'Asha D.' });
      expect((await store.listOutbox()).map((x) => x.id)).toEqual([first.id, m.id]);
    });

    it("keeps seq unique and increasing when another tab saves (and sends) between this store's saves", async () => {
      const other = h.sibling();
      const row = () => ({
        entity: 'patients' as const,
        op: 'upsert' as const,
        row: patientRow(ids()),
        fresh: true,
      });
      const m1 = await store.write(row());
      const m2 = await other.write(row());
      await other.apply({ remove: [m2.id] });
      const m3 = await store.write(row());
      const m4 = await other.write(row());
      const m5 = await store.write(row());
      expect([m1, m2, m3, m4, m5].map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    });

    it('saves started together take consecutive seqs', async () => {
      await store.write({ entity: 'patients', op: 'upsert', row: patientRow(ids()) });
      const saves = await Promise.all(
        [0, 1, 2].map(() =>
          store.write({ entity: 'patients', op: 'upsert', row: patientRow(ids()), fresh: true }),
        ),
      );
      expect(saves.map((m) => m.seq)).toEqual([2, 3, 4]);
      expect((await store.listOutbox()).map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    });

    it('reports writes to subscribers', async () => {
      const events: StoreEvent[] = [];
      const off = store.subscribe((e) => events.push(e));
      const m = await store.write({ entity: 'patients', op: 'upsert', row: patientRow(ids()) });
      off();
      await store.write({ entity: 'patients', op: 'upsert', row: patientRow(ids()) });
      // `change` may come too (Dexie reports every outbox change, this tab's included).
      expect(events.filter((e) => e.type !== 'change')).toEqual([{ type: 'write', mutation: m }]);
    });
  });
}
