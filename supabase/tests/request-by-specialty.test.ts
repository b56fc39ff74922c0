/**
 * Requests by specialty (no slot on the device): sync_push books the first free matching slot in
 * clinic time (Asia/Kolkata), answers no_slot with a message naming what was asked, never gives one
 * slot to two racing requests, and names the field of a bad request the way the wire schema does.
 *
 * Each test books on days of its own, months ahead, where only this file's doctors have slots (the
 * seed covers two weeks; other files' clinics, the next few days).
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { appointmentSchema } from '../../sync/entities.ts';
import { connect, newUser, sql, type TestUser } from './stack-clients.ts';
import {
  answer,
  patientRow,
  pull,
  push,
  type Row,
  upsertAppointment,
  upsertPatient,
} from './sync-fixtures.ts';

interface Doctor {
  id: string;
  specialty: string;
  offersVideo: boolean;
}

let clinicId: string;
let gp: Doctor;
let gpInClinicOnly: Doctor;
let paediatrician: Doctor;
/** The first of this file's days: 100 days from today in Kolkata. */
let firstDay: string;

async function doctor(specialty: string, offersVideo: boolean): Promise<Doctor> {
  const id = randomUUID();
  await sql(
    `insert into public.doctors (id, clinic_id, name, specialty, languages, offers_video)
     values ($1, $2, 'Dr. Request', $3, array['hi', 'en'], $4)`,
    [id, clinicId, specialty, offersVideo],
  );
  return { id, specialty, offersVideo };
}

/** A 30-minute slot starting at `time` (HH:MM, Kolkata) on `day`; returns its id. */
async function slotAt(d: Doctor, day: string, time: string, mode: 'video' | 'in_person'): Promise<string> {
  const [row] = await sql<{ id: string }>(
    `insert into public.slots (doctor_id, starts_at, ends_at, mode)
     values ($1, ($2::date + $3::time) at time zone 'Asia/Kolkata',
       ($2::date + $3::time + interval '30 minutes') at time zone 'Asia/Kolkata', $4)
     returning id`,
    [d.id, day, time, mode],
  );
  return row!.id;
}

function dayAfter(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Kolkata wall-clock time (HH:MM) of a timestamp the server sent. */
function kolkataTime(at: unknown): string {
  return new Date(Date.parse(String(at)) + 330 * 60_000).toISOString().slice(11, 16);
}

beforeAll(async () => {
  clinicId = randomUUID();
  await sql(
    `insert into public.clinics (id, name, town, district, state) values ($1, 'Request clinic', 'Testpur', 'Testpur', 'Test Pradesh')`,
    [clinicId],
  );
  gp = await doctor('general medicine', true);
  gpInClinicOnly = await doctor('general medicine', false);
  paediatrician = await doctor('paediatrics', true);
  const [row] = await sql<{ day: string }>(
    `select to_char((now() at time zone 'Asia/Kolkata')::date + 100, 'YYYY-MM-DD') as day`,
  );
  firstDay = row!.day;
});

/** A signed-in patient with their profile on the server. */
async function patient(): Promise<{ user: TestUser; clientId: string; patientId: string }> {
  const user = await newUser('request');
  const clientId = randomUUID();
  const p = patientRow();
  const [r] = await push(user.client, clientId, [upsertPatient(clientId, p)]);
  expect(r?.status).toBe('applied');
  return { user, clientId, patientId: String(p.id) };
}

function request(patientId: string, overrides: Row = {}): Row {
  return {
    id: randomUUID(),
    patient_id: patientId,
    doctor_id: null,
    slot_id: null,
    starts_at: null,
    ends_at: null,
    requested_specialty: 'general medicine',
    preferred_date: firstDay,
    preferred_window: 'morning',
    mode: 'video',
    reason: 'Fever for three days',
    status: 'requested',
    ...overrides,
  };
}

async function pushOne(who: { user: TestUser; clientId: string }, data: Row) {
  const m = upsertAppointment(who.clientId, data);
  const [result] = await push(who.user.client, who.clientId, [m]);
  if (!result) throw new Error('no answer');
  return result;
}

describe('sync_push: a request by specialty', () => {
  it('books the first free slot of the specialty in the window, in Kolkata time', async () => {
    const day = firstDay;
    await slotAt(gp, day, '05:30', 'video'); // before the morning
    const morning = await slotAt(gp, day, '07:00', 'video');
    await slotAt(gp, day, '08:00', 'video'); // later
    await slotAt(paediatrician, day, '06:30', 'video'); // earlier, other specialty
    await slotAt(gpInClinicOnly, day, '06:00', 'video'); // earlier, doctor without video
    const inClinic = await slotAt(gp, day, '09:00', 'in_person');
    const noon = await slotAt(gp, day, '12:00', 'video'); // the afternoon starts at 12:00
    const evening = await slotAt(gp, day, '17:00', 'video');
    await slotAt(gp, day, '21:00', 'video'); // after the evening
    const who = await patient();

    const asked = request(who.patientId, { join_url: 'https://evil.example/room' });
    const m = upsertAppointment(who.clientId, asked);
    const booked = answer(await push(who.user.client, who.clientId, [m]), m.id, 'applied');
    expect(booked.row).toMatchObject({
      slot_id: morning,
      doctor_id: gp.id,
      status: 'requested',
      mode: 'video',
      requested_specialty: 'general medicine',
      preferred_date: day,
      preferred_window: 'morning',
      join_url: null,
    });
    expect(kolkataTime(booked.row?.starts_at)).toBe('07:00');
    expect(kolkataTime(booked.row?.ends_at)).toBe('07:30');
    const [slot] = await sql<{ available: boolean }>('select available from public.slots where id = $1', [
      morning,
    ]);
    expect(slot?.available).toBe(false);

    const more = [
      request(who.patientId, { mode: 'in_person' }),
      request(who.patientId, { preferred_window: 'afternoon' }),
      request(who.patientId, { preferred_window: 'evening' }),
      request(who.patientId, { preferred_window: 'any' }),
    ];
    const results = await push(
      who.user.client,
      who.clientId,
      more.map((data) => upsertAppointment(who.clientId, data)),
    );
    const slotOf = (i: number) => {
      const r = results[i];
      return r?.status === 'applied' ? r.row : JSON.stringify(r);
    };
    expect(slotOf(0)).toMatchObject({ slot_id: inClinic, mode: 'in_person' });
    expect(slotOf(1)).toMatchObject({ slot_id: noon });
    expect(slotOf(2)).toMatchObject({ slot_id: evening });
    // Any time of day: the earliest still free, 05:30.
    expect(kolkataTime((slotOf(3) as Row).starts_at)).toBe('05:30');

    // The patient's device receives the booking, request fields and all.
    const pulled = (await pull(who.user.client)).changes.appointments.find((r) => r.id === asked.id);
    expect(pulled).toMatchObject({ slot_id: morning, preferred_window: 'morning', preferred_date: day });
  });

  it('answers no_slot naming specialty, day and window, and applies the rest of the batch', async () => {
    const day = dayAfter(firstDay, 1);
    await slotAt(gp, day, '21:00', 'video'); // outside the evening
    await slotAt(gp, day, '18:00', 'in_person'); // wrong mode
    const who = await patient();
    const evening = upsertAppointment(
      who.clientId,
      request(who.patientId, { preferred_date: day, preferred_window: 'evening' }),
    );
    const inClinic = upsertAppointment(
      who.clientId,
      request(who.patientId, { preferred_date: day, preferred_window: 'evening', mode: 'in_person' }),
    );
    const results = await push(who.user.client, who.clientId, [evening, inClinic]);
    const refused = answer(results, evening.id, 'rejected');
    expect(refused).toMatchObject({
      code: 'no_slot',
      message: `no free general medicine video slot on ${day} in the evening`,
    });
    answer(results, inClinic.id, 'applied');
    expect(await sql('select id from public.appointments where id = $1', [evening.key])).toEqual([]);

    const morning = upsertAppointment(
      who.clientId,
      request(who.patientId, { preferred_date: day, mode: 'in_person', requested_specialty: 'paediatrics' }),
    );
    expect(answer(await push(who.user.client, who.clientId, [morning]), morning.id, 'rejected').message).toBe(
      `no free paediatrics in-clinic slot on ${day} in the morning`,
    );
  });

  it('passes over a slot another transaction is booking, and one whose free flag is stale', async () => {
    const day = dayAfter(firstDay, 2);
    const first = await slotAt(gp, day, '07:00', 'video');
    const second = await slotAt(gp, day, '08:00', 'video');
    const third = await slotAt(gp, day, '09:00', 'video');
    const who = await patient();

    // Another transaction holds the first slot (as a booking in progress does): not waited for.
    const other = await connect();
    try {
      await other.query('begin');
      await other.query('select 1 from public.slots where id = $1 for update', [first]);
      const data = request(who.patientId, { preferred_date: day });
      const r = await pushOne(who, data);
      expect(r.status === 'applied' && r.row?.slot_id).toBe(second);
    } finally {
      await other.query('rollback');
      await other.end();
    }

    const next = await pushOne(who, request(who.patientId, { preferred_date: day }));
    expect(next.status === 'applied' && next.row?.slot_id).toBe(first);

    // The first slot is held, yet marked free (as if the flag lagged): the unique index refuses it
    // inside the mutation, and the request moves on past the held second slot to the third.
    await sql('update public.slots set available = true where id = $1', [first]);
    const last = await pushOne(who, request(who.patientId, { preferred_date: day }));
    expect(last.status === 'applied' && last.row?.slot_id).toBe(third);
    const holders = await sql<{ n: string }>(
      `select count(*) as n from public.appointments where slot_id = $1 and status = 'requested'`,
      [first],
    );
    expect(holders[0]?.n).toBe('1');
  });

  it('gives two racing requests different slots', async () => {
    const day = dayAfter(firstDay, 3);
    const slots = [await slotAt(gp, day, '07:00', 'video'), await slotAt(gp, day, '07:30', 'video')];
    const a = await patient();
    const b = await patient();
    // Hold both pushes just before they look for a slot (the search reads doctors), then let both go.
    const gate = await connect();
    try {
      await gate.query('begin');
      await gate.query('lock table public.doctors in access exclusive mode');
      const racing = Promise.all([
        pushOne(a, request(a.patientId, { preferred_date: day })),
        pushOne(b, request(b.patientId, { preferred_date: day })),
      ]);
      const deadline = Date.now() + 10_000;
      for (;;) {
        const [row] = await sql<{ n: string }>(
          `select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%sync_push%'`,
        );
        if (row?.n === '2') break;
        if (Date.now() > deadline) throw new Error('timed out waiting for both pushes');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await gate.query('commit');
      const [ra, rb] = await racing;
      const got = [ra, rb].map((r) => (r.status === 'applied' ? r.row?.slot_id : JSON.stringify(r)));
      expect(got.sort()).toEqual([...slots].sort());
    } finally {
      await gate.query('rollback').catch(() => {});
      await gate.end();
    }
  });

  it('keeps a booked request on its slot when the device writes it again before seeing the booking', async () => {
    const day = dayAfter(firstDay, 4);
    const slot = await slotAt(gp, day, '10:00', 'video');
    await slotAt(gp, day, '10:30', 'video');
    const who = await patient();
    const asked = request(who.patientId, { preferred_date: day });
    expect((await pushOne(who, asked)).status).toBe('applied');
    // The device still has the slot-less row; it edits the reason, then cancels.
    const edited = await pushOne(who, { ...asked, reason: 'Fever and a rash' });
    expect(edited.status === 'applied' && edited.row).toMatchObject({
      slot_id: slot,
      reason: 'Fever and a rash',
    });
    const cancelled = await pushOne(who, { ...asked, reason: 'Fever and a rash', status: 'cancelled' });
    expect(cancelled.status === 'applied' && cancelled.row).toMatchObject({
      slot_id: slot,
      status: 'cancelled',
    });
    const [row] = await sql<{ available: boolean }>('select available from public.slots where id = $1', [
      slot,
    ]);
    expect(row?.available).toBe(true);
  });

  it('stores a request cancelled before it ever synced without booking anything', async () => {
    const day = dayAfter(firstDay, 5);
    const slot = await slotAt(gp, day, '10:00', 'video');
    const who = await patient();
    const r = await pushOne(who, request(who.patientId, { preferred_date: day, status: 'cancelled' }));
    expect(r.status === 'applied' && r.row).toMatchObject({
      status: 'cancelled',
      slot_id: null,
      doctor_id: null,
      starts_at: null,
      ends_at: null,
      requested_specialty: 'general medicine',
    });
    const [row] = await sql<{ available: boolean }>('select available from public.slots where id = $1', [
      slot,
    ]);
    expect(row?.available).toBe(true);
  });

  it('rejects a bad request naming the field, the same field the wire schema names', async () => {
    const who = await patient();
    const cases: [string, Row][] = [
      ['requested_specialty', { requested_specialty: 'neurosurgery' }],
      ['requested_specialty', { requested_specialty: null }],
      ['preferred_date', { preferred_date: '30-11-2026' }],
      ['preferred_date', { preferred_date: '2026-02-30' }],
      ['preferred_window', { preferred_window: 'night' }],
      ['preferred_window', { preferred_window: undefined }],
      ['slot_id', { requested_specialty: null, preferred_date: null, preferred_window: null }],
      ['starts_at', { slot_id: randomUUID(), doctor_id: gp.id, ends_at: '2030-01-01T10:00:00Z' }],
    ];
    const batch = cases.map(([, overrides]) => {
      const data = request(who.patientId, overrides);
      for (const [k, v] of Object.entries(data)) if (v === undefined) delete data[k];
      return upsertAppointment(who.clientId, data);
    });
    const results = await push(who.user.client, who.clientId, batch);
    cases.forEach(([field], i) => {
      const m = batch[i]!;
      const r = answer(results, m.id, 'rejected');
      expect([r.code, r.field], `${JSON.stringify(m.data)}: ${r.message}`).toEqual(['validation', field]);
      const local = appointmentSchema.safeParse(m.data);
      expect(local.error?.issues[0]?.path, JSON.stringify(m.data)).toEqual([field]);
    });
  });
});
