/**
 * sync_push attacked by real accounts, through supabase-js and PostgREST (issue 10's fast path and
 * push-returns-pull): the page a push returns carries only the rows its caller may read, whatever
 * the cursor and whether the batch applied or was refused, and is what a plain sync_pull gives;
 * two batches racing for one slot, or for one patient's last booking places, are answered as the
 * per-mutation path answers them; the fast path's helpers are out of the API's reach.
 * (The answers of hostile batches on both paths: push-paths.test.ts; RLS table by table: rls.test.ts.)
 */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { PUSH_LIMITS, type PullResponse, pullResponse, pushResponse } from '../../sync/protocol.ts';
import { anonClient, connect, newUser, sql } from './stack-clients.ts';
import {
  appointmentRow,
  createClinic,
  mutation,
  newStaff,
  patientRow,
  pull,
  push,
  type TestClinic,
  type TestSlot,
  upsertAppointment,
  upsertPatient,
  waitFor,
} from './sync-fixtures.ts';

type Name = 'patient A' | 'anonymous B' | 'staff X' | 'staff Y';

interface Caller {
  name: Name;
  client: SupabaseClient;
  userId: string;
  clientId: string;
  /** Their profile or their clinic's walk-in, and a booking of it. */
  patient: string;
  booking: string;
}

/** What a caller may read of the personal tables: ids, and tombstones as `entity:id`. */
interface Personal {
  patients: Set<string>;
  appointments: Set<string>;
  deleted: Set<string>;
}

let clinicX: TestClinic;
let clinicY: TestClinic;
const callers = {} as Record<Name, Caller>;
const readable = {} as Record<Name, Personal>;
/** A cursor handed to staff Y before any of this file's rows existed: another account's cursor. */
let foreignCursor: string;

function slotOf(clinic: TestClinic): TestSlot {
  const slot = clinic.slots.shift();
  if (!slot) throw new Error('out of test slots');
  return slot;
}

function gives(names: Name[], table: keyof Personal, id: string): void {
  for (const name of names) readable[name][table].add(id);
}

async function caller(
  name: Name,
  client: SupabaseClient,
  userId: string,
  clinic: TestClinic,
): Promise<Caller> {
  const clientId = randomUUID();
  const patient = upsertPatient(clientId, patientRow());
  const booking = upsertAppointment(clientId, appointmentRow(patient.key, slotOf(clinic)), [patient.id]);
  const answers = await push(client, clientId, [patient, booking]);
  expect(answers.map((a) => a.status)).toEqual(['applied', 'applied']);
  readable[name] = {
    patients: new Set([patient.key]),
    appointments: new Set([booking.key]),
    deleted: new Set(),
  };
  return { name, client, userId, clientId, patient: patient.key, booking: booking.key };
}

beforeAll(async () => {
  clinicX = await createClinic(60);
  clinicY = await createClinic(60);
  const staffX = await newStaff(clinicX.clinicId, 'attack-x');
  const staffY = await newStaff(clinicY.clinicId, 'attack-y');
  foreignCursor = (await pull(staffY.client)).cursor;
  const a = await newUser('attack-a');
  const b = anonClient();
  const signedIn = await b.auth.signInAnonymously();
  if (!signedIn.data.user) throw new Error(`anonymous sign-in failed: ${signedIn.error?.message}`);

  // A books clinic X's doctor and B clinic Y's: each clinic's staff read those bookings, not the profiles.
  callers['patient A'] = await caller('patient A', a.client, a.userId, clinicX);
  callers['anonymous B'] = await caller('anonymous B', b, signedIn.data.user.id, clinicY);
  callers['staff X'] = await caller('staff X', staffX.client, staffX.userId, clinicX);
  callers['staff Y'] = await caller('staff Y', staffY.client, staffY.userId, clinicY);
  gives(['staff X'], 'appointments', callers['patient A'].booking);
  gives(['staff Y'], 'appointments', callers['anonymous B'].booking);

  // Tombstones: A deletes a booking, staff X a walk-in.
  const gone = upsertAppointment(
    callers['patient A'].clientId,
    appointmentRow(callers['patient A'].patient, slotOf(clinicY), { status: 'cancelled' }),
  );
  const walkIn = upsertPatient(callers['staff X'].clientId, patientRow());
  await push(a.client, callers['patient A'].clientId, [gone]);
  await push(staffX.client, callers['staff X'].clientId, [walkIn]);
  // A's booking was with clinic Y's doctor: Y's staff saw it, so they get its marker too.
  const deletes: { who: Caller; entity: string; key: string; seenBy: Name[] }[] = [
    { who: callers['patient A'], entity: 'appointments', key: gone.key, seenBy: ['patient A', 'staff Y'] },
    { who: callers['staff X'], entity: 'patients', key: walkIn.key, seenBy: ['staff X'] },
  ];
  for (const { who, entity, key, seenBy } of deletes) {
    const del = mutation(who.clientId, { entity, op: 'delete', key });
    expect((await push(who.client, who.clientId, [del]))[0]?.status).toBe('applied');
    gives(seenBy, 'deleted', `${entity}:${key}`);
  }
});

/** The personal part of pages: what the test compares with what the caller may read. */
function personal(pages: PullResponse[]): Record<keyof Personal, string[]> {
  const ids = (rows: Record<string, unknown>[]) => rows.map((r) => String(r.id)).sort();
  return {
    patients: ids(pages.flatMap((p) => p.changes.patients)),
    appointments: ids(pages.flatMap((p) => p.changes.appointments)),
    deleted: pages.flatMap((p) => p.deleted.map((d) => `${d.entity}:${d.id}`)).sort(),
  };
}

function expected(name: Name): Record<keyof Personal, string[]> {
  const r = readable[name];
  return {
    patients: [...r.patients].sort(),
    appointments: [...r.appointments].sort(),
    deleted: [...r.deleted].sort(),
  };
}

/** A write the caller may make (applied), and what it adds to whom once applied. */
function goodWrite(who: Caller): { m: ReturnType<typeof upsertPatient>; record: () => void } {
  if (who.name.startsWith('staff')) {
    const m = upsertPatient(who.clientId, patientRow());
    return { m, record: () => gives([who.name], 'patients', m.key) };
  }
  // A new booking created cancelled: counts against no cap and holds no slot.
  const clinic = who.name === 'patient A' ? clinicX : clinicY;
  const m = upsertAppointment(
    who.clientId,
    appointmentRow(who.patient, slotOf(clinic), { status: 'cancelled' }),
  );
  const staff: Name = who.name === 'patient A' ? 'staff X' : 'staff Y';
  return { m, record: () => gives([who.name, staff], 'appointments', m.key) };
}

/**
 * Writes to rows of `victim`, none of which `who` may make. (In this order push_each takes them: a
 * booking before a delete of a patient; after a refused write of the patient, it would be blocked.)
 */
function hostileWrites(who: Caller, victim: Caller, slot: TestSlot) {
  return [
    upsertAppointment(who.clientId, appointmentRow(victim.patient, slot)),
    mutation(who.clientId, { entity: 'appointments', op: 'delete', key: victim.booking }),
    mutation(who.clientId, { entity: 'patients', op: 'delete', key: victim.patient }),
  ];
}

// Each caller attacks accounts whose rows it cannot read.
const victims: Record<Name, Name> = {
  'patient A': 'anonymous B',
  'anonymous B': 'staff Y',
  'staff X': 'anonymous B',
  'staff Y': 'patient A',
};

describe('the page a push returns', () => {
  const cursors: [string, () => string | null, boolean][] = [
    ['no cursor', () => null, false],
    ['a cursor from the far past', () => '1', true],
    ["another account's cursor", () => foreignCursor, true],
    // From the future: another database's; the server starts over, as from no cursor.
    ['a cursor from the future', () => '999999999999999', false],
  ];
  for (const name of Object.keys(victims) as Name[]) {
    for (const [what, cursor, tombstones] of cursors) {
      it(`${name}, ${what}: only what they may read, as a plain pull gives it`, async () => {
        const who = callers[name];
        const good = goodWrite(who);
        const hostile = hostileWrites(who, callers[victims[name]], slotOf(clinicX));
        const since = cursor();
        const { data, error } = await who.client.rpc('sync_push', {
          client_id: who.clientId,
          mutations: [good.m, ...hostile],
          pull: { since, max_rows: 10_000, max_bytes: 8_388_608 },
        });
        expect(error).toBeNull();
        const answer = data as { results: unknown; pull: unknown };
        expect(
          pushResponse.parse(answer.results).map((r) => [r.status, 'code' in r ? r.code : null]),
        ).toEqual([
          ['applied', null],
          ['rejected', 'forbidden'],
          ['rejected', 'forbidden'],
          ['rejected', 'forbidden'],
        ]);
        good.record();
        const page = pullResponse.parse(answer.pull);
        // The page stops below the push's own row; the pulls after it bring that row.
        const rest = await pull(who.client, page.cursor);
        const plain = await pull(who.client, since);
        for (const got of [personal([page, rest]), personal([plain])]) {
          const want = expected(name);
          expect({ ...got, deleted: [] }).toEqual({ ...want, deleted: [] });
          // A first sync needs no tombstones: its first page has none, a later page may have some.
          if (tombstones) expect(got.deleted).toEqual(want.deleted);
          else expect(want.deleted).toEqual(expect.arrayContaining(got.deleted));
        }
        expect(personal([page]).patients).not.toContain(good.m.key);
      });
    }
  }

  it('is, byte for byte, the page sync_pull gives the same caller in the same snapshot', async () => {
    for (const name of Object.keys(victims) as Name[]) {
      const who = callers[name];
      const db = await connect();
      try {
        // One snapshot for both statements, so that nothing committed between them tells them apart.
        await db.query('begin isolation level repeatable read');
        await db.query(`select set_config('request.jwt.claims', $1, true)`, [
          JSON.stringify({ sub: who.userId, role: 'authenticated' }),
        ]);
        await db.query('set local role authenticated');
        const body = {
          client_id: who.clientId,
          mutations: hostileWrites(who, callers[victims[name]], slotOf(clinicX)),
          pull: { since: foreignCursor, max_rows: 40, max_bytes: 16_384 },
        };
        const pushed = await db.query<{ r: { results: unknown; pull: unknown } }>(
          'select public.sync_push($1::json) as r',
          [JSON.stringify(body)],
        );
        const pulled = await db.query<{ r: unknown }>('select public.sync_pull($1, 40, 16384) as r', [
          foreignCursor,
        ]);
        expect(pushed.rows[0]?.r.pull, name).toEqual(pulled.rows[0]?.r);
        expect(pullResponse.parse(pulled.rows[0]?.r).changes.patients.length, name).toBeGreaterThan(0);
      } finally {
        await db.query('rollback').catch(() => undefined);
        await db.end();
      }
    }
  });

  it('is refused whole, applying nothing, for a malformed cursor', async () => {
    for (const name of Object.keys(victims) as Name[]) {
      const who = callers[name];
      const good = goodWrite(who);
      for (const since of ['x', '1:8:not-a-uuid', `${foreignCursor}/1/2/3`]) {
        const { error } = await who.client.rpc('sync_push', {
          client_id: who.clientId,
          mutations: [good.m],
          pull: { since },
        });
        expect(error?.code).toBe('22023');
      }
      expect(await sql(`select id from public.${good.m.entity} where id = $1`, [good.m.key])).toEqual([]);
    }
  });
});

describe('a push over the limits that asks for a page', () => {
  it('is refused whole with 413, applying nothing and sending no page', async () => {
    const who = callers['staff X'];
    const tooMany = Array.from({ length: PUSH_LIMITS.maxMutations + 1 }, () =>
      upsertPatient(who.clientId, patientRow()),
    );
    const tooBig = Array.from({ length: 3 }, () =>
      upsertPatient(who.clientId, patientRow({ padding: 'p'.repeat(PUSH_LIMITS.maxBytes / 3) })),
    );
    for (const mutations of [tooMany, tooBig]) {
      const { data, error, status } = await who.client.rpc('sync_push', {
        client_id: who.clientId,
        mutations,
        pull: { since: null },
      });
      expect({ status, code: error?.code, data }).toEqual({ status: 413, code: 'PT413', data: null });
      expect(await sql('select 1 from public.patients where id = $1', [mutations[0]!.key])).toEqual([]);
    }
  });
});

/** A transaction on `db` as `userId`, as PostgREST runs an RPC, pushing `mutations`. */
async function pushOpen(db: pg.Client, userId: string, clientId: string, mutations: unknown[]) {
  await db.query('begin');
  await db.query(`select set_config('request.jwt.claims', $1, true)`, [
    JSON.stringify({ sub: userId, role: 'authenticated' }),
  ]);
  await db.query('set local role authenticated');
  const r = await db.query<{ r: unknown; used: string }>(
    `select public.sync_push($1::json) as r, current_setting('consult.push_path_used') as used`,
    [JSON.stringify({ client_id: clientId, mutations })],
  );
  return { answers: pushResponse.parse(r.rows[0]?.r), used: r.rows[0]?.used };
}

/** The backend of `db`, to see from outside whether it waits on a lock. */
async function backend(db: pg.Client): Promise<number> {
  return Number((await db.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid);
}

/** Polls until backend `pid` waits on a lock (another transaction holds what it needs). */
async function waitsOnLock(pid: number): Promise<void> {
  await waitFor(
    async () =>
      (await sql('select 1 from pg_stat_activity where pid = $1 and wait_event_type = $2', [pid, 'Lock']))
        .length > 0,
    `backend ${pid} to wait on a lock`,
  );
}

describe('two batches racing', () => {
  it('for one slot: the first through the fast path books it, the second is answered slot_taken', async () => {
    const slot = slotOf(clinicX);
    const kiosk = callers['staff X'];
    const phone = callers['patient A'];
    const walkIn = upsertPatient(kiosk.clientId, patientRow());
    const first = [walkIn, upsertAppointment(kiosk.clientId, appointmentRow(walkIn.key, slot), [walkIn.id])];
    const second = [upsertAppointment(phone.clientId, appointmentRow(phone.patient, slot))];
    const [one, two] = [await connect(), await connect()];
    try {
      const won = await pushOpen(one, kiosk.userId, kiosk.clientId, first);
      expect(won).toMatchObject({ used: 'fast' });
      expect(won.answers.map((a) => a.status)).toEqual(['applied', 'applied']);
      // The second waits on the first's uncommitted booking of the slot.
      const pid = await backend(two);
      const racing = pushOpen(two, phone.userId, phone.clientId, second);
      await waitsOnLock(pid);
      await one.query('commit');
      const lost = await racing;
      await two.query('commit');
      expect(lost.used).toBe('each');
      expect(lost.answers).toEqual([expect.objectContaining({ status: 'rejected', code: 'slot_taken' })]);
    } finally {
      await Promise.all([one.end(), two.end()]);
    }
    const holders = await sql(`select id from public.appointments where slot_id = $1`, [slot.id]);
    expect(holders).toEqual([{ id: first[1]!.key }]);
    expect(await sql('select available from public.slots where id = $1', [slot.id])).toEqual([
      { available: false },
    ]);
  });

  it("for one patient's last booking places: the second batch gets only what the cap leaves", async () => {
    const kiosk = callers['staff X'];
    const walkIn = upsertPatient(kiosk.clientId, patientRow());
    await push(kiosk.client, kiosk.clientId, [walkIn]);
    // Two tablets of the clinic book three each for the same walk-in (the cap is 5).
    const tablets = [randomUUID(), randomUUID()];
    const batches = tablets.map((clientId) =>
      [0, 1, 2].map(() => upsertAppointment(clientId, appointmentRow(walkIn.key, slotOf(clinicX)))),
    );
    const [one, two] = [await connect(), await connect()];
    try {
      const firstTablet = await pushOpen(one, kiosk.userId, tablets[0]!, batches[0]!);
      expect(firstTablet.used).toBe('fast');
      const pid = await backend(two);
      const racing = pushOpen(two, kiosk.userId, tablets[1]!, batches[1]!);
      await waitsOnLock(pid);
      await one.query('commit');
      const secondTablet = await racing;
      await two.query('commit');
      expect(secondTablet.used).toBe('each');
      expect(secondTablet.answers.map((a) => ('code' in a ? a.code : a.status))).toEqual([
        'applied',
        'applied',
        'booking_limit',
      ]);
    } finally {
      await Promise.all([one.end(), two.end()]);
    }
    const active = await sql<{ n: string }>(
      `select count(*)::text as n from public.appointments where patient_id = $1 and status in ('requested', 'confirmed')`,
      [walkIn.key],
    );
    expect(active).toEqual([{ n: '5' }]);
  });
});

describe("the fast path's helpers", () => {
  const helpers: [string, Record<string, unknown>][] = [
    ['push_fast', { p_client: randomUUID(), p_batch: [] }],
    ['push_each', { p_client: randomUUID(), p_batch: [], p_nul: null }],
    ['take_slots', { p_slots: [] }],
    ['ledger_record_new', { p_client: randomUUID(), p_mutations: [], p_answers: [] }],
    ['ledger_answer', { p_client: randomUUID(), p_mutation: randomUUID() }],
    ['push_fresh', { p_client: randomUUID(), p_ids: [], p_patients: [], p_appointments: [] }],
  ];

  it('cannot be called through the API, in either schema, signed in or not', async () => {
    const slot = slotOf(clinicX);
    for (const client of [callers['patient A'].client, callers['staff X'].client, anonClient()]) {
      for (const [fn, args] of helpers) {
        const privateCall = await client.schema('private').rpc(fn, args);
        expect(privateCall.error, `private.${fn}`).not.toBeNull();
        const publicCall = await client.rpc(fn, args);
        expect(publicCall.error, `public.${fn}`).not.toBeNull();
      }
      // The one that writes, with a real slot: nothing changed.
      await client.schema('private').rpc('take_slots', { p_slots: [slot.id] });
      const settings = await client.schema('private').from('settings').select('*');
      expect(settings.error).not.toBeNull();
    }
    expect(await sql('select available from public.slots where id = $1', [slot.id])).toEqual([
      { available: true },
    ]);
  });
});
