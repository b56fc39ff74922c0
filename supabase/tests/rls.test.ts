/**
 * Row level security through the Data API (supabase-js → PostgREST), table by table and command by
 * command, for two patients, two clinics' staff and anon. "Refused" is either an error or a write
 * that touched no row (what RLS does to rows the caller cannot see); every refusal is checked in
 * the database too.
 */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { anonClient, newUser, sql, type TestUser } from './stack-clients.ts';
import {
  appointmentRow,
  createClinic,
  newStaff,
  patientRow,
  type Row,
  type TestClinic,
  type TestSlot,
} from './sync-fixtures.ts';

type Outcome = 'allowed' | 'refused';
type ActorName = 'patient A' | 'patient B' | 'anon' | 'staff X' | 'staff Y';

interface World {
  clinicX: TestClinic;
  clinicY: TestClinic;
  actors: Record<ActorName, SupabaseClient>;
  users: Record<Exclude<ActorName, 'anon'>, TestUser>;
  /** Patients: A's own, B's own, a walk-in of clinic X, a walk-in of clinic Y. */
  patients: Record<'A' | 'B' | 'X' | 'Y', string>;
  appointments: Record<'A' | 'B' | 'X' | 'Y', string>;
  ledger: Record<'A' | 'B', string>;
  /** Markers: A's deleted profile, a deleted walk-in booking of clinic X, and B's deleted booking
   * with clinic Y's doctor (which clinic Y's staff could see). */
  tombstones: Record<'A' | 'X' | 'BY', string>;
  /** A booking that left clinic X's view (moved to another clinic's doctor). */
  departure: string;
}

let world: World;
const freeSlots: TestSlot[] = [];

function nextSlot(): TestSlot {
  const slot = freeSlots.shift();
  if (!slot) throw new Error('out of test slots');
  return slot;
}

async function insertPatient(row: Row): Promise<string> {
  const id = String(row.id);
  const columns = Object.keys(row);
  await sql(
    `insert into public.patients (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
    Object.values(row),
  );
  return id;
}

async function insertAppointment(row: Row): Promise<string> {
  const columns = Object.keys(row);
  await sql(
    `insert into public.appointments (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
    Object.values(row),
  );
  return String(row.id);
}

beforeAll(async () => {
  const clinicX = await createClinic(30);
  const clinicY = await createClinic(4);
  freeSlots.push(...clinicX.slots.slice(4));
  const [a, b, x, y] = await Promise.all([
    newUser('rls-a'),
    newUser('rls-b'),
    newStaff(clinicX.clinicId, 'rls-x'),
    newStaff(clinicY.clinicId, 'rls-y'),
  ]);
  const patients = {
    A: await insertPatient(patientRow({ user_id: a.userId })),
    B: await insertPatient(patientRow({ user_id: b.userId })),
    X: await insertPatient(patientRow({ clinic_id: clinicX.clinicId, registered_by: x.userId })),
    Y: await insertPatient(patientRow({ clinic_id: clinicY.clinicId, registered_by: y.userId })),
  };
  const appointments = {
    A: await insertAppointment(appointmentRow(patients.A, clinicX.slots[0]!)),
    B: await insertAppointment(appointmentRow(patients.B, clinicX.slots[1]!)),
    X: await insertAppointment(appointmentRow(patients.X, clinicX.slots[2]!)),
    Y: await insertAppointment(appointmentRow(patients.Y, clinicY.slots[0]!)),
  };
  const ledger = { A: randomUUID(), B: randomUUID() };
  await sql(
    `insert into public.sync_ledger (client_id, mutation_id, user_id, answer)
     values ($1, $1, $2, '{}'), ($3, $3, $4, '{}')`,
    [ledger.A, a.userId, ledger.B, b.userId],
  );
  const tombstones = { A: randomUUID(), X: randomUUID(), BY: randomUUID() };
  await sql(
    `insert into public.sync_tombstones (entity, id, owner_user_id, clinic_id, doctor_clinic_id)
     values ('patients', $1, $2, null, null), ('appointments', $3, null, $4, null),
       ('appointments', $5, $6, null, $7)`,
    [tombstones.A, a.userId, tombstones.X, clinicX.clinicId, tombstones.BY, b.userId, clinicY.clinicId],
  );
  const departure = randomUUID();
  await sql('insert into public.sync_departures (id, clinic_id) values ($1, $2)', [
    departure,
    clinicX.clinicId,
  ]);
  world = {
    clinicX,
    clinicY,
    actors: {
      'patient A': a.client,
      'patient B': b.client,
      anon: anonClient(),
      'staff X': x.client,
      'staff Y': y.client,
    },
    users: { 'patient A': a, 'patient B': b, 'staff X': x, 'staff Y': y },
    patients,
    appointments,
    ledger,
    tombstones,
    departure,
  };
});

const ACTORS: ActorName[] = ['patient A', 'patient B', 'anon', 'staff X', 'staff Y'];

/** The values of `column` the actor can read (with an optional filter), or 'refused' on error. */
async function visible(
  actor: ActorName,
  table: string,
  column: string,
  filter?: [string, string],
): Promise<string[] | 'refused'> {
  let query = world.actors[actor].from(table).select(column);
  if (filter) query = query.eq(filter[0], filter[1]);
  const { data, error } = await query;
  if (error) return 'refused';
  return (data as unknown as Row[]).map((r) => String(r[column])).sort();
}

async function insertAs(actor: ActorName, table: string, row: Row): Promise<Outcome> {
  const { error } = await world.actors[actor].from(table).insert(row);
  return error ? 'refused' : 'allowed';
}

async function updateAs(
  actor: ActorName,
  table: string,
  match: Record<string, string>,
  patch: Row,
): Promise<Outcome> {
  const { data, error } = await world.actors[actor].from(table).update(patch).match(match).select();
  return !error && data.length === 1 ? 'allowed' : 'refused';
}

async function deleteAs(actor: ActorName, table: string, match: Record<string, string>): Promise<Outcome> {
  const { data, error } = await world.actors[actor].from(table).delete().match(match).select();
  return !error && data.length === 1 ? 'allowed' : 'refused';
}

async function rowCount(table: string, match: Record<string, string>): Promise<number> {
  const keys = Object.keys(match);
  const [row] = await sql<{ n: string }>(
    `select count(*) as n from public.${table} where ${keys.map((k, i) => `${k} = $${i + 1}`).join(' and ')}`,
    Object.values(match),
  );
  return Number(row?.n);
}

describe('select', () => {
  const personal: Array<[string, string, (w: World) => Record<ActorName, string[]>]> = [
    [
      'patients',
      'id',
      (w) => ({
        'patient A': [w.patients.A],
        'patient B': [w.patients.B],
        anon: [],
        'staff X': [w.patients.X],
        'staff Y': [w.patients.Y],
      }),
    ],
    [
      'appointments',
      'id',
      (w) => ({
        'patient A': [w.appointments.A],
        'patient B': [w.appointments.B],
        anon: [],
        // A and B booked clinic X's doctor from their own phones: clinic X's staff run that day.
        'staff X': [w.appointments.A, w.appointments.B, w.appointments.X],
        'staff Y': [w.appointments.Y],
      }),
    ],
    [
      'staff',
      'user_id',
      (w) => ({
        'patient A': [],
        'patient B': [],
        anon: [],
        'staff X': [w.users['staff X'].userId],
        'staff Y': [w.users['staff Y'].userId],
      }),
    ],
    [
      'sync_ledger',
      'mutation_id',
      (w) => ({
        'patient A': [w.ledger.A],
        'patient B': [w.ledger.B],
        anon: [],
        'staff X': [],
        'staff Y': [],
      }),
    ],
    [
      'sync_tombstones',
      'id',
      (w) => ({
        'patient A': [w.tombstones.A],
        'patient B': [w.tombstones.BY],
        anon: [],
        'staff X': [w.tombstones.X],
        'staff Y': [w.tombstones.BY],
      }),
    ],
    [
      'sync_departures',
      'id',
      (w) => ({
        'patient A': [],
        'patient B': [],
        anon: [],
        'staff X': [w.departure],
        'staff Y': [],
      }),
    ],
  ];

  for (const [table, column, expected] of personal) {
    for (const actor of ACTORS) {
      it(`${table}: ${actor} reads only their own rows`, async () => {
        const seen = await visible(actor, table, column);
        const want = expected(world)[actor];
        // Anon has no privilege on personal tables at all; an error is as good as nothing.
        expect(actor === 'anon' && seen === 'refused' ? [] : seen).toEqual(want.sort());
      });
    }
  }

  for (const [table, filter] of [
    ['clinics', 'id'],
    ['doctors', 'clinic_id'],
    ['slots', 'doctor_id'],
  ] as const) {
    for (const actor of ACTORS) {
      const allowed = actor !== 'anon';
      it(`${table}: ${actor} ${allowed ? 'reads' : 'cannot read'} reference data`, async () => {
        const value = table === 'slots' ? world.clinicX.doctorId : world.clinicX.clinicId;
        const seen = await visible(actor, table, 'id', [filter, value]);
        if (allowed) {
          expect(seen).not.toBe('refused');
          expect((seen as string[]).length).toBeGreaterThan(0);
        } else {
          expect(seen === 'refused' ? [] : seen).toEqual([]);
        }
      });
    }
  }
});

describe('insert', () => {
  it('patients: a patient creates only their own profile', async () => {
    const fresh = await newUser('rls-fresh');
    const stranger = await newUser('rls-stranger');
    const own = patientRow({ user_id: fresh.userId });
    const forOther = patientRow({ user_id: stranger.userId });
    const intoClinic = patientRow({ user_id: fresh.userId, clinic_id: world.clinicX.clinicId });
    expect(await fresh.client.from('patients').insert(forOther)).toMatchObject({ status: 403 });
    expect(await fresh.client.from('patients').insert(intoClinic)).toMatchObject({ status: 403 });
    expect((await fresh.client.from('patients').insert(own)).error).toBeNull();
    expect(await rowCount('patients', { id: String(forOther.id) })).toBe(0);
    expect(await rowCount('patients', { id: String(intoClinic.id) })).toBe(0);
  });

  const walkIn = (actor: ActorName, clinic: 'X' | 'Y'): Row =>
    patientRow({
      clinic_id: (clinic === 'X' ? world.clinicX : world.clinicY).clinicId,
      registered_by: actor === 'anon' ? null : world.users[actor].userId,
    });

  const patientCases: Array<[ActorName, 'X' | 'Y', Outcome]> = [
    ['staff X', 'X', 'allowed'],
    ['staff X', 'Y', 'refused'],
    ['staff Y', 'X', 'refused'],
    ['staff Y', 'Y', 'allowed'],
    ['patient A', 'X', 'refused'],
    ['anon', 'X', 'refused'],
  ];
  for (const [actor, clinic, outcome] of patientCases) {
    it(`patients: ${actor} registering a walk-in at clinic ${clinic} is ${outcome}`, async () => {
      const row = walkIn(actor, clinic);
      expect(await insertAs(actor, 'patients', row)).toBe(outcome);
      expect(await rowCount('patients', { id: String(row.id) })).toBe(outcome === 'allowed' ? 1 : 0);
    });
  }

  const appointmentCases: Array<[ActorName, 'A' | 'B' | 'X' | 'Y', Outcome]> = [
    ['patient A', 'A', 'allowed'],
    ['patient B', 'A', 'refused'],
    ['patient A', 'X', 'refused'],
    ['staff X', 'X', 'allowed'],
    ['staff X', 'A', 'refused'],
    ['staff Y', 'X', 'refused'],
    ['anon', 'A', 'refused'],
  ];
  for (const [actor, owner, outcome] of appointmentCases) {
    it(`appointments: ${actor} booking for patient ${owner} is ${outcome}`, async () => {
      const row = appointmentRow(world.patients[owner], nextSlot());
      expect(await insertAs(actor, 'appointments', row)).toBe(outcome);
      expect(await rowCount('appointments', { id: String(row.id) })).toBe(outcome === 'allowed' ? 1 : 0);
    });
  }

  it('appointments: a patient cannot book straight into confirmed', async () => {
    const row = appointmentRow(world.patients.A, nextSlot(), { status: 'confirmed' });
    const { error } = await world.actors['patient A'].from('appointments').insert(row);
    expect(error?.message).toMatch(/only the clinic can mark an appointment confirmed/);
  });

  const readOnly: Array<[string, (w: World) => Row]> = [
    ['clinics', () => ({ name: 'Fake clinic', town: 'x', district: 'x', state: 'x' })],
    [
      'doctors',
      (w) => ({ clinic_id: w.clinicX.clinicId, name: 'Dr. Fake', specialty: 'x', languages: ['en'] }),
    ],
    [
      'slots',
      (w) => ({
        doctor_id: w.clinicX.doctorId,
        starts_at: '2031-01-01T10:00:00Z',
        ends_at: '2031-01-01T10:30:00Z',
        mode: 'video',
      }),
    ],
    ['staff', (w) => ({ user_id: w.users['patient A'].userId, clinic_id: w.clinicX.clinicId })],
    [
      'sync_ledger',
      (w) => ({ client_id: randomUUID(), mutation_id: randomUUID(), user_id: w.users['patient A'].userId }),
    ],
    [
      'sync_tombstones',
      (w) => ({ entity: 'patients', id: randomUUID(), owner_user_id: w.users['patient A'].userId }),
    ],
    ['sync_departures', (w) => ({ id: randomUUID(), clinic_id: w.clinicX.clinicId })],
  ];
  for (const [table, row] of readOnly) {
    for (const actor of ACTORS) {
      it(`${table}: ${actor} cannot insert`, async () => {
        expect(await insertAs(actor, table, row(world))).toBe('refused');
      });
    }
  }
});

describe('update', () => {
  const patientCases: Array<[ActorName, 'A' | 'X', Outcome]> = [
    ['patient A', 'A', 'allowed'],
    ['patient B', 'A', 'refused'],
    ['staff X', 'A', 'refused'],
    ['anon', 'A', 'refused'],
    ['staff X', 'X', 'allowed'],
    ['staff Y', 'X', 'refused'],
    ['patient A', 'X', 'refused'],
  ];
  for (const [actor, owner, outcome] of patientCases) {
    it(`patients: ${actor} updating patient ${owner} is ${outcome}`, async () => {
      const id = world.patients[owner];
      const name = `Renamed by ${actor} ${randomUUID().slice(0, 6)}`;
      expect(await updateAs(actor, 'patients', { id }, { full_name: name })).toBe(outcome);
      expect(await rowCount('patients', { id, full_name: name })).toBe(outcome === 'allowed' ? 1 : 0);
    });
  }

  it('patients: nobody moves a patient to another owner from a device', async () => {
    expect(
      await updateAs(
        'patient A',
        'patients',
        { id: world.patients.A },
        { clinic_id: world.clinicX.clinicId },
      ),
    ).toBe('refused');
    expect(
      await updateAs(
        'staff X',
        'patients',
        { id: world.patients.X },
        { user_id: world.users['patient B'].userId },
      ),
    ).toBe('refused');
    expect(await rowCount('patients', { id: world.patients.X, clinic_id: world.clinicX.clinicId })).toBe(1);
  });

  const appointmentCases: Array<[ActorName, 'A' | 'X', Outcome]> = [
    ['patient A', 'A', 'allowed'],
    ['patient B', 'A', 'refused'],
    ['staff Y', 'A', 'refused'],
    // Clinic X's staff move the status of A's booking with their doctor, never its details.
    ['staff X', 'A', 'refused'],
    ['anon', 'A', 'refused'],
    ['staff X', 'X', 'allowed'],
    ['staff Y', 'X', 'refused'],
    ['patient A', 'X', 'refused'],
  ];
  for (const [actor, owner, outcome] of appointmentCases) {
    it(`appointments: ${actor} updating patient ${owner}'s appointment is ${outcome}`, async () => {
      const id = world.appointments[owner];
      const reason = `Updated by ${actor} ${randomUUID().slice(0, 6)}`;
      expect(await updateAs(actor, 'appointments', { id }, { reason })).toBe(outcome);
      expect(await rowCount('appointments', { id, reason })).toBe(outcome === 'allowed' ? 1 : 0);
    });
  }

  it('appointments: a patient cannot confirm their own appointment', async () => {
    expect(
      await updateAs('patient A', 'appointments', { id: world.appointments.A }, { status: 'confirmed' }),
    ).toBe('refused');
    expect(await rowCount('appointments', { id: world.appointments.A, status: 'requested' })).toBe(1);
  });

  const readOnly: Array<[string, (w: World) => Record<string, string>, Row]> = [
    ['clinics', (w) => ({ id: w.clinicX.clinicId }), { name: 'Hijacked' }],
    ['doctors', (w) => ({ id: w.clinicX.doctorId }), { name: 'Dr. Hijacked' }],
    ['slots', (w) => ({ id: w.clinicX.slots[3]!.id }), { available: false }],
    [
      'staff',
      (w) => ({ user_id: w.users['staff X'].userId }),
      { clinic_id: '00000000-0000-4000-8000-000000000000' },
    ],
    [
      'sync_ledger',
      (w) => ({ client_id: w.ledger.A, mutation_id: w.ledger.A }),
      { answer: { forged: true } },
    ],
    ['sync_tombstones', (w) => ({ entity: 'patients', id: w.tombstones.A }), { owner_user_id: null }],
    ['sync_departures', (w) => ({ id: w.departure }), { departed_at: '2000-01-01T00:00:00Z' }],
  ];
  for (const [table, match, patch] of readOnly) {
    for (const actor of ACTORS) {
      it(`${table}: ${actor} cannot update`, async () => {
        expect(await updateAs(actor, table, match(world), patch)).toBe('refused');
        expect(await rowCount(table, match(world))).toBe(1);
      });
    }
  }
  it('reference rows are unchanged after the refused updates', async () => {
    const [clinic] = await sql<{ name: string }>('select name from public.clinics where id = $1', [
      world.clinicX.clinicId,
    ]);
    expect(clinic?.name).not.toBe('Hijacked');
    const [slot] = await sql<{ available: boolean }>('select available from public.slots where id = $1', [
      world.clinicX.slots[3]!.id,
    ]);
    expect(slot?.available).toBe(true);
  });
});

describe('delete', () => {
  /** A disposable walk-in of clinic X with one appointment. */
  async function disposable(): Promise<{ patient: string; appointment: string }> {
    const patient = await insertPatient(
      patientRow({ clinic_id: world.clinicX.clinicId, registered_by: world.users['staff X'].userId }),
    );
    const appointment = await insertAppointment(appointmentRow(patient, nextSlot()));
    return { patient, appointment };
  }

  const cases: Array<[ActorName, Outcome]> = [
    ['patient B', 'refused'],
    ['staff Y', 'refused'],
    ['anon', 'refused'],
    ['staff X', 'allowed'],
  ];
  for (const [actor, outcome] of cases) {
    it(`appointments, then patients: ${actor} deleting clinic X's walk-in is ${outcome}`, async () => {
      const { patient, appointment } = await disposable();
      expect(await deleteAs(actor, 'appointments', { id: appointment })).toBe(outcome);
      expect(await rowCount('appointments', { id: appointment })).toBe(outcome === 'allowed' ? 0 : 1);
      expect(await deleteAs(actor, 'patients', { id: patient })).toBe(outcome);
      expect(await rowCount('patients', { id: patient })).toBe(outcome === 'allowed' ? 0 : 1);
    });
  }

  it("a patient deletes their own appointment and profile, and nobody else's", async () => {
    const owner = await newUser('rls-delete');
    const patient = await insertPatient(patientRow({ user_id: owner.userId }));
    const appointment = await insertAppointment(appointmentRow(patient, nextSlot()));
    expect(await deleteAs('patient A', 'appointments', { id: appointment })).toBe('refused');
    expect(await deleteAs('patient A', 'patients', { id: patient })).toBe('refused');
    const own = owner.client;
    expect((await own.from('appointments').delete().eq('id', appointment).select()).data).toHaveLength(1);
    expect((await own.from('patients').delete().eq('id', patient).select()).data).toHaveLength(1);
    expect(await rowCount('patients', { id: patient })).toBe(0);
  });

  const readOnly: Array<[string, (w: World) => Record<string, string>]> = [
    ['clinics', (w) => ({ id: w.clinicY.clinicId })],
    ['doctors', (w) => ({ id: w.clinicY.doctorId })],
    ['slots', (w) => ({ id: w.clinicY.slots[3]!.id })],
    ['staff', (w) => ({ user_id: w.users['staff Y'].userId })],
    ['sync_ledger', (w) => ({ client_id: w.ledger.B, mutation_id: w.ledger.B })],
    ['sync_tombstones', (w) => ({ entity: 'appointments', id: w.tombstones.X })],
    ['sync_departures', (w) => ({ id: w.departure })],
  ];
  for (const [table, match] of readOnly) {
    for (const actor of ACTORS) {
      it(`${table}: ${actor} cannot delete`, async () => {
        expect(await deleteAs(actor, table, match(world))).toBe('refused');
        expect(await rowCount(table, match(world))).toBe(1);
      });
    }
  }
});

describe('rpc', () => {
  it('anon cannot call sync_push or sync_pull', async () => {
    const anon = anonClient();
    const pushed = await anon.rpc('sync_push', { client_id: randomUUID(), mutations: [] });
    const pulled = await anon.rpc('sync_pull', { since: null });
    expect(pushed.error).not.toBeNull();
    expect(pulled.error).not.toBeNull();
  });
});
