/**
 * One contract for every `SyncTransport` (in-process model, Supabase): run with
 * `describeTransportContract(name, setup)`. The same expectations against the model and the real
 * server are what keeps the model honest.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { isTransportError } from '../errors.ts';
import type { Row } from '../local-mutation.ts';
import {
  type EntityName,
  type Mutation,
  PULL_LIMITS,
  type PullResponse,
  type PushResult,
} from '../protocol.ts';
import type { SyncTransport } from '../transports/transport.ts';
import { appointmentRow, patientRow, type SlotRow } from './fixtures.ts';

export interface TransportFixture {
  /** A new signed-in patient user's device. */
  device(): Promise<{ transport: SyncTransport; clientId: string }>;
  /**
   * Future, unbooked slots of a clinic of this test's own; their doctors practise general medicine
   * and offer video.
   */
  slots: readonly SlotRow[];
  newId(): string;
}

function answer<S extends PushResult['status']>(results: PushResult[], id: string, status: S) {
  const found = results.find((r) => r.id === id);
  expect(found, `answer for ${id}`).toBeDefined();
  expect(found?.status, JSON.stringify(found)).toBe(status);
  return found as Extract<PushResult, { status: S }>;
}

/**
 * Every page from `cursor` on, as one answer (the rows of all pages, the last cursor). A real server
 * holds far more reference data than one page (every clinic's slots), newest rows last.
 */
export async function pullAll(transport: SyncTransport, cursor: string | null): Promise<PullResponse> {
  let page = await transport.pull(cursor);
  const all = structuredClone(page);
  for (let n = 1; page.hasMore; n++) {
    if (n > 200) throw new Error('still more pages after 200');
    page = await transport.pull(page.cursor);
    for (const table of Object.keys(all.changes) as (keyof PullResponse['changes'])[])
      all.changes[table].push(...page.changes[table]);
    all.deleted.push(...page.deleted);
    all.cursor = page.cursor;
    all.hasMore = page.hasMore;
  }
  return all;
}

export function describeTransportContract(name: string, setup: () => Promise<TransportFixture>) {
  describe(`SyncTransport contract: ${name}`, () => {
    let f: TransportFixture;
    let transport: SyncTransport;
    let clientId: string;
    const m = (entity: EntityName, data: Row | null, extra: Partial<Mutation> = {}): Mutation => ({
      id: f.newId(),
      clientId,
      entity,
      op: data ? 'upsert' : 'delete',
      key: String(data?.id ?? extra.key),
      data,
      deps: [],
      actor: null,
      createdAt: new Date().toISOString(),
      ...extra,
    });
    const slot = (i: number) => f.slots[i] as SlotRow;

    beforeEach(async () => {
      f = await setup();
      ({ transport, clientId } = await f.device());
    });

    it('applies a patient and their appointment in one call, parents first whatever the order', async () => {
      const p = patientRow(f.newId());
      const pm = m('patients', p);
      const am = m('appointments', appointmentRow(f.newId(), p.id, {}, slot(0)), { deps: [pm.id] });
      const results = await transport.push(clientId, [am, pm]);
      expect(results.map((r) => r.id)).toEqual([am.id, pm.id]);
      expect(answer(results, pm.id, 'applied').row).toMatchObject({
        id: p.id,
        full_name: p.full_name,
        version: 1,
      });
      expect(answer(results, am.id, 'applied').row).toMatchObject({ patient_id: p.id, status: 'requested' });
    });

    it('answers a replayed batch with duplicate and the first answer, applying nothing twice', async () => {
      const p = patientRow(f.newId());
      const pm = m('patients', p);
      const first = await transport.push(clientId, [pm]);
      const again = await transport.push(clientId, [pm]);
      const dup = answer(again, pm.id, 'duplicate');
      expect(dup.first).toEqual(first[0]);
      const pulled = await pullAll(transport, null);
      expect(pulled.changes.patients.find((r) => r.id === p.id)).toMatchObject({ version: 1 });
    });

    it('rejects an appointment whose patient is nowhere with missing_parent', async () => {
      const am = m('appointments', appointmentRow(f.newId(), f.newId(), {}, slot(0)));
      const r = answer(await transport.push(clientId, [am]), am.id, 'rejected');
      expect([r.code, r.field]).toEqual(['missing_parent', 'patient_id']);
    });

    it('blocks what depends on a rejected mutation, and a rejection leaves no trace', async () => {
      const p = patientRow(f.newId(), { date_of_birth: '2999-01-01' });
      const pm = m('patients', p);
      const am = m('appointments', appointmentRow(f.newId(), p.id, {}, slot(0)), { deps: [pm.id] });
      const results = await transport.push(clientId, [pm, am]);
      const rejected = answer(results, pm.id, 'rejected');
      expect([rejected.code, rejected.field]).toEqual(['validation', 'date_of_birth']);
      expect(answer(results, am.id, 'blocked').blockedBy).toBe(pm.id);
      // The same batch again: the refusal is the ledger's answer for that id, whatever it carries now;
      // what waits behind it is still blocked, not refused for a patient the server lacks.
      const replay = await transport.push(clientId, [
        { ...pm, data: { ...p, date_of_birth: '1990-01-01' } },
        am,
      ]);
      expect(answer(replay, pm.id, 'duplicate').first).toEqual(rejected);
      expect(answer(replay, am.id, 'blocked').blockedBy).toBe(pm.id);
      // The device's fix is a new write (a new id): it applies, and so does what waited behind it.
      const fix = m('patients', { ...p, date_of_birth: '1990-01-01' });
      const fixed = await transport.push(clientId, [fix, { ...am, deps: [fix.id] }]);
      answer(fixed, fix.id, 'applied');
      answer(fixed, am.id, 'applied');
    });

    it('answers a late copy of a refused booking with the refusal, even once the slot is free', async () => {
      const p = patientRow(f.newId());
      const held = m('appointments', appointmentRow(f.newId(), p.id, {}, slot(2)));
      answer(await transport.push(clientId, [m('patients', p), held]), held.id, 'applied');
      const other = await f.device();
      const q = patientRow(f.newId());
      const mine = {
        ...m('appointments', appointmentRow(f.newId(), q.id, {}, slot(2))),
        clientId: other.clientId,
      };
      const qm = { ...m('patients', q), clientId: other.clientId };
      const refused = answer(await other.transport.push(other.clientId, [qm, mine]), mine.id, 'rejected');
      expect(refused.code).toBe('slot_taken');
      // The first booking is deleted; the slot is free. The other device's user discarded theirs, but
      // a request it gave up on arrives now: it must not book the slot behind their back.
      const freed = m('appointments', null, { key: held.key });
      answer(await transport.push(clientId, [freed]), freed.id, 'applied');
      const late = await other.transport.push(other.clientId, [mine]);
      expect(answer(late, mine.id, 'duplicate').first).toEqual(refused);
      const pulled = await pullAll(other.transport, null);
      expect(pulled.changes.appointments.map((r) => r.id)).not.toContain(mine.key);
    });

    it('rejects a second active booking of a slot, by another patient, with slot_taken', async () => {
      const p = patientRow(f.newId());
      const a1 = m('appointments', appointmentRow(f.newId(), p.id, {}, slot(1)));
      answer(await transport.push(clientId, [m('patients', p), a1]), a1.id, 'applied');
      const other = await f.device();
      const q = patientRow(f.newId());
      const a2 = m('appointments', appointmentRow(f.newId(), q.id, {}, slot(1)));
      const theirs = [m('patients', q), a2].map((x) => ({ ...x, clientId: other.clientId }));
      const r = answer(await other.transport.push(other.clientId, theirs), a2.id, 'rejected');
      expect([r.code, r.field]).toEqual(['slot_taken', 'slot_id']);
    });

    it('says own_booking when the slot is held by the same patient (booked twice offline)', async () => {
      const p = patientRow(f.newId());
      const a1 = m('appointments', appointmentRow(f.newId(), p.id, {}, slot(1)));
      const a2 = m('appointments', appointmentRow(f.newId(), p.id, {}, slot(1)));
      const results = await transport.push(clientId, [m('patients', p), a1, a2]);
      answer(results, a1.id, 'applied');
      const r = answer(results, a2.id, 'rejected');
      expect([r.code, r.field]).toEqual(['own_booking', 'slot_id']);
    });

    it('answers a status change the patient may not make with transition, naming from → to', async () => {
      const p = patientRow(f.newId());
      const a = appointmentRow(f.newId(), p.id, {}, slot(0));
      const booked = m('appointments', a);
      answer(await transport.push(clientId, [m('patients', p), booked]), booked.id, 'applied');
      for (const [status, from] of [
        ['confirmed', 'requested'],
        ['checked_in', 'requested'],
      ] as const) {
        const w = m('appointments', { ...a, status });
        const r = answer(await transport.push(clientId, [w]), w.id, 'rejected');
        expect([r.code, r.field]).toEqual(['transition', 'status']);
        expect(r.message).toContain(`${from} → ${status} is not allowed`);
      }
      const cancel = m('appointments', { ...a, status: 'cancelled' });
      expect(answer(await transport.push(clientId, [cancel]), cancel.id, 'applied').row).toMatchObject({
        status: 'cancelled',
      });
      const again = m('appointments', a);
      const r = answer(await transport.push(clientId, [again]), again.id, 'rejected');
      expect([r.code, r.message]).toEqual(['transition', expect.stringContaining('cancelled → requested')]);
    });

    it('keeps join_url to itself: a video room a device sends is dropped', async () => {
      const p = patientRow(f.newId());
      const am = m('appointments', {
        ...appointmentRow(f.newId(), p.id, {}, slot(3)),
        join_url: 'https://x.example/r',
      });
      const results = await transport.push(clientId, [m('patients', p), am]);
      expect(answer(results, am.id, 'applied').row).toMatchObject({ join_url: null });
    });

    it('books a request by specialty into a free slot of that day, or answers no_slot', async () => {
      const p = patientRow(f.newId());
      const target = slot(4);
      // The slot's day in clinic time (Asia/Kolkata, UTC+05:30).
      const kolkataDay = (at: unknown) =>
        new Date(Date.parse(String(at)) + 330 * 60_000).toISOString().slice(0, 10);
      const day = kolkataDay(target.starts_at);
      const asked = {
        ...appointmentRow(f.newId(), p.id, {}, target),
        slot_id: null,
        doctor_id: null,
        starts_at: null,
        ends_at: null,
        requested_specialty: 'general medicine' as const,
        preferred_date: day,
        preferred_window: 'any' as const,
      };
      const req = m('appointments', asked);
      const none = m('appointments', { ...asked, id: f.newId(), preferred_date: '2099-06-01' });
      const results = await transport.push(clientId, [m('patients', p), req, none]);
      const row = answer(results, req.id, 'applied').row;
      expect(row).toMatchObject({
        status: 'requested',
        mode: target.mode,
        preferred_date: day,
        preferred_window: 'any',
      });
      expect(typeof row?.slot_id).toBe('string');
      expect(kolkataDay(row?.starts_at)).toBe(day);
      const refused = answer(results, none.id, 'rejected');
      const mode = target.mode === 'video' ? 'video' : 'in-clinic';
      expect([refused.code, refused.message]).toEqual([
        'no_slot',
        `no free general medicine ${mode} slot on 2099-06-01 at any time`,
      ]);
    });

    it('treats deleting a row that is gone as done, and reports deletions on pull', async () => {
      const p = patientRow(f.newId());
      const a = appointmentRow(f.newId(), p.id, {}, slot(2));
      await transport.push(clientId, [m('patients', p), m('appointments', a)]);
      const first = await pullAll(transport, null);
      expect(first.changes.patients.map((r) => r.id)).toContain(p.id);
      expect(first.changes.slots.length).toBeGreaterThan(0);
      const del = m('appointments', null, { key: a.id });
      const delAgain = m('appointments', null, { key: a.id });
      const results = await transport.push(clientId, [del, delAgain]);
      expect(answer(results, del.id, 'applied').row).toBeNull();
      expect(answer(results, delAgain.id, 'applied').row).toBeNull();
      const next = await pullAll(transport, first.cursor);
      expect(next.deleted).toContainEqual({ entity: 'appointments', id: a.id });
      expect(next.changes.patients).toEqual([]);
    });

    it('pulls in pages: more changes than a page come in several, each row once, the cursor moving on', async () => {
      const start = await pullAll(transport, null);
      expect(start.hasMore).toBe(false);
      const p = patientRow(f.newId());
      const booked = [0, 1, 2].map((i) => appointmentRow(f.newId(), p.id, {}, slot(i)));
      const results = await transport.push(clientId, [
        m('patients', p),
        ...booked.map((a) => m('appointments', a)),
      ]);
      expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
      await transport.push(clientId, [
        m('appointments', { ...(booked[0] as Row), reason: 'Fever, now with a rash' }),
      ]);

      const pages: PullResponse[] = [];
      let cursor = start.cursor;
      for (;;) {
        const page = await transport.pull(cursor, { maxRows: 2 });
        pages.push(page);
        const size = Object.values(page.changes).reduce((n, rows) => n + rows.length, page.deleted.length);
        expect(size).toBeLessThanOrEqual(2);
        if (!page.hasMore) break;
        expect(size).toBe(2);
        expect(page.cursor).not.toBe(cursor);
        cursor = page.cursor;
        expect(pages.length).toBeLessThan(50);
      }
      // Four rows of ours (one written twice, delivered once as its latest version): two pages of
      // two at least (the real server adds the booked slots).
      expect(pages.length).toBeGreaterThanOrEqual(2);
      const ours = pages.flatMap((pg) => [...pg.changes.patients, ...pg.changes.appointments]);
      expect(ours.map((r) => r.id).sort()).toEqual([p.id, ...booked.map((a) => a.id)].sort());
      expect(ours.find((r) => r.id === booked[0]?.id)).toMatchObject({
        reason: 'Fever, now with a rash',
        version: 2,
      });
      // Caught up: the last cursor has nothing more of ours.
      const after = await pullAll(transport, (pages.at(-1) as PullResponse).cursor);
      expect([...after.changes.patients, ...after.changes.appointments]).toEqual([]);
    });

    /** The transport's push with its pull page; every transport of this suite has one. */
    const pushAndPull = (...args: Parameters<NonNullable<SyncTransport['pushAndPull']>>) => {
      if (!transport.pushAndPull) throw new Error(`${name} has no pushAndPull`);
      return transport.pushAndPull(...args);
    };

    it('answers a push with the pull page after it: nothing lost, what others wrote since the cursor', async () => {
      const start = await pullAll(transport, null);
      const p = patientRow(f.newId());
      const pm = m('patients', p);
      const first = await pushAndPull(clientId, [pm], { since: start.cursor });
      expect(first.results.map((r) => r.status)).toEqual(['applied']);
      expect(first.pull?.hasMore).toBe(false);
      // The batch's own rows are in this page or, from a server whose page stops below its own
      // transaction, in the next one: never in neither.
      const since = first.pull?.cursor ?? null;
      const then = await transport.pull(since);
      expect([...(first.pull?.changes.patients ?? []), ...then.changes.patients]).toContainEqual(
        expect.objectContaining({ id: p.id, version: 1 }),
      );
      // Another device of the same user edits the row; this device's next push carries it back.
      const other = f.newId();
      const edit = { ...m('patients', { ...p, address: 'Ward 9, Rampur' }), clientId: other };
      answer(await transport.push(other, [edit]), edit.id, 'applied');
      const next = await pushAndPull(clientId, [], { since });
      expect(next.results).toEqual([]);
      expect(next.pull?.changes.patients).toMatchObject([
        { id: p.id, address: 'Ward 9, Rampur', version: 2 },
      ]);
    });

    it('pages the pull of a push like a pull: from the start, max_rows at a time, nothing lost', async () => {
      const p = patientRow(f.newId());
      const booked = appointmentRow(f.newId(), p.id, {}, slot(0));
      const { results, pull } = await pushAndPull(clientId, [m('patients', p), m('appointments', booked)], {
        since: null,
        maxRows: 2,
      });
      expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);
      if (!pull) throw new Error('no page in the answer');
      const size = Object.values(pull.changes).reduce((n, rows) => n + rows.length, pull.deleted.length);
      expect([size, pull.hasMore]).toEqual([2, true]);
      const rest = await pullAll(transport, pull.cursor);
      const seen = (table: 'patients' | 'appointments' | 'slots') =>
        [...pull.changes[table], ...rest.changes[table]].map((r) => r.id);
      expect(seen('patients')).toContain(p.id);
      expect(seen('appointments')).toContain(booked.id);
      expect(seen('slots')).toEqual(expect.arrayContaining(f.slots.map((s) => s.id)));
    });

    it('refuses the whole push when its pull cannot be answered: nothing of the batch is applied', async () => {
      const p = patientRow(f.newId());
      const pm = m('patients', p);
      for (const request of [{ since: 'not a cursor' }, { since: null, maxRows: 0 }]) {
        const err = await pushAndPull(clientId, [pm], request).catch((e: unknown) => e);
        expect(isTransportError(err) && err.kind, JSON.stringify(request)).toBe('bad_request');
      }
      // Not in the ledger: applied now, not answered as a duplicate.
      answer(await transport.push(clientId, [pm]), pm.id, 'applied');
    });

    it('refuses a page size out of range', async () => {
      for (const maxRows of [0, 10_001]) {
        const err = await transport.pull(null, { maxRows }).catch((e: unknown) => e);
        expect(isTransportError(err) && err.kind).toBe('bad_request');
      }
      for (const maxBytes of [PULL_LIMITS.minBytes - 1, PULL_LIMITS.maxBytes + 1]) {
        const err = await transport.pull(null, { maxBytes }).catch((e: unknown) => e);
        expect(isTransportError(err) && err.kind).toBe('bad_request');
      }
    });

    it('pulls in pages sized in bytes: a row or two a page at the smallest budget, each row once', async () => {
      const start = await pullAll(transport, null);
      const p = patientRow(f.newId());
      const booked = [0, 1].map((i) => appointmentRow(f.newId(), p.id, {}, slot(i)));
      await transport.push(clientId, [m('patients', p), ...booked.map((a) => m('appointments', a))]);

      const pages: PullResponse[] = [];
      for (let cursor = start.cursor; ; ) {
        const page = await transport.pull(cursor, { maxBytes: PULL_LIMITS.minBytes, maxRows: 1000 });
        pages.push(page);
        if (!page.hasMore) break;
        cursor = page.cursor;
        expect(pages.length).toBeLessThan(50);
      }
      // A patient and an appointment are each about half a kilobyte: not all three fit one page.
      expect(pages.length).toBeGreaterThanOrEqual(2);
      const ours = pages.flatMap((pg) => [...pg.changes.patients, ...pg.changes.appointments]);
      expect(ours.map((r) => r.id).sort()).toEqual([p.id, ...booked.map((a) => a.id)].sort());
    });

    it('does not let an old write of this device that arrives late overwrite a newer one', async () => {
      const p = patientRow(f.newId());
      const created = m('patients', p, { seq: 1 });
      answer(await transport.push(clientId, [created]), created.id, 'applied');
      const newer = m('patients', { ...p, full_name: 'Newer name' }, { seq: 3 });
      answer(await transport.push(clientId, [newer]), newer.id, 'applied');
      // Sent before `newer` (seq 2), given up on by the device, and only now reaching the server.
      const late = m('patients', { ...p, full_name: 'Older name' }, { seq: 2 });
      const superseded = answer(await transport.push(clientId, [late]), late.id, 'applied');
      expect(superseded.row).toMatchObject({ id: p.id, full_name: 'Newer name', version: 2 });
      expect(superseded.row).not.toHaveProperty('last_client_seq');
      // In the ledger like any applied answer.
      expect(answer(await transport.push(clientId, [late]), late.id, 'duplicate').first).toEqual(superseded);
      // The same seq again is not older: a write sent again under a new id still applies.
      const same = m('patients', { ...p, full_name: 'Same seq' }, { seq: 3 });
      expect(answer(await transport.push(clientId, [same]), same.id, 'applied').row).toMatchObject({
        full_name: 'Same seq',
        version: 3,
      });
      // Another device of the same user: last write wins, whatever its seq.
      const tablet = f.newId();
      const other = {
        ...m('patients', { ...p, full_name: 'From the tablet' }, { seq: 1 }),
        clientId: tablet,
      };
      expect(answer(await transport.push(tablet, [other]), other.id, 'applied').row).toMatchObject({
        full_name: 'From the tablet',
        version: 4,
      });
      // Without seq (an older client): last write wins too.
      const unguarded = m('patients', { ...p, full_name: 'No seq' });
      expect(answer(await transport.push(clientId, [unguarded]), unguarded.id, 'applied').row).toMatchObject({
        full_name: 'No seq',
      });
      const pulled = await pullAll(transport, null);
      expect(pulled.changes.patients.find((r) => r.id === p.id)).toMatchObject({
        full_name: 'No seq',
        version: 5,
      });
      expect(pulled.changes.patients.find((r) => r.id === p.id)).not.toHaveProperty('last_client_id');
    });

    it('does not let a late write bring back a row this device deleted, nor a late delete remove a newer row', async () => {
      const p = patientRow(f.newId());
      const a = appointmentRow(f.newId(), p.id, {}, slot(0));
      const b = appointmentRow(f.newId(), p.id, {}, slot(1));
      await transport.push(clientId, [
        m('patients', p, { seq: 1 }),
        m('appointments', a, { seq: 2 }),
        m('appointments', b, { seq: 3 }),
      ]);
      // a: deleted at seq 5; its edit of seq 4 arrives after.
      const del = m('appointments', null, { key: a.id, seq: 5 });
      answer(await transport.push(clientId, [del]), del.id, 'applied');
      const lateEdit = m('appointments', { ...a, reason: 'Late edit' }, { seq: 4 });
      expect(answer(await transport.push(clientId, [lateEdit]), lateEdit.id, 'applied').row).toBeNull();
      // b: edited at seq 7; its delete of seq 6 arrives after.
      const edit = m('appointments', { ...b, reason: 'Newer reason' }, { seq: 7 });
      answer(await transport.push(clientId, [edit]), edit.id, 'applied');
      const lateDelete = m('appointments', null, { key: b.id, seq: 6 });
      expect(
        answer(await transport.push(clientId, [lateDelete]), lateDelete.id, 'applied').row,
      ).toMatchObject({
        id: b.id,
        reason: 'Newer reason',
      });
      // c: never reached the server: deleted (seq 9) before its create (seq 8) got through.
      const c = appointmentRow(f.newId(), p.id, {}, slot(2));
      const gone = m('appointments', null, { key: c.id, seq: 9 });
      answer(await transport.push(clientId, [gone]), gone.id, 'applied');
      const lateCreate = m('appointments', c, { seq: 8 });
      expect(answer(await transport.push(clientId, [lateCreate]), lateCreate.id, 'applied').row).toBeNull();

      const pulled = await pullAll(transport, null);
      expect(pulled.changes.appointments.map((r) => r.id).sort()).toEqual([b.id]);
      // A write of the same id after the delete, with a later seq, creates it again.
      const again = m('appointments', c, { seq: 10 });
      expect(answer(await transport.push(clientId, [again]), again.id, 'applied').row).toMatchObject({
        id: c.id,
      });
    });

    it('applies field-level edits of two devices: different fields both survive', async () => {
      const p = patientRow(f.newId());
      await transport.push(clientId, [m('patients', p)]);
      // Device B (another client of the same user) still shows the row as created.
      const phone = m('patients', { ...p, phone: '+919800000001' }, { base: { phone: p.phone } });
      expect(answer(await transport.push(clientId, [phone]), phone.id, 'applied').conflicts ?? []).toEqual(
        [],
      );
      const other = f.newId();
      const address = {
        ...m('patients', { ...p, address: 'Ward 9, Rampur' }, { base: { address: p.address } }),
        clientId: other,
      };
      const r = answer(await transport.push(other, [address]), address.id, 'applied');
      expect(r.conflicts ?? []).toEqual([]);
      expect(r.row).toMatchObject({ phone: '+919800000001', address: 'Ward 9, Rampur', version: 3 });
    });

    it('answers the later edit of the same field with a conflict, keeping the first', async () => {
      const p = patientRow(f.newId());
      await transport.push(clientId, [m('patients', p)]);
      const first = m('patients', { ...p, phone: '+919800000001' }, { base: { phone: p.phone } });
      answer(await transport.push(clientId, [first]), first.id, 'applied');
      const other = f.newId();
      const later = {
        ...m(
          'patients',
          { ...p, phone: '+919800000002', full_name: 'Asha D.' },
          { base: { phone: p.phone, full_name: p.full_name } },
        ),
        clientId: other,
      };
      const r = answer(await transport.push(other, [later]), later.id, 'applied');
      expect(r.conflicts).toEqual([{ field: 'phone', yours: '+919800000002', theirs: '+919800000001' }]);
      // The other field of the same write applies.
      expect(r.row).toMatchObject({ phone: '+919800000001', full_name: 'Asha D.' });
      // A replay gets the first answer, conflicts and all.
      const again = answer(await transport.push(other, [later]), later.id, 'duplicate');
      expect(again.first).toMatchObject({ status: 'applied', conflicts: r.conflicts });
      // The same new value as the row already holds is no conflict.
      const same = {
        ...m('patients', { ...p, phone: '+919800000001' }, { base: { phone: p.phone } }),
        clientId: other,
      };
      expect(answer(await transport.push(other, [same]), same.id, 'applied').conflicts ?? []).toEqual([]);
    });

    it('compares the timestamps of a base as instants, whatever their written form', async () => {
      const p = patientRow(f.newId());
      const a = appointmentRow(f.newId(), p.id, {}, slot(0));
      await transport.push(clientId, [m('patients', p), m('appointments', a)]);
      const other = (iso: string) => new Date(iso).toISOString().replace('Z', '+00:00');
      const moved = m(
        'appointments',
        {
          ...a,
          slot_id: slot(1).id,
          doctor_id: slot(1).doctor_id,
          starts_at: slot(1).starts_at,
          ends_at: slot(1).ends_at,
          mode: slot(1).mode,
        },
        {
          base: {
            slot_id: slot(0).id,
            doctor_id: slot(0).doctor_id,
            starts_at: other(slot(0).starts_at),
            ends_at: other(slot(0).ends_at),
            mode: slot(0).mode,
          },
        },
      );
      const r = answer(await transport.push(clientId, [moved]), moved.id, 'applied');
      expect(r.conflicts ?? []).toEqual([]);
      expect(r.row).toMatchObject({ slot_id: slot(1).id });
    });

    it("keeps one user's patient from another user", async () => {
      const p = patientRow(f.newId());
      await transport.push(clientId, [m('patients', p)]);
      const other = await f.device();
      const steal: Mutation = {
        ...m('patients', { ...p, full_name: 'Someone else' }),
        clientId: other.clientId,
      };
      const r = answer(await other.transport.push(other.clientId, [steal]), steal.id, 'rejected');
      expect(r.code).toBe('forbidden');
      const theirs = await pullAll(other.transport, null);
      expect(theirs.changes.patients.map((r) => r.id)).not.toContain(p.id);
    });

    it('throws a typed bad_response when the answer breaks the protocol', async () => {
      const err = await transport
        .push(clientId, [{ id: 'nope' } as unknown as Mutation])
        .catch((e: unknown) => e);
      expect(isTransportError(err) && err.kind).toBe('bad_response');
    });
  });
}
