/**
 * The contract between sync_push's two paths (issue 10): the set-based fast path (private.push_fast)
 * and the per-mutation path (private.push_each, forced with consult.push_path = 'each') give the
 * same answers and leave the same rows, ledger and slots, for the same batch. Each batch runs
 * through both, each in a transaction rolled back afterwards, so both see the same database.
 * Times and the random part of a video room's address differ between two runs and are masked.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Mutation } from '../../sync/protocol.ts';
import { propertyRuns, propertySeed, seededIds, seededRandom } from '../../sync/testing/seeded-random.ts';
import { connect, newUser, sql, type TestUser } from './stack-clients.ts';
import {
  appointmentRow,
  createClinic,
  mutation,
  newStaff,
  patientRow,
  push,
  type TestClinic,
  type TestSlot,
  upsertAppointment,
  upsertPatient,
} from './sync-fixtures.ts';

type Path = 'fast' | 'each';
interface Outcome {
  used: string;
  answers: unknown;
  rows: unknown;
}

let clinic: TestClinic;
let staff: TestUser;

beforeAll(async () => {
  clinic = await createClinic(75);
  staff = await newStaff(clinic.clinicId, 'paths');
});

function takeSlots(n: number): TestSlot[] {
  const slots = clinic.slots.splice(0, n);
  if (slots.length < n) throw new Error('out of test slots');
  return slots;
}

/** Masks what differs between two runs of the same batch: the clock and the video room's token. */
function mask(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, v) => {
    if (key === 'created_at' || key === 'updated_at' || key === 'deleted_at') return 'time';
    if (key === 'join_url' && typeof v === 'string') return v.replace(/[0-9a-f]{32}$/, 'token');
    return v;
  });
}

/** Who pushes: a user's id and, for an account without sign-in, the claims its token carries. */
interface Caller {
  userId: string;
  claims?: Record<string, unknown>;
}

const uuidText = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The uuids among a batch's keys or slots (a hostile batch may hold anything there). */
const uuids = (values: unknown[]): string[] =>
  values.filter((v): v is string => typeof v === 'string' && uuidText.test(v));

/** One sync_push of `mutations` by `user` through `path`, rolled back; what it answered and left. */
async function runThrough(
  path: Path,
  user: Caller,
  clientId: string,
  mutations: unknown[],
): Promise<Outcome> {
  const db = await connect();
  try {
    await db.query('begin');
    await db.query(`select set_config('request.jwt.claims', $1, true)`, [
      JSON.stringify({ ...user.claims, sub: user.userId, role: 'authenticated' }),
    ]);
    await db.query(`select set_config('consult.push_path', $1, true)`, [path === 'each' ? 'each' : '']);
    await db.query('set local role authenticated');
    const answers = (
      await db.query<{ r: unknown }>('select public.sync_push($1::json) as r', [
        JSON.stringify({ client_id: clientId, mutations }),
      ])
    ).rows[0]?.r;
    const used = (
      await db.query<{ used: string }>(`select current_setting('consult.push_path_used') as used`)
    ).rows[0]?.used;
    await db.query('reset role');
    const keys = uuids(mutations.map((m) => (m as Mutation | null)?.key));
    const slots = uuids(mutations.map((m) => (m as Mutation | null)?.data?.slot_id));
    const rows = (
      await db.query<{ rows: unknown }>(
        `select jsonb_build_object(
          'patients', (select jsonb_agg(to_jsonb(r) - 'txid' order by r.id) from public.patients r where r.id = any($1::uuid[])),
          'appointments', (select jsonb_agg(to_jsonb(r) - 'txid' order by r.id) from public.appointments r where r.id = any($1::uuid[])),
          'slots', (select jsonb_agg(jsonb_build_object('id', s.id, 'available', s.available) order by s.id)
            from public.slots s where s.id = any($2::uuid[])),
          'ledger', (select jsonb_agg(jsonb_build_object('mutation', l.mutation_id, 'user', l.user_id, 'answer', l.answer)
              order by l.mutation_id, l.user_id)
            from public.sync_ledger l where l.client_id = $3),
          'tombstones', (select jsonb_agg(to_jsonb(t) - 'txid' order by t.entity, t.id) from public.sync_tombstones t where t.id = any($1::uuid[]))
        ) as rows`,
        [keys, slots, clientId],
      )
    ).rows[0]?.rows;
    return { used: String(used), answers: mask(answers), rows: mask(rows) };
  } finally {
    await db.query('rollback').catch(() => undefined);
    await db.end();
  }
}

/** Runs the batch through both paths; expects the same outcome and says which path the default took. */
async function bothPaths(user: Caller, clientId: string, mutations: unknown[]): Promise<Outcome> {
  const each = await runThrough('each', user, clientId, mutations);
  const fast = await runThrough('fast', user, clientId, mutations);
  expect(each.used).toBe('each');
  expect(fast.answers).toEqual(each.answers);
  expect(fast.rows).toEqual(each.rows);
  return fast;
}

const withSeq = (m: Mutation, seq: number): Mutation => ({ ...m, seq });

function walkIns(clientId: string, patients: number, perPatient: number): Mutation[] {
  const slots = takeSlots(patients * perPatient);
  const out: Mutation[] = [];
  let seq = 1;
  for (let p = 0; p < patients; p++) {
    const patient = upsertPatient(clientId, patientRow());
    out.push(withSeq(patient, seq++));
    for (let a = 0; a < perPatient; a++) {
      const row = appointmentRow(patient.key, slots.shift()!);
      out.push(withSeq(upsertAppointment(clientId, row, [patient.id]), seq++));
    }
  }
  return out;
}

describe('sync_push: the fast path answers as the per-mutation path does', () => {
  it('applies a kiosk drain of new walk-ins and their bookings through the fast path', async () => {
    const clientId = randomUUID();
    const batch = walkIns(clientId, 3, 2);
    // Sent children first: the answers keep the order sent.
    const outcome = await bothPaths(staff, clientId, [...batch].reverse());
    expect(outcome.used).toBe('fast');
    expect(outcome.answers).toHaveLength(9);
    expect((outcome.answers as { status: string }[]).every((a) => a.status === 'applied')).toBe(true);
  });

  it('applies a phone’s own profile, an upper-case id and no seq through the fast path', async () => {
    const user = await newUser('paths-phone');
    const clientId = randomUUID();
    const patient = upsertPatient(
      clientId,
      patientRow({ address: null, emergency_contact_phone: '98123-00000' }),
    );
    const [slot] = takeSlots(1);
    const booking = upsertAppointment(clientId, appointmentRow(patient.key, slot!, { status: 'requested' }));
    const outcome = await bothPaths(user, clientId, [{ ...patient, id: patient.id.toUpperCase() }, booking]);
    expect(outcome.used).toBe('fast');
  });

  it('stores the same fields as the readers, whether a value is in its plain form or needs trimming', async () => {
    const clientId = randomUUID();
    const [slot] = takeSlots(1);
    const plain = upsertPatient(clientId, patientRow({ phone: '+919810000000', address: 'Ward 4' }));
    const trimmed = upsertPatient(
      clientId,
      patientRow({
        full_name: '  Asha Devi\n',
        phone: '+91 98100-00001',
        address: 'Élise Road ',
        emergency_contact_name: '\u00a0Ravi',
        emergency_contact_phone: '9810000002',
      }),
    );
    const booking = upsertAppointment(clientId, appointmentRow(trimmed.key, slot!, { reason: ' Fever\t' }), [
      trimmed.id,
    ]);
    const outcome = await bothPaths(staff, clientId, [plain, trimmed, booking]);
    expect(outcome.used).toBe('fast');
  });

  it('falls back, with the same answers, when a slot is taken, a cap is reached or a status is refused', async () => {
    const clientId = randomUUID();
    const taken = takeSlots(1)[0]!;
    const holder = upsertPatient(clientId, patientRow());
    await push(staff.client, clientId, [
      holder,
      upsertAppointment(clientId, appointmentRow(holder.key, taken)),
    ]);

    const batch = walkIns(clientId, 2, 1);
    const late = upsertPatient(clientId, patientRow());
    batch.push(late, upsertAppointment(clientId, appointmentRow(late.key, taken), [late.id]));
    const outcome = await bothPaths(staff, clientId, batch);
    expect(outcome.used).toBe('each');
    expect(outcome.answers).toContainEqual(
      expect.objectContaining({ status: 'rejected', code: 'slot_taken' }),
    );

    const capped = upsertPatient(clientId, patientRow());
    const six = takeSlots(6).map((s) =>
      upsertAppointment(clientId, appointmentRow(capped.key, s), [capped.id]),
    );
    const capOutcome = await bothPaths(staff, clientId, [capped, ...six]);
    expect(capOutcome.used).toBe('each');
    expect(capOutcome.answers).toContainEqual(expect.objectContaining({ code: 'booking_limit' }));

    // A patient's phone cannot book straight into `confirmed` (only the clinic confirms).
    const phone = await newUser('paths-status');
    const phoneClient = randomUUID();
    const own = upsertPatient(phoneClient, patientRow());
    const [slot] = takeSlots(1);
    const statusOutcome = await bothPaths(phone, phoneClient, [
      own,
      upsertAppointment(phoneClient, appointmentRow(own.key, slot!, { status: 'confirmed' }), [own.id]),
    ]);
    expect(statusOutcome.used).toBe('each');
    expect(statusOutcome.answers).toContainEqual(expect.objectContaining({ code: 'transition' }));
  });

  it('takes a batch up to the booking cap, and bookings of a stored patient, through the fast path', async () => {
    const clientId = randomUUID();
    const patient = upsertPatient(clientId, patientRow());
    const five = takeSlots(5).map((s) =>
      upsertAppointment(clientId, appointmentRow(patient.key, s), [patient.id]),
    );
    expect((await bothPaths(staff, clientId, [patient, ...five])).used).toBe('fast');

    const stored = upsertPatient(clientId, patientRow());
    await push(staff.client, clientId, [
      stored,
      upsertAppointment(clientId, appointmentRow(stored.key, takeSlots(1)[0]!)),
    ]);
    const more = takeSlots(4).map((s) => upsertAppointment(clientId, appointmentRow(stored.key, s)));
    expect((await bothPaths(staff, clientId, more)).used).toBe('fast');
    const over = [...more, upsertAppointment(clientId, appointmentRow(stored.key, takeSlots(1)[0]!))];
    const refused = await bothPaths(staff, clientId, over);
    expect(refused.used).toBe('each');
    expect(refused.answers).toContainEqual(expect.objectContaining({ code: 'booking_limit' }));
  });

  it('takes each shape of a time the readers accept, and leaves other shapes of ids, times and seq to push_each', async () => {
    const clientId = randomUUID();
    const patient = upsertPatient(clientId, patientRow());
    const at = (iso: string, offsetMinutes: number, zone: string) =>
      `${new Date(Date.parse(iso) + offsetMinutes * 60_000).toISOString().slice(0, 19)}${zone}`;
    // The same instants as the slot's: as toISOString, Postgres's JSON, another zone, a lower-case t.
    const accepted: ((iso: string) => string)[] = [
      (iso) => new Date(iso).toISOString(),
      (iso) => iso,
      (iso) => at(iso, 330, '+05:30'),
      (iso) => at(iso, -300, '-0500'),
      (iso) => at(iso, 0, 'z').replace('T', 't'),
    ];
    for (const shape of accepted) {
      const [slot] = takeSlots(1);
      const row = appointmentRow(patient.key, slot!, {
        starts_at: shape(slot!.starts_at),
        ends_at: shape(slot!.ends_at),
      });
      const outcome = await bothPaths(staff, clientId, [
        patient,
        upsertAppointment(clientId, row, [patient.id]),
      ]);
      expect(outcome.used).toBe('fast');
    }

    const [slot] = takeSlots(1);
    const booking = upsertAppointment(clientId, appointmentRow(patient.key, slot!), [patient.id]);
    const refused: unknown[][] = [
      // A time with no zone, a key with no hyphens, an id that is no uuid, a slot in braces.
      [patient, { ...booking, data: { ...booking.data, starts_at: slot!.starts_at.slice(0, 19) } }],
      [{ ...patient, key: patient.key.replaceAll('-', '') }],
      [{ ...patient, id: 'not-a-uuid' }],
      [patient, { ...booking, data: { ...booking.data, slot_id: `{${slot!.id}}` } }],
      // A seq that is not a whole number, a birth date in another shape.
      [{ ...patient, seq: 1.5 }],
      [upsertPatient(clientId, patientRow({ date_of_birth: '1984-3-15' }))],
    ];
    for (const batch of refused) {
      // The patient before a refused booking may go the fast path, alone (a prefix).
      const outcome = await bothPaths(staff, clientId, batch);
      expect(outcome.used).not.toBe('fast');
      expect((outcome.answers as { status: string }[]).map((a) => a.status)).toContain('rejected');
    }
  });

  it('falls back, with the same answers, for a slot that does not match or has started', async () => {
    const clientId = randomUUID();
    const patient = upsertPatient(clientId, patientRow());
    const [a, b, c] = takeSlots(3);
    const cases = [
      appointmentRow(patient.key, a!, { mode: a!.mode === 'video' ? 'in_person' : 'video' }),
      appointmentRow(patient.key, b!, { starts_at: c!.starts_at, ends_at: c!.ends_at }),
      appointmentRow(patient.key, clinic.pastSlot),
      appointmentRow(patient.key, { ...c!, id: randomUUID() }),
    ];
    for (const row of cases) {
      const outcome = await bothPaths(staff, clientId, [
        patient,
        upsertAppointment(clientId, row, [patient.id]),
      ]);
      expect(outcome.used).toBe('each');
      expect((outcome.answers as { status: string }[])[1]?.status).toBe('rejected');
    }
  });

  it('falls back, with the same answers, for a bad field, a missing parent and a foreign row', async () => {
    const clientId = randomUUID();
    const badPhone = upsertPatient(clientId, patientRow({ phone: '12' }));
    const [a, b] = takeSlots(2);
    const orphan = upsertAppointment(clientId, appointmentRow(randomUUID(), a!));
    const outcome = await bothPaths(staff, clientId, [
      badPhone,
      upsertAppointment(clientId, appointmentRow(badPhone.key, b!), [badPhone.id]),
      orphan,
      ...walkIns(clientId, 1, 1),
    ]);
    expect(outcome.used).toBe('each');
    expect((outcome.answers as { status: string }[]).map((x) => x.status)).toEqual([
      'rejected',
      'blocked',
      'rejected',
      'applied',
      'applied',
    ]);

    const other = await newUser('paths-other');
    const theirs = patientRow();
    const otherClient = randomUUID();
    const [created] = await push(other.client, otherClient, [upsertPatient(otherClient, theirs)]);
    expect(created?.status).toBe('applied');
    const foreign = await bothPaths(staff, clientId, [
      upsertPatient(clientId, { ...theirs, full_name: 'Taken' }),
    ]);
    expect(foreign.used).toBe('each');
    expect(foreign.answers).toContainEqual(expect.objectContaining({ code: 'forbidden' }));
  });

  it('leaves replays, edits, deletes and requests by specialty to the per-mutation path', async () => {
    const clientId = randomUUID();
    const applied = walkIns(clientId, 1, 1);
    await push(staff.client, clientId, applied);
    const replay = await bothPaths(staff, clientId, applied);
    expect(replay.used).toBe('each');
    expect((replay.answers as { status: string }[]).map((x) => x.status)).toEqual(['duplicate', 'duplicate']);

    const patient = applied[0]!;
    const edit = withSeq(upsertPatient(clientId, { ...patient.data, full_name: 'Edited' }), 10);
    const remove = mutation(clientId, { entity: 'appointments', op: 'delete', key: applied[1]!.key });
    const fresh = walkIns(clientId, 1, 1);
    const request = upsertAppointment(clientId, {
      id: randomUUID(),
      patient_id: patient.key,
      mode: 'in_person',
      reason: 'Rash on both arms',
      status: 'requested',
      requested_specialty: 'general medicine',
      preferred_date: clinic.slots[0]!.starts_at.slice(0, 10),
      preferred_window: 'any',
    });
    for (const batch of [
      [...fresh, edit],
      [remove, ...fresh],
    ]) {
      expect((await bothPaths(staff, clientId, batch)).used).toBe('each');
    }
    // New rows, then a request: the new rows through the fast path, the request after them.
    expect((await bothPaths(staff, clientId, [...fresh, request])).used).toBe('fast+each');
  });

  it('takes the new rows before the first edit through the fast path, when push_each would apply them first', async () => {
    const clientId = randomUUID();
    const stored = walkIns(clientId, 2, 1);
    await push(staff.client, clientId, stored);
    const [first, second] = [stored[1]!, stored[3]!];
    // Edits as the app sends them, field-level (with a base): never plain.
    const edit = (m: Mutation, seq: number, base: Record<string, unknown>): Mutation => ({ ...m, seq, base });
    const confirm = edit(upsertAppointment(clientId, { ...first.data, status: 'confirmed' }), 20, {
      status: 'requested',
    });
    const cancel = edit(upsertAppointment(clientId, { ...second.data, status: 'cancelled' }), 21, {
      status: 'requested',
    });
    const fresh = walkIns(clientId, 2, 2);
    const booking = upsertAppointment(clientId, appointmentRow(stored[0]!.key, takeSlots(1)[0]!));
    const mixed = await bothPaths(staff, clientId, [...fresh, confirm, cancel, booking]);
    expect(mixed.used).toBe('fast+each');
    expect((mixed.answers as { status: string }[]).every((a) => a.status === 'applied')).toBe(true);

    // An edit of another patient after the prefix: push_each applies it before the prefix's
    // bookings, which changes nothing for them.
    const other = edit(upsertPatient(clientId, { ...stored[2]!.data, phone: '+919800000001' }), 24, {
      phone: stored[2]!.data?.phone,
    });
    expect((await bothPaths(staff, clientId, [...walkIns(clientId, 1, 1), other])).used).toBe('fast+each');

    // Not when a mutation follows of a patient the prefix books for, or of a patient that depends
    // on an appointment (push_each applies both before any appointment), a new row depends on a
    // later mutation, or an id is sent twice.
    const rename = edit(upsertPatient(clientId, { ...stored[0]!.data, full_name: 'Edited' }), 22, {
      full_name: stored[0]!.data?.full_name,
    });
    const dependent = walkIns(clientId, 1, 1);
    const later = edit(upsertAppointment(clientId, { ...first.data, reason: 'Later' }), 23, {
      reason: first.data?.reason,
    });
    const again = walkIns(clientId, 1, 1);
    for (const batch of [
      [upsertAppointment(clientId, appointmentRow(stored[0]!.key, takeSlots(1)[0]!)), confirm, rename],
      [...walkIns(clientId, 1, 1), confirm, { ...other, deps: [confirm.id] }],
      [dependent[0]!, { ...dependent[1]!, deps: [...(dependent[1]!.deps ?? []), later.id] }, later],
      [...again, { ...cancel, id: again[0]!.id }],
    ]) {
      expect((await bothPaths(staff, clientId, batch)).used).toBe('each');
    }
  });
});

describe('sync_push: dependency cycles', () => {
  it('answers a patient that depends on its own booking as the per-mutation path does', async () => {
    // No device sends it (a patient references nothing), but anyone can: push_each places the
    // booking first, as the cycle's way in, where it finds no patient.
    const clientId = randomUUID();
    const patient = upsertPatient(clientId, patientRow());
    const booking = upsertAppointment(clientId, appointmentRow(patient.key, takeSlots(1)[0]!), [patient.id]);
    const outcome = await bothPaths(staff, clientId, [{ ...patient, deps: [booking.id] }, booking]);
    expect((outcome.answers as { status: string }[]).map((a) => a.status)).toEqual(['blocked', 'rejected']);
  });
});

describe('sync_push: one id for two rows', () => {
  it('answers each mutation with its own row when a patient and its booking share an id', async () => {
    // Different tables, so both rows may exist; no device makes such ids (random uuids), anyone can.
    const clientId = randomUUID();
    const patient = upsertPatient(clientId, patientRow());
    const booking = upsertAppointment(
      clientId,
      appointmentRow(patient.key, takeSlots(1)[0]!, { id: patient.key }),
      [patient.id],
    );
    const outcome = await bothPaths(staff, clientId, [patient, booking]);
    const rows = (outcome.answers as { row?: { full_name?: string; slot_id?: string } }[]).map((a) => a.row);
    expect(rows[0]?.full_name).toBe(patient.data?.full_name);
    expect(rows[1]?.slot_id).toBe(booking.data?.slot_id);
  });
});

describe('sync_push: the fast path under the per-mutation path’s rules', () => {
  it('stamps each row with its device and seq, so an older write of the same device is superseded', async () => {
    const clientId = randomUUID();
    const batch = walkIns(clientId, 1, 1);
    const answers = await push(staff.client, clientId, batch);
    expect(answers.map((a) => a.status)).toEqual(['applied', 'applied']);
    const stamped = await sql<{ last_client_id: string; last_client_seq: string }>(
      `select client_id as last_client_id, seq::text as last_client_seq from private.row_stamps
       where entity = 'patients' and id = $1`,
      [batch[0]!.key],
    );
    expect(stamped).toEqual([{ last_client_id: clientId, last_client_seq: '1' }]);
    // An older write of the same row (seq 0) arriving late: applied as a no-op, the row unchanged.
    const stale = withSeq(upsertPatient(clientId, { ...batch[0]!.data, full_name: 'Stale' }), 0);
    const [late] = await push(staff.client, clientId, [stale]);
    expect(late).toMatchObject({ status: 'applied', row: { full_name: batch[0]!.data?.full_name } });
  });
});

/**
 * Seeded random batches: good creates (which the fast path takes) mixed with what an attacker with
 * a real account sends. Each batch runs through both paths; the answers and every row, slot, ledger
 * entry and tombstone it touched must be the same, and the other account's rows must be untouched.
 * FC_SEED replays a failing seed, FC_RUNS runs more.
 */
/** What a server's own error text names: its tables, constraints, policies, functions, SQL. */
const INTERNALS =
  /relation "|constraint "|row-level security|policy|SQLSTATE|function |private\.|public\.|_pkey|_fkey|syntax error/i;

describe('sync_push: seeded mixes of good and hostile mutations', () => {
  interface Attacker {
    name: string;
    caller: Caller;
    clientId: string;
    /** A patient the attacker may book for (their profile, their clinic's walk-in), if any. */
    own: Mutation | null;
  }

  it('answer and leave the same through both paths, and never touch another account’s rows', async () => {
    // The victim books at another clinic: the kiosk's staff may move the status of a booking with
    // their own clinic's doctor, whoever made it.
    const victim = await newUser('paths-victim');
    const victimClient = randomUUID();
    const victimPatient = upsertPatient(victimClient, patientRow());
    const elsewhere = await createClinic(2);
    const victimBooking = upsertAppointment(
      victimClient,
      appointmentRow(victimPatient.key, elsewhere.slots[0]!),
      [victimPatient.id],
    );
    // And a booking the victim deleted: its id is the victim's tombstone.
    const victimGone = upsertAppointment(
      victimClient,
      appointmentRow(victimPatient.key, elsewhere.slots[1]!, { status: 'cancelled' }),
    );
    const stored = await push(victim.client, victimClient, [victimPatient, victimBooking, victimGone]);
    expect(stored.map((a) => a.status)).toEqual(['applied', 'applied', 'applied']);
    const gone = mutation(victimClient, { entity: 'appointments', op: 'delete', key: victimGone.key });
    expect((await push(victim.client, victimClient, [gone]))[0]?.status).toBe('applied');
    const victimKeys = [victimPatient.key, victimBooking.key];
    const baseline = mask(
      await sql(
        `select to_jsonb(r) - 'txid' as row from public.patients r where r.id = $1
         union all select to_jsonb(r) - 'txid' from public.appointments r where r.id = $2`,
        victimKeys,
      ),
    ) as { row: { id: string } }[];

    const phone = await newUser('paths-attacker');
    const phoneClient = randomUUID();
    const phonePatient = upsertPatient(phoneClient, patientRow());
    const kioskClient = randomUUID();
    const walkIn = upsertPatient(kioskClient, patientRow());
    expect((await push(phone.client, phoneClient, [phonePatient]))[0]?.status).toBe('applied');
    expect((await push(staff.client, kioskClient, [walkIn]))[0]?.status).toBe('applied');
    const anonymous = await newUser('paths-anonymous');
    const attackers: Attacker[] = [
      { name: 'kiosk', caller: staff, clientId: kioskClient, own: walkIn },
      { name: 'phone', caller: phone, clientId: phoneClient, own: phonePatient },
      {
        name: 'anonymous',
        caller: { userId: anonymous.userId, claims: { is_anonymous: true } },
        clientId: randomUUID(),
        own: null,
      },
    ];
    // Every run is rolled back, so every run may book these (and double-book them in one batch).
    const pool = takeSlots(12);

    const seed = propertySeed();
    const used: Record<string, number> = {};
    for (let run = 0; run < propertyRuns(60); run++) {
      const random = seededRandom(seed + run);
      const nextId = seededIds(seed * 7919 + run);
      const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
      const attacker = pick(attackers);
      // Sometimes under the victim's client id, where the victim's mutation ids are in its ledger.
      const clientId = random() < 0.2 ? victimClient : attacker.clientId;
      const batch: unknown[] = [];
      const fresh: Mutation[] = [];
      const newPatient = (overrides: Record<string, unknown> = {}): Mutation => ({
        ...upsertPatient(clientId, patientRow({ id: nextId(), ...overrides })),
        id: nextId(),
      });
      // A booking of the attacker's own patient (or one created in the batch), in a status the
      // attacker may create; a hostile one may name any patient and any status.
      const booking = (overrides: Record<string, unknown> = {}, hostile = false): Mutation => {
        const own = [...fresh, ...(attacker.own ? [attacker.own] : [])];
        const parent = pick(hostile || own.length === 0 ? [...own, victimPatient, null] : own);
        const statuses = hostile
          ? ['requested', 'confirmed', 'checked_in', 'completed', 'no_show', 'rejected']
          : ['requested', 'requested', 'cancelled', ...(attacker.name === 'kiosk' ? ['confirmed'] : [])];
        const row = appointmentRow(
          parent?.key ?? nextId(),
          pick(hostile ? [...pool, clinic.pastSlot] : pool),
          {
            id: nextId(),
            status: pick(statuses),
            ...overrides,
          },
        );
        const deps = parent && fresh.includes(parent) ? [parent.id] : [];
        return { ...upsertAppointment(clientId, row, deps), id: nextId() };
      };
      // What ends the plain prefix, so that the rest follows it through push_each: an edit (with
      // its base) of the attacker's own row or of a row created earlier in the batch, a delete of
      // one, a request by specialty.
      const prefixEnders: (() => unknown)[] = [
        () => {
          const target = pick([...fresh, ...(attacker.own ? [attacker.own] : [])]);
          if (!target) return newPatient();
          return {
            ...upsertPatient(clientId, { ...target.data, full_name: 'Edited' }, pick([[], [target.id]])),
            id: nextId(),
            base: { full_name: target.data?.full_name },
          };
        },
        () => {
          const earlier = pick(batch) as Mutation | undefined;
          if (!earlier?.entity || !earlier.key) return newPatient();
          return {
            ...mutation(clientId, { entity: earlier.entity, op: 'delete', key: earlier.key }),
            id: nextId(),
          };
        },
        () => {
          const parent = pick([...fresh, ...(attacker.own ? [attacker.own] : []), victimPatient]);
          return {
            ...upsertAppointment(
              clientId,
              {
                id: nextId(),
                patient_id: parent.key,
                mode: 'in_person',
                reason: 'Rash',
                status: 'requested',
                requested_specialty: 'general medicine',
                preferred_date: pool[0]!.starts_at.slice(0, 10),
                preferred_window: 'any',
              },
              fresh.includes(parent) ? [parent.id] : [],
            ),
            id: nextId(),
          };
        },
      ];
      const hostile: (() => unknown)[] = [
        ...prefixEnders,
        // Another account's rows: take over the profile, cancel the booking, delete either.
        () => newPatient({ id: victimPatient.key, full_name: 'Taken over' }),
        // The same as a field-level edit (with its base), which ends the plain prefix.
        () => ({
          ...newPatient({ id: victimPatient.key, full_name: 'Taken over' }),
          base: { full_name: victimPatient.data?.full_name },
        }),
        () => ({
          ...upsertAppointment(clientId, { ...victimBooking.data, status: 'cancelled' }),
          id: nextId(),
        }),
        () => ({
          ...mutation(clientId, {
            entity: pick(['patients', 'appointments']),
            op: 'delete',
            key: pick([...victimKeys, nextId()]),
          }),
          id: nextId(),
        }),
        // Another account's mutation ids, and the attacker's own applied one, sent again.
        () => ({
          ...newPatient(),
          id: pick([victimPatient.id, victimBooking.id, walkIn.id, phonePatient.id]),
        }),
        // The same mutation twice in one batch.
        () => (batch.length > 0 ? structuredClone(pick(batch)) : newPatient()),
        // A forged actor, deps on ids nobody sent.
        () => ({ ...newPatient(), actor: pick([victim.userId, 'clinic', 'system']) }),
        () => booking({}, true),
        () => ({ ...booking(), deps: [nextId()] }),
        // Wrong types, a value too long, fields the server sets itself.
        () =>
          newPatient(pick([{ full_name: 42 }, { date_of_birth: 19840715 }, { sex: 'robot' }, { phone: [] }])),
        () => booking(pick([{ reason: ['x'] }, { starts_at: true }, { slot_id: 7 }, { status: 'approved' }])),
        () => newPatient(pick([{ full_name: 'x'.repeat(5000) }, { address: 'y'.repeat(201) }])),
        () => booking({ reason: 'z'.repeat(501) }),
        () =>
          newPatient({
            user_id: victim.userId,
            registered_by: victim.userId,
            clinic_id: clinic.clinicId,
            version: 99,
            last_client_seq: 5,
            blob: 'q'.repeat(20_000),
          }),
        () => booking({ join_url: 'https://evil.example/room/1', status: 'confirmed', version: 7 }),
        () => ({ ...newPatient(), data: pick(['a string', 12, null, []]) }),
        // A patient that depends on its own booking, sent after it: a cycle.
        () => {
          const patient = newPatient();
          const own = {
            ...upsertAppointment(clientId, appointmentRow(patient.key, pick(pool), { id: nextId() }), [
              patient.id,
            ]),
            id: nextId(),
          };
          batch.push({ ...patient, deps: [own.id] });
          return own;
        },
        // A booking under the id of one the victim deleted.
        () => booking({ id: victimGone.key }),
        // A booking whose id is a patient's of the batch (one id, two tables).
        () => (fresh.length > 0 ? booking({ id: pick(fresh).key }) : newPatient()),
        // Entities the server has no writer for.
        () => ({
          ...newPatient(),
          entity: pick(['staff', 'sync_ledger', 'slots', 'Patients']),
          data: { user_id: attacker.caller.userId, clinic_id: clinic.clinicId },
        }),
      ];
      // Some runs mostly good, some mostly hostile; some end with what ends the plain prefix.
      const hostileRate = pick([0.05, 0.15, 0.4]);
      const size = 1 + Math.floor(random() * 6);
      for (let i = 0; i < size; i++) {
        const roll = random();
        let next: unknown;
        if (roll < hostileRate) {
          next = pick(hostile)();
        } else if (
          roll < hostileRate + (1 - hostileRate) * 0.45 &&
          // A phone has one profile: a second one is refused (conflict).
          (attacker.name === 'kiosk' || (!attacker.own && fresh.length === 0))
        ) {
          const m = random() < 0.3 ? { ...newPatient(), seq: run * 10 + i } : newPatient();
          fresh.push(m);
          next = m;
        } else {
          next = booking();
        }
        batch.push(next);
      }
      if (random() < 0.3) batch.push(pick(prefixEnders)());

      const each = await runThrough('each', attacker.caller, clientId, batch);
      const outcome = await runThrough('fast', attacker.caller, clientId, batch);
      const replay = `seed ${seed + run} (${attacker.name}): ${JSON.stringify(batch)}`;
      expect(each.used, replay).toBe('each');
      expect({ answers: outcome.answers, rows: outcome.rows }, replay).toEqual({
        answers: each.answers,
        rows: each.rows,
      });
      used[outcome.used] = (used[outcome.used] ?? 0) + 1;
      // A refusal is told in the app's words: no table, constraint, policy or function of the
      // server's (they are its internals, and the answer reaches the patient's screen).
      const said = (outcome.answers as { message?: unknown }[]).map((a) => String(a.message ?? ''));
      expect(
        said.filter((m) => INTERNALS.test(m)),
        replay,
      ).toEqual([]);
      const rows = outcome.rows as Record<string, { id: string }[] | null>;
      const named = [...(rows.patients ?? []), ...(rows.appointments ?? [])].filter((r) =>
        victimKeys.includes(r.id),
      );
      const mentioned = victimKeys.filter((k) => JSON.stringify(batch).includes(k));
      // Every victim row the batch named is still there, exactly as it was.
      expect(named.map((r) => r.id).sort(), `seed ${seed + run} (${attacker.name})`).toEqual(
        mentioned.filter((k) => batch.some((m) => (m as Mutation | null)?.key === k)).sort(),
      );
      for (const row of named) {
        expect(row, `seed ${seed + run} (${attacker.name})`).toEqual(
          baseline.find((b) => b.row.id === row.id)?.row,
        );
      }
      // Nobody else's row takes the deleted booking's id, and its tombstone stays.
      if (batch.some((m) => (m as Mutation | null)?.key === victimGone.key)) {
        expect(rows.appointments?.map((r) => r.id) ?? [], `seed ${seed + run}`).not.toContain(victimGone.key);
        expect(
          rows.tombstones?.map((r) => r.id),
          `seed ${seed + run}`,
        ).toContain(victimGone.key);
      }
    }
    // The mixes must reach the fast path (whole and as a prefix) as well as the fallback, or the
    // comparison would be of the per-mutation path with itself.
    expect(used.fast).toBeGreaterThan(0);
    expect(used['fast+each']).toBeGreaterThan(0);
    expect(used.each).toBeGreaterThan(0);
  });
});
