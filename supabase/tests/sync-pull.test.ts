/**
 * sync_pull over supabase-js against the real stack: what each caller sees, reference data with
 * slot availability, tombstones, a cursor that neither skips nor repeats a row when transactions
 * commit out of order, and pages that stay exact while other transactions write between them.
 */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PullResponse } from '../../sync/protocol.ts';
import { connect, newUser, sql, type TestUser } from './stack-clients.ts';
import {
  answer,
  appointmentRow,
  createClinic,
  mutation,
  newStaff,
  patientRow,
  pull,
  pullPage,
  push,
  type Row,
  type TestClinic,
  type TestSlot,
  upsertAppointment,
  upsertPatient,
} from './sync-fixtures.ts';

const SEEDED_CLINIC = 'c1a1c000-0000-4000-8000-000000000001';
const SEEDED_DOCTOR = 'd0c70000-0000-4000-8000-000000000001';

let clinic: TestClinic;

beforeAll(async () => {
  clinic = await createClinic(20);
});

function takeSlot(): TestSlot {
  const slot = clinic.slots.shift();
  if (!slot) throw new Error('out of test slots');
  return slot;
}

interface Device {
  user: TestUser;
  client: SupabaseClient;
  clientId: string;
}

function device(user: TestUser): Device {
  return { user, client: user.client, clientId: randomUUID() };
}

async function patientDevice(label: string): Promise<Device & { patient: Row; appointment: Row }> {
  const d = device(await newUser(label));
  const patient = patientRow();
  const appointment = appointmentRow(String(patient.id), takeSlot());
  const results = await push(d.client, d.clientId, [
    upsertPatient(d.clientId, patient),
    upsertAppointment(d.clientId, appointment),
  ]);
  expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);
  return { ...d, patient, appointment };
}

const ids = (rows: Row[]): string[] => rows.map((r) => String(r.id)).sort();

/**
 * Pulls from `cursor` again and again until `done` holds for everything pulled so far; returns
 * every response, so a test can count how often each row came.
 */
async function pullUntil(
  client: SupabaseClient,
  cursor: string,
  done: (pulled: PullResponse[]) => boolean,
  maxPulls = 50,
): Promise<PullResponse[]> {
  const pulled: PullResponse[] = [];
  let next = cursor;
  while (!done(pulled)) {
    if (pulled.length >= maxPulls) throw new Error(`still waiting after ${maxPulls} pulls`);
    const response = await pull(client, next);
    pulled.push(response);
    next = response.cursor;
  }
  return pulled;
}

describe('sync_pull: what each caller sees', () => {
  it('gives a patient their own rows and reference data, and nobody else’s rows', async () => {
    const a = await patientDevice('pull-a');
    const b = await patientDevice('pull-b');
    const staff = device(await newStaff(clinic.clinicId, 'pull-staff'));
    const walkIn = patientRow();
    await push(staff.client, staff.clientId, [upsertPatient(staff.clientId, walkIn)]);

    const forA = await pull(a.client);
    expect(ids(forA.changes.patients)).toEqual([a.patient.id]);
    expect(ids(forA.changes.appointments)).toEqual([a.appointment.id]);
    expect(forA.deleted).toEqual([]);
    expect(forA.changes.patients[0]).not.toHaveProperty('txid');
    expect(forA.changes.patients[0]).toMatchObject({ user_id: a.user.userId, version: 1 });
    expect(ids(forA.changes.clinics)).toEqual(expect.arrayContaining([SEEDED_CLINIC, clinic.clinicId]));
    expect(ids(forA.changes.doctors)).toEqual(expect.arrayContaining([SEEDED_DOCTOR, clinic.doctorId]));
    const bookedSlot = forA.changes.slots.find((s) => s.id === a.appointment.slot_id);
    expect(bookedSlot).toMatchObject({ available: false, doctor_id: clinic.doctorId });
    expect(forA.changes.slots.every((s) => typeof s.available === 'boolean')).toBe(true);
    expect(forA.changes.slots.every((s) => new Date(String(s.ends_at)) > new Date())).toBe(true);

    const forB = await pull(b.client);
    expect(ids(forB.changes.patients)).toEqual([b.patient.id]);
    expect(ids(forB.changes.appointments)).toEqual([b.appointment.id]);

    const forStaff = await pull(staff.client);
    expect(ids(forStaff.changes.patients)).toEqual([walkIn.id]);
    // The clinic runs its doctors' day: A's and B's bookings, without their profiles.
    expect(ids(forStaff.changes.appointments)).toEqual(
      expect.arrayContaining([a.appointment.id, b.appointment.id]),
    );
    expect(forStaff.changes.appointments.every((r) => r.doctor_id === clinic.doctorId)).toBe(true);
  });

  it('refuses a cursor it did not give out, and starts over on one from another database', async () => {
    const a = await patientDevice('pull-cursor');
    const { error } = await a.client.rpc('sync_pull', { since: 'yesterday' });
    expect(error?.code).toBe('22023');
    expect(error?.message).toMatch(/not a cursor/);
    const fromTheFuture = await pull(a.client, '9000000000000000000');
    expect(ids(fromTheFuture.changes.patients)).toEqual([a.patient.id]);
  });
});

describe('sync_pull: cursor', () => {
  it('delivers each change once: nothing repeats, and a later change comes in the next pull', async () => {
    const a = await patientDevice('pull-once');
    const first = await pull(a.client);
    const renamed = { ...a.patient, full_name: 'Sunita Devi Sharma' };
    await push(a.client, a.clientId, [upsertPatient(a.clientId, renamed)]);

    const pulled = await pullUntil(a.client, first.cursor, (p) =>
      p.some((r) => r.changes.patients.length > 0),
    );
    const after = await pull(a.client, pulled.at(-1)!.cursor);

    const patients = [...pulled, after].flatMap((r) => r.changes.patients);
    expect(patients).toEqual([
      expect.objectContaining({ id: a.patient.id, full_name: renamed.full_name, version: 2 }),
    ]);
    expect([...pulled, after].flatMap((r) => r.changes.appointments)).toEqual([]);
  });

  it('never skips nor repeats a row whose transaction commits after a later one', async () => {
    const staff = device(await newStaff(clinic.clinicId, 'pull-race'));
    const start = await pull(staff.client);
    const early = patientRow({ clinic_id: clinic.clinicId, registered_by: staff.user.userId });
    const late = patientRow({ clinic_id: clinic.clinicId, registered_by: staff.user.userId });
    const insert = `insert into public.patients (id, clinic_id, registered_by, full_name, date_of_birth, sex, preferred_language)
      values ($1, $2, $3, $4, $5, $6, $7)`;
    const params = (row: Row) => [
      row.id,
      row.clinic_id,
      row.registered_by,
      row.full_name,
      row.date_of_birth,
      row.sex,
      row.preferred_language,
    ];

    // `early` starts first (smaller transaction id) but commits last.
    const open = await connect();
    const pulled: PullResponse[] = [];
    try {
      await open.query('begin');
      await open.query(insert, params(early));
      await sql(insert, params(late));
      const during = await pull(staff.client, start.cursor);
      pulled.push(during);
      expect(ids(during.changes.patients)).not.toContain(early.id);
      await open.query('commit');
    } finally {
      await open.end();
    }
    const seen = (p: PullResponse[]) => p.flatMap((r) => ids(r.changes.patients));
    pulled.push(
      ...(await pullUntil(staff.client, pulled[0]!.cursor, (p) => {
        const all = seen([...pulled, ...p]);
        return all.includes(String(early.id)) && all.includes(String(late.id));
      })),
    );
    pulled.push(await pull(staff.client, pulled.at(-1)!.cursor));

    const all = seen(pulled);
    expect(all.filter((id) => id === early.id)).toHaveLength(1);
    expect(all.filter((id) => id === late.id)).toHaveLength(1);
    expect(all).toHaveLength(2);
  });

  it('moves a slot into the next pull of every device when it is booked and freed', async () => {
    const a = await patientDevice('pull-slot-a');
    const b = await patientDevice('pull-slot-b');
    const start = await pull(b.client);
    const slot = takeSlot();
    const booking = appointmentRow(String(a.patient.id), slot);
    await push(a.client, a.clientId, [upsertAppointment(a.clientId, booking)]);

    const booked = await pullUntil(b.client, start.cursor, (p) =>
      p.some((r) => r.changes.slots.some((s) => s.id === slot.id)),
    );
    expect(booked.flatMap((r) => r.changes.slots).filter((s) => s.id === slot.id)).toEqual([
      expect.objectContaining({ available: false }),
    ]);
    expect(booked.flatMap((r) => r.changes.appointments)).toEqual([]);

    await push(a.client, a.clientId, [upsertAppointment(a.clientId, { ...booking, status: 'cancelled' })]);
    const freed = await pullUntil(b.client, booked.at(-1)!.cursor, (p) =>
      p.some((r) => r.changes.slots.some((s) => s.id === slot.id)),
    );
    expect(freed.flatMap((r) => r.changes.slots).filter((s) => s.id === slot.id)).toEqual([
      expect.objectContaining({ available: true }),
    ]);
  });
});

describe('sync_pull: deletes', () => {
  it('sends tombstones to the owner only', async () => {
    const a = await patientDevice('pull-delete-a');
    const b = await patientDevice('pull-delete-b');
    const startA = await pull(a.client);
    const startB = await pull(b.client);
    const drop = mutation(a.clientId, {
      entity: 'appointments',
      op: 'delete',
      key: String(a.appointment.id),
    });
    answer(await push(a.client, a.clientId, [drop]), drop.id, 'applied');

    const forA = await pullUntil(a.client, startA.cursor, (p) => p.some((r) => r.deleted.length > 0));
    expect(forA.flatMap((r) => r.deleted)).toEqual([{ entity: 'appointments', id: a.appointment.id }]);
    const forB = await pull(b.client, startB.cursor);
    expect(forB.deleted).toEqual([]);
  });

  it('sends the staff of the clinic tombstones for a deleted walk-in and its appointments', async () => {
    const staff = device(await newStaff(clinic.clinicId, 'pull-delete-staff'));
    const walkIn = patientRow();
    const booking = appointmentRow(String(walkIn.id), takeSlot());
    await push(staff.client, staff.clientId, [
      upsertPatient(staff.clientId, walkIn),
      upsertAppointment(staff.clientId, booking),
    ]);
    const start = await pull(staff.client);
    await push(staff.client, staff.clientId, [
      mutation(staff.clientId, { entity: 'patients', op: 'delete', key: String(walkIn.id) }),
    ]);

    const pulled = await pullUntil(staff.client, start.cursor, (p) => p.some((r) => r.deleted.length > 0));
    const deleted = pulled.flatMap((r) => r.deleted);
    expect(deleted).toEqual(
      expect.arrayContaining([
        { entity: 'patients', id: walkIn.id },
        { entity: 'appointments', id: booking.id },
      ]),
    );
    expect(deleted).toHaveLength(2);
  });

  it('drops the tombstone when a deleted id is written again', async () => {
    const a = await patientDevice('pull-recreate');
    const start = await pull(a.client);
    const drop = mutation(a.clientId, {
      entity: 'appointments',
      op: 'delete',
      key: String(a.appointment.id),
    });
    const recreated = upsertAppointment(
      a.clientId,
      { ...appointmentRow(String(a.patient.id), takeSlot()), id: a.appointment.id },
      [drop.id],
    );
    const results = await push(a.client, a.clientId, [drop, recreated]);
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);

    const pulled = await pullUntil(a.client, start.cursor, (p) =>
      p.some((r) => r.changes.appointments.length > 0),
    );
    expect(pulled.flatMap((r) => r.deleted)).toEqual([]);
    expect(ids(pulled.flatMap((r) => r.changes.appointments))).toEqual([a.appointment.id]);
  });
});

describe('sync_pull: pages', () => {
  const insert = `insert into public.patients (id, clinic_id, registered_by, full_name, date_of_birth, sex, preferred_language)
    values ($1, $2, $3, $4, '1984-07-15', 'female', 'hi')`;

  /** A kiosk of a clinic of its own, caught up: its cursor, and a way to add walk-ins by SQL. */
  async function caughtUpKiosk(label: string) {
    const own = await createClinic(0);
    const staff = device(await newStaff(own.clinicId, label));
    const start = await pull(staff.client);
    const walkIn = (name: string) => [randomUUID(), own.clinicId, staff.user.userId, name];
    return { staff, start, walkIn };
  }

  /** Pages of `maxRows` from `cursor` until hasMore is false; checks the page contract on the way. */
  async function pages(client: SupabaseClient, cursor: string, maxRows: number): Promise<PullResponse[]> {
    const out: PullResponse[] = [];
    let next = cursor;
    for (;;) {
      const page = await pullPage(client, next, maxRows);
      const size = Object.values(page.changes).reduce((n, rows) => n + rows.length, page.deleted.length);
      expect(size).toBeLessThanOrEqual(maxRows);
      if (page.hasMore) expect(size).toBe(maxRows);
      out.push(page);
      if (!page.hasMore) return out;
      if (out.length > 100) throw new Error('more than 100 pages');
      next = page.cursor;
    }
  }

  const patientIds = (pulled: PullResponse[]) =>
    pulled.flatMap((r) => r.changes.patients.map((p) => String(p.id)));

  it('splits one transaction’s rows across pages and delivers each once, in order', async () => {
    const k = await caughtUpKiosk('pages-one-tx');
    const rows = Array.from({ length: 7 }, (_, i) => k.walkIn(`Walk-in ${i}`));
    const db = await connect();
    try {
      await db.query('begin');
      for (const r of rows) await db.query(insert, r);
      await db.query('commit');
    } finally {
      await db.end();
    }
    const pulled = await pages(k.staff.client, k.start.cursor, 3);
    expect(pulled.length).toBeGreaterThanOrEqual(3);
    // A page ended inside the transaction: its cursor names a row, not a transaction (and the
    // slot window's end).
    expect(pulled[0]?.cursor).toMatch(/^\d+:[1-7]:[0-9a-f-]{36}\/\d+$/);
    const got = patientIds(pulled);
    expect([...got].sort()).toEqual(rows.map((r) => String(r[0])).sort());
    expect(new Set(got).size).toBe(got.length);
    // The finished pull hands out a plain transaction bound, and nothing of ours follows it.
    expect(pulled.at(-1)?.cursor).toMatch(/^\d+\/\d+$/);
    expect(patientIds([await pull(k.staff.client, String(pulled.at(-1)?.cursor))])).toEqual([]);
  });

  it('delivers rows committed between page 1 and page 2 later, skipping nothing, repeating nothing', async () => {
    const k = await caughtUpKiosk('pages-concurrent');
    const first = Array.from({ length: 5 }, (_, i) => k.walkIn(`Before ${i}`));
    for (const r of first) await sql(insert, r);

    // `early` takes its transaction id before page 1 and commits after it; `between` starts and
    // commits between the pages.
    const early = k.walkIn('Early, committed late');
    const between = k.walkIn('Between the pages');
    const open = await connect();
    const pulled: PullResponse[] = [];
    try {
      await open.query('begin');
      await open.query(insert, early);
      const page1 = await pullPage(k.staff.client, k.start.cursor, 2);
      expect(page1.hasMore).toBe(true);
      pulled.push(page1);
      await sql(insert, between);
      await open.query('commit');
      // Page 2 on: everything, until a pull has caught up with both (the open transaction held the
      // bound back, so its row may need a later pull).
      let cursor = page1.cursor;
      for (let n = 0; ; n++) {
        if (n > 50) throw new Error('rows never arrived');
        const rest = await pages(k.staff.client, cursor, 2);
        pulled.push(...rest);
        cursor = String(rest.at(-1)?.cursor);
        const got = patientIds(pulled);
        if (got.includes(String(early[0])) && got.includes(String(between[0]))) break;
      }
      pulled.push(...(await pages(k.staff.client, cursor, 2)));
    } finally {
      await open.end();
    }
    const got = patientIds(pulled);
    const expected = [...first, early, between].map((r) => String(r[0]));
    expect([...got].sort()).toEqual([...expected].sort());
    expect(got).toHaveLength(expected.length);
  });

  it('gives a row rewritten between pages once more, as its new version; an unseen one once', async () => {
    const k = await caughtUpKiosk('pages-rewrite');
    const rows = Array.from({ length: 4 }, (_, i) => k.walkIn(`Walk-in ${i}`));
    for (const r of rows) await sql(insert, r);
    const page1 = await pullPage(k.staff.client, k.start.cursor, 2);
    const seen = patientIds([page1]);
    expect(seen).toHaveLength(2);
    const unseen = rows.map((r) => String(r[0])).filter((id) => !seen.includes(id));
    await sql(`update public.patients set full_name = full_name || ' (edited)' where id = any($1::uuid[])`, [
      [seen[0], unseen[0]],
    ]);
    const rest = await pages(k.staff.client, page1.cursor, 2);
    const later = rest.flatMap((r) => r.changes.patients);
    expect(later.map((p) => String(p.id)).sort()).toEqual([seen[0], ...unseen].sort());
    expect(
      later
        .filter((p) => String(p.full_name).endsWith('(edited)'))
        .map((p) => String(p.id))
        .sort(),
    ).toEqual([seen[0], unseen[0]].sort());
  });

  it('keeps the one-argument call, defaults to 1000 rows, and refuses a page size out of range', async () => {
    const k = await caughtUpKiosk('pages-args');
    const { data, error } = await k.staff.client.rpc('sync_pull', { since: k.start.cursor });
    expect(error).toBeNull();
    expect(data).toMatchObject({ hasMore: false, cursor: expect.stringMatching(/^\d+\/\d+$/) });
    const full = await pullPage(k.staff.client, null);
    const size = Object.values(full.changes).reduce((n, rows) => n + rows.length, full.deleted.length);
    expect(size).toBeLessThanOrEqual(1000);
    for (const max_rows of [0, 10_001]) {
      const refused = await k.staff.client.rpc('sync_pull', { since: null, max_rows });
      expect(refused.error?.code).toBe('22023');
    }
  });
});
