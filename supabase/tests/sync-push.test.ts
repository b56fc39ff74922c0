/**
 * sync_push over supabase-js against the real stack: parents first, exactly once, per-mutation
 * answers (applied, duplicate, rejected, blocked), limits, ownership and status rules.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { PUSH_LIMITS } from '../../sync/protocol.ts';
import { connect, newUser, sql, type TestUser } from './stack-clients.ts';
import {
  answer,
  appointmentRow,
  createClinic,
  mutation,
  newStaff,
  patientRow,
  push,
  pushRaw,
  type Row,
  type TestClinic,
  upsertAppointment,
  upsertPatient,
  waitFor,
} from './sync-fixtures.ts';

let clinic: TestClinic;

beforeAll(async () => {
  clinic = await createClinic(60);
});

/** The next unused future slot of the test clinic. */
function takeSlot(mode?: 'video' | 'in_person') {
  const index = clinic.slots.findIndex((s) => mode === undefined || s.mode === mode);
  if (index < 0) throw new Error('test clinic ran out of slots');
  const [slot] = clinic.slots.splice(index, 1);
  return slot!;
}

async function patientWithProfile(
  label = 'patient',
): Promise<{ user: TestUser; clientId: string; patient: Row }> {
  const user = await newUser(label);
  const clientId = randomUUID();
  const patient = patientRow();
  const results = await push(user.client, clientId, [upsertPatient(clientId, patient)]);
  expect(results[0]?.status).toBe('applied');
  return { user, clientId, patient };
}

describe('sync_push: order and exactly once', () => {
  it('applies an appointment sent before its patient, parents first, answering in the order sent', async () => {
    const user = await newUser('order');
    const clientId = randomUUID();
    const patient = patientRow();
    const slot = takeSlot();
    const patientMutation = upsertPatient(clientId, patient);
    const appointmentMutation = upsertAppointment(clientId, appointmentRow(String(patient.id), slot), [
      patientMutation.id,
    ]);

    const results = await push(user.client, clientId, [appointmentMutation, patientMutation]);

    expect(results.map((r) => [r.id, r.status])).toEqual([
      [appointmentMutation.id, 'applied'],
      [patientMutation.id, 'applied'],
    ]);
    const patientAnswer = answer(results, patientMutation.id, 'applied');
    expect(patientAnswer.row).toMatchObject({ id: patient.id, user_id: user.userId, version: 1 });
    expect(patientAnswer.row).not.toHaveProperty('txid');
    const appointment = answer(results, appointmentMutation.id, 'applied');
    expect(appointment.row).toMatchObject({ patient_id: patient.id, slot_id: slot.id, status: 'requested' });
    const [slotRow] = await sql<{ available: boolean }>('select available from public.slots where id = $1', [
      slot.id,
    ]);
    expect(slotRow?.available).toBe(false);
  });

  it('answers a replayed batch with duplicate, the first answer byte for byte, and changes nothing', async () => {
    const user = await newUser('replay');
    const clientId = randomUUID();
    const patient = patientRow();
    const batch = [
      upsertAppointment(clientId, appointmentRow(String(patient.id), takeSlot())),
      upsertPatient(clientId, patient),
    ];
    const first = await push(user.client, clientId, batch);
    const before = await sql('select * from public.patients where id = $1', [patient.id]);

    const again = await push(user.client, clientId, batch);

    expect(again.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    again.forEach((result, i) => {
      if (result.status !== 'duplicate') throw new Error('expected duplicate');
      expect(JSON.stringify(result.first)).toBe(JSON.stringify(first[i]));
    });
    expect(await sql('select * from public.patients where id = $1', [patient.id])).toEqual(before);
    const ledger = await sql<{ n: string }>(
      'select count(*) as n from public.sync_ledger where client_id = $1',
      [clientId],
    );
    expect(ledger[0]?.n).toBe('2');
  });

  it('answers the same mutation sent twice in one batch with applied, then duplicate', async () => {
    // The ledger answer is written at the end of the call; the second copy must still see it.
    const user = await newUser('twice');
    const clientId = randomUUID();
    const m = upsertPatient(clientId, patientRow());
    const [first, second] = await push(user.client, clientId, [m, m]);
    expect(first?.status).toBe('applied');
    if (second?.status !== 'duplicate') throw new Error(`expected duplicate, got ${JSON.stringify(second)}`);
    expect(JSON.stringify(second.first)).toBe(JSON.stringify(first));
    const [stored] = await sql<{ answer: unknown }>(
      'select answer from public.sync_ledger where client_id = $1 and mutation_id = $2',
      [clientId, m.id],
    );
    expect(stored?.answer).toEqual(first);
  });

  it('applies a mutation once when two connections push it at the same moment', async () => {
    const user = await newUser('race');
    const clientId = randomUUID();
    const patient = patientRow();
    const batch = [upsertPatient(clientId, patient)];
    // Hold both pushes inside the database until both are waiting, so they truly overlap.
    const gate = await connect();
    try {
      await gate.query('begin');
      await gate.query('lock table public.patients in exclusive mode');
      const racing = Promise.all([push(user.client, clientId, batch), push(user.client, clientId, batch)]);
      await waitFor(async () => {
        const [row] = await sql<{ n: string }>(
          `select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%sync_push%'`,
        );
        return row?.n === '2';
      }, 'both pushes to wait');
      await gate.query('commit');
      const [a, b] = await racing;
      expect([a[0]?.status, b[0]?.status].sort()).toEqual(['applied', 'duplicate']);
      const applied = [a[0], b[0]].find((r) => r?.status === 'applied');
      const duplicate = [a[0], b[0]].find((r) => r?.status === 'duplicate');
      if (duplicate?.status !== 'duplicate') throw new Error('expected duplicate');
      expect(JSON.stringify(duplicate.first)).toBe(JSON.stringify(applied));
    } finally {
      await gate.query('rollback').catch(() => {});
      await gate.end();
    }
    const rows = await sql<{ version: number }>('select version from public.patients where id = $1', [
      patient.id,
    ]);
    expect(rows).toEqual([{ version: 1 }]);
  });

  it('answers missing_parent for an appointment whose patient is nowhere, and applies the rest', async () => {
    const { user, clientId, patient } = await patientWithProfile('orphan');
    const orphan = upsertAppointment(clientId, appointmentRow(randomUUID(), takeSlot()));
    const fine = upsertAppointment(clientId, appointmentRow(String(patient.id), takeSlot()));

    const results = await push(user.client, clientId, [orphan, fine]);

    const rejected = answer(results, orphan.id, 'rejected');
    expect(rejected.code).toBe('missing_parent');
    expect(rejected.field).toBe('patient_id');
    expect(rejected.message).toContain(String(orphan.data?.patient_id));
    answer(results, fine.id, 'applied');
    expect(await sql('select 1 from public.appointments where id = $1', [orphan.key])).toEqual([]);
  });

  it('answers a refused mutation sent again with its refusal; the fix, a new mutation, applies once its parent exists', async () => {
    const user = await newUser('resend');
    const clientId = randomUUID();
    const patient = patientRow();
    const slot = takeSlot();
    const booking = upsertAppointment(clientId, appointmentRow(String(patient.id), slot));

    const first = await push(user.client, clientId, [booking]);
    const refusal = answer(first, booking.id, 'rejected');
    expect(refusal.code).toBe('missing_parent');

    // The same id again, parent and all: the ledger's answer, never a second evaluation (a late copy
    // of a refused write must not apply behind the user's back).
    const second = await push(user.client, clientId, [upsertPatient(clientId, patient), booking]);
    expect(second.map((r) => r.status)).toEqual(['applied', 'duplicate']);
    expect(answer(second, booking.id, 'duplicate').first).toEqual(refusal);

    const fix = upsertAppointment(clientId, appointmentRow(String(patient.id), slot));
    expect((await push(user.client, clientId, [fix])).map((r) => r.status)).toEqual(['applied']);
  });

  it('blocks the mutations behind a rejected one, naming the rejected one', async () => {
    const user = await newUser('blocked');
    const clientId = randomUUID();
    const badPatient = upsertPatient(clientId, patientRow({ full_name: '' }));
    const booking = upsertAppointment(clientId, appointmentRow(String(badPatient.key), takeSlot()), [
      badPatient.id,
    ]);
    const cancel = upsertAppointment(clientId, { ...booking.data, status: 'cancelled' }, [booking.id]);
    // No deps written: the reference to the rejected patient is enough.
    const implicit = upsertAppointment(clientId, appointmentRow(String(badPatient.key), takeSlot()));

    const results = await push(user.client, clientId, [cancel, booking, badPatient, implicit]);

    expect(answer(results, badPatient.id, 'rejected').field).toBe('full_name');
    for (const m of [booking, cancel, implicit]) {
      const blocked = answer(results, m.id, 'blocked');
      expect(blocked.blockedBy).toBe(badPatient.id);
      expect(blocked.message).toContain(badPatient.id);
    }
    expect(await sql('select 1 from public.appointments where id = $1', [booking.key])).toEqual([]);
  });
});

describe('sync_push: slots', () => {
  it('answers slot_taken for a slot another patient holds', async () => {
    const a = await patientWithProfile('slot-a');
    const b = await patientWithProfile('slot-b');
    const slot = takeSlot();
    const first = await push(a.user.client, a.clientId, [
      upsertAppointment(a.clientId, appointmentRow(String(a.patient.id), slot)),
    ]);
    expect(first[0]?.status).toBe('applied');

    const second = upsertAppointment(b.clientId, appointmentRow(String(b.patient.id), slot));
    const results = await push(b.user.client, b.clientId, [second]);

    const rejected = answer(results, second.id, 'rejected');
    expect(rejected.code).toBe('slot_taken');
    expect(rejected.field).toBe('slot_id');
    expect(rejected.message).toContain(slot.id);
  });

  it('answers own_booking for the second of two bookings of one slot by one patient in one batch', async () => {
    const { user, clientId, patient } = await patientWithProfile('slot-twice');
    const slot = takeSlot();
    const one = upsertAppointment(clientId, appointmentRow(String(patient.id), slot));
    const two = upsertAppointment(clientId, appointmentRow(String(patient.id), slot));
    const results = await push(user.client, clientId, [one, two]);
    answer(results, one.id, 'applied');
    expect(answer(results, two.id, 'rejected').code).toBe('own_booking');
  });

  it('frees the slot when the appointment is cancelled, so it can be booked again', async () => {
    const { user, clientId, patient } = await patientWithProfile('cancel');
    const slot = takeSlot();
    const booking = appointmentRow(String(patient.id), slot);
    await push(user.client, clientId, [upsertAppointment(clientId, booking)]);
    const cancel = upsertAppointment(clientId, { ...booking, status: 'cancelled' });
    const results = await push(user.client, clientId, [cancel]);
    expect(answer(results, cancel.id, 'applied').row).toMatchObject({ status: 'cancelled', version: 2 });
    const [slotRow] = await sql<{ available: boolean }>('select available from public.slots where id = $1', [
      slot.id,
    ]);
    expect(slotRow?.available).toBe(true);

    const rebook = upsertAppointment(clientId, appointmentRow(String(patient.id), slot));
    answer(await push(user.client, clientId, [rebook]), rebook.id, 'applied');
  });
});

describe('sync_push: status rules', () => {
  it('refuses statuses only the clinic sets, and transitions that cannot follow', async () => {
    const { user, clientId, patient } = await patientWithProfile('status');
    const confirmedAtBirth = upsertAppointment(
      clientId,
      appointmentRow(String(patient.id), takeSlot(), { status: 'confirmed' }),
    );
    const booking = appointmentRow(String(patient.id), takeSlot());
    const create = upsertAppointment(clientId, booking);
    const selfConfirm = upsertAppointment(clientId, { ...booking, status: 'confirmed' }, [create.id]);
    const results = await push(user.client, clientId, [confirmedAtBirth, create, selfConfirm]);

    const atBirth = answer(results, confirmedAtBirth.id, 'rejected');
    expect([atBirth.code, atBirth.field]).toEqual(['transition', 'status']);
    answer(results, create.id, 'applied');
    const confirm = answer(results, selfConfirm.id, 'rejected');
    expect([confirm.code, confirm.field]).toEqual(['transition', 'status']);
    expect(confirm.message).toMatch(/only the clinic/);

    // The back office completes the visit; the device's late cancel cannot follow.
    await sql(`update public.appointments set status = 'completed' where id = $1`, [booking.id]);
    const lateCancel = upsertAppointment(clientId, { ...booking, status: 'cancelled' });
    const late = answer(await push(user.client, clientId, [lateCancel]), lateCancel.id, 'rejected');
    expect(late.code).toBe('transition');
    expect(late.message).toMatch(
      /completed → cancelled is not allowed; the appointment is already completed/,
    );
  });

  it('accepts a booking created already cancelled (a create and cancel merged on the device)', async () => {
    const { user, clientId, patient } = await patientWithProfile('merged');
    const m = upsertAppointment(
      clientId,
      appointmentRow(String(patient.id), takeSlot(), { status: 'cancelled' }),
    );
    expect(answer(await push(user.client, clientId, [m]), m.id, 'applied').row).toMatchObject({
      status: 'cancelled',
    });
  });
});

describe('sync_push: ownership', () => {
  it('sets ownership from the session, never from the device', async () => {
    const user = await newUser('owner');
    const clientId = randomUUID();
    const forged = patientRow({
      user_id: randomUUID(),
      clinic_id: clinic.clinicId,
      registered_by: randomUUID(),
    });
    const m = upsertPatient(clientId, forged);
    const row = answer(await push(user.client, clientId, [m]), m.id, 'applied').row;
    expect(row).toMatchObject({ user_id: user.userId, clinic_id: null, registered_by: null });
  });

  it('registers walk-ins at a kiosk for the staff member and their clinic', async () => {
    const staff = await newStaff(clinic.clinicId);
    const clientId = randomUUID();
    const walkIn = upsertPatient(clientId, patientRow({ user_id: randomUUID() }));
    const booking = upsertAppointment(clientId, appointmentRow(String(walkIn.key), takeSlot()));
    const results = await push(staff.client, clientId, [booking, walkIn]);
    expect(answer(results, walkIn.id, 'applied').row).toMatchObject({
      user_id: null,
      registered_by: staff.userId,
      clinic_id: clinic.clinicId,
    });
    answer(results, booking.id, 'applied');
  });

  it("answers forbidden for writes to someone else's patient or appointment, and changes nothing", async () => {
    const a = await patientWithProfile('victim');
    const booking = appointmentRow(String(a.patient.id), takeSlot());
    await push(a.user.client, a.clientId, [upsertAppointment(a.clientId, booking)]);
    const b = await patientWithProfile('intruder');
    const otherStaff = await newStaff((await createClinic(1)).clinicId, 'other-staff');
    const before = await sql('select * from public.patients where id = $1', [a.patient.id]);

    const overwrite = upsertPatient(b.clientId, { ...a.patient, full_name: 'Mallory' });
    const cancelTheirs = upsertAppointment(b.clientId, { ...booking, status: 'cancelled' });
    const deleteTheirs = mutation(b.clientId, {
      entity: 'appointments',
      op: 'delete',
      key: String(booking.id),
    });
    const bookForThem = upsertAppointment(b.clientId, appointmentRow(String(a.patient.id), takeSlot()));
    // One push each: in one batch, the later ones would be blocked behind the first refusal.
    for (const m of [overwrite, cancelTheirs, deleteTheirs, bookForThem]) {
      const refused = answer(await push(b.user.client, b.clientId, [m]), m.id, 'rejected');
      expect(refused.code).toBe('forbidden');
      expect(refused.message).toMatch(/belongs to another account or clinic/);
    }
    const staffClient = randomUUID();
    const staffOverwrite = upsertPatient(staffClient, { ...a.patient, full_name: 'Mallory' });
    expect(
      answer(await push(otherStaff.client, staffClient, [staffOverwrite]), staffOverwrite.id, 'rejected')
        .code,
    ).toBe('forbidden');
    expect(await sql('select * from public.patients where id = $1', [a.patient.id])).toEqual(before);
    const [appointment] = await sql<{ status: string }>(
      'select status from public.appointments where id = $1',
      [booking.id],
    );
    expect(appointment?.status).toBe('requested');
  });

  it('answers conflict for a second profile of the same account', async () => {
    const { user, clientId } = await patientWithProfile('second-profile');
    const m = upsertPatient(clientId, patientRow());
    expect(answer(await push(user.client, clientId, [m]), m.id, 'rejected').code).toBe('conflict');
  });

  it('deletes own rows, and treats deleting what is gone as done', async () => {
    const { user, clientId, patient } = await patientWithProfile('delete');
    const booking = appointmentRow(String(patient.id), takeSlot());
    await push(user.client, clientId, [upsertAppointment(clientId, booking)]);
    const dropAppointment = mutation(clientId, {
      entity: 'appointments',
      op: 'delete',
      key: String(booking.id),
    });
    const dropPatient = mutation(clientId, { entity: 'patients', op: 'delete', key: String(patient.id) });
    const dropNothing = mutation(clientId, { entity: 'patients', op: 'delete', key: randomUUID() });
    // Patient first on the wire: the server still deletes the appointment before the patient.
    const results = await push(user.client, clientId, [dropPatient, dropAppointment, dropNothing]);
    expect(results.map((r) => (r.status === 'applied' ? r.row : r))).toEqual([null, null, null]);
    expect(await sql('select 1 from public.patients where id = $1', [patient.id])).toEqual([]);
    const tombstones = await sql<{ entity: string }>(
      'select entity from public.sync_tombstones where id = any($1::uuid[]) order by entity',
      [[patient.id, booking.id]],
    );
    expect(tombstones.map((t) => t.entity)).toEqual(['appointments', 'patients']);
  });
});

describe('sync_push: bad input', () => {
  it('rejects each kind of bad input with a message saying what is wrong, and loses nothing else', async () => {
    const user = await newUser('bad-input');
    const clientId = randomUUID();
    const patient = patientRow();
    const good = upsertPatient(clientId, patient);
    const pid = String(patient.id);
    const slot = takeSlot('in_person');
    const goodBooking = upsertAppointment(clientId, appointmentRow(pid, slot));
    const p = (overrides: Row) => upsertPatient(clientId, patientRow(overrides));
    const a = (overrides: Row) =>
      upsertAppointment(clientId, appointmentRow(pid, takeSlot('in_person'), overrides));
    // Two days on: the latest date of birth accepted is today in UTC+14, already tomorrow (UTC)
    // from 10:00 UTC.
    const future = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const missingName = patientRow();
    delete missingName.full_name;

    const cases: Array<[ReturnType<typeof mutation>, string, RegExp]> = [
      [
        mutation(clientId, { entity: 'doctors', data: patientRow() }),
        'entity',
        /entity must be one of patients, appointments/,
      ],
      [
        mutation(clientId, { entity: 'patients', op: 'merge', data: patientRow() }),
        'op',
        /op must be one of upsert, delete/,
      ],
      [mutation(clientId, { entity: 'patients', key: 'patient-1', data: {} }), 'key', /key must be a uuid/],
      [mutation(clientId, { entity: 'patients', data: null }), 'data', /upsert needs data/],
      [{ ...p({}), key: randomUUID() }, 'id', /data\.id .* does not match key/],
      [{ ...p({}), clientId: randomUUID() }, 'clientId', /does not match the client_id/],
      [upsertPatient(clientId, missingName), 'full_name', /full_name is required/],
      [p({ full_name: '   ' }), 'full_name', /full_name is required/],
      [p({ full_name: 'x'.repeat(121) }), 'full_name', /121 characters long; the most is 120/],
      [p({ full_name: 42 }), 'full_name', /full_name must be a string, not a number/],
      [p({ date_of_birth: '15/07/1984' }), 'date_of_birth', /form YYYY-MM-DD/],
      [p({ date_of_birth: '2001-02-30' }), 'date_of_birth', /not a real date/],
      [p({ date_of_birth: future }), 'date_of_birth', /cannot be in the future/],
      [p({ date_of_birth: '1899-12-31' }), 'date_of_birth', /on or after 1900-01-01/],
      [p({ sex: 'M' }), 'sex', /sex must be one of female, male, other, undisclosed/],
      [p({ phone: '12345' }), 'phone', /phone must be 7 to 15 digits/],
      [p({ address: 'y'.repeat(201) }), 'address', /the most is 200/],
      [p({ preferred_language: 'fr' }), 'preferred_language', /preferred_language must be one of en, hi/],
      [p({ emergency_contact_phone: 'call Ramesh' }), 'emergency_contact_phone', /7 to 15 digits/],
      [a({ patient_id: 'sunita' }), 'patient_id', /patient_id must be a uuid/],
      [a({ mode: 'phone' }), 'mode', /mode must be one of video, in_person/],
      [a({ status: 'done' }), 'status', /status must be one of/],
      [a({ reason: '' }), 'reason', /reason is required/],
      [a({ reason: 'z'.repeat(501) }), 'reason', /the most is 500/],
      [a({ starts_at: 'tomorrow morning' }), 'starts_at', /ISO 8601 timestamp/],
      [a({ slot_id: randomUUID() }), 'slot_id', /there is no slot/],
      [a({ doctor_id: randomUUID() }), 'doctor_id', /belongs to doctor/],
      [a({ mode: 'video' }), 'mode', /is for in_person consultations, not video/],
      [upsertAppointment(clientId, appointmentRow(pid, clinic.pastSlot)), 'slot_id', /pick a later slot/],
      [
        { ...p({}), deps: 'all of them' } as unknown as ReturnType<typeof mutation>,
        'deps',
        /deps must be an array/,
      ],
    ];
    const batch = [good, ...cases.map(([m]) => m), goodBooking];

    const results = await push(user.client, clientId, batch);

    expect(results.map((r) => r.id)).toEqual(batch.map((m) => m.id));
    answer(results, good.id, 'applied');
    answer(results, goodBooking.id, 'applied');
    for (const [m, field, message] of cases) {
      const rejected = answer(results, m.id, 'rejected');
      expect({ id: m.id, code: rejected.code, field: rejected.field }).toEqual({
        id: m.id,
        code: 'validation',
        field,
      });
      expect(rejected.message).toMatch(message);
    }
    const keys = cases.map(([m]) => m.key).filter((k) => /^[0-9a-f-]{36}$/.test(k));
    const written = await sql(
      'select id from public.patients where id = any($1::uuid[]) union all select id from public.appointments where id = any($1::uuid[])',
      [keys],
    );
    expect(written).toEqual([]);
  });

  it('answers a malformed mutation envelope without losing the rest of the batch', async () => {
    const { user, clientId, patient } = await patientWithProfile('envelope');
    const good = upsertPatient(clientId, { ...patient, full_name: 'Sunita Devi Yadav' });
    const badId = { ...upsertPatient(clientId, patientRow()), id: 'not-a-uuid' };
    const { data, failure } = await pushRaw(user.client, clientId, [42, badId, good]);
    expect(failure).toBeNull();
    expect(data).toEqual([
      expect.objectContaining({
        id: null,
        status: 'rejected',
        code: 'validation',
        message: 'a mutation must be a JSON object',
      }),
      expect.objectContaining({ id: 'not-a-uuid', status: 'rejected', code: 'validation', field: 'id' }),
      expect.objectContaining({ id: good.id, status: 'applied' }),
    ]);
  });

  it('stores trimmed text and phone numbers without spaces or dashes', async () => {
    const user = await newUser('normalise');
    const clientId = randomUUID();
    const m = upsertPatient(
      clientId,
      patientRow({ full_name: '  Asha Kumari ', phone: '+91 98123-45678', address: '  ' }),
    );
    expect(answer(await push(user.client, clientId, [m]), m.id, 'applied').row).toMatchObject({
      full_name: 'Asha Kumari',
      phone: '+919812345678',
      address: null,
    });
  });
});

describe('sync_push: limits', () => {
  it(`refuses more than ${PUSH_LIMITS.maxMutations} mutations with a clear error, applying none`, async () => {
    const user = await newUser('limit-count');
    const clientId = randomUUID();
    const first = upsertPatient(clientId, patientRow());
    const batch = [
      first,
      ...Array.from({ length: PUSH_LIMITS.maxMutations }, () => upsertPatient(clientId, patientRow())),
    ];
    const { failure } = await pushRaw(user.client, clientId, batch);
    expect(failure).toMatchObject({ status: 413, code: 'PT413' });
    expect(failure?.message).toContain(`at most ${PUSH_LIMITS.maxMutations} mutations`);
    expect(failure?.message).toContain(`has ${PUSH_LIMITS.maxMutations + 1} mutations`);
    expect(await sql('select 1 from public.patients where id = $1', [first.key])).toEqual([]);
  });

  it(`refuses more than ${PUSH_LIMITS.maxBytes} bytes of JSON with a clear error`, async () => {
    const user = await newUser('limit-bytes');
    const clientId = randomUUID();
    const batch = Array.from({ length: 3 }, () =>
      upsertPatient(clientId, patientRow({ padding: 'p'.repeat(PUSH_LIMITS.maxBytes / 3) })),
    );
    const bytes = Buffer.byteLength(JSON.stringify(batch));
    const { failure } = await pushRaw(user.client, clientId, batch);
    expect(failure).toMatchObject({ status: 413, code: 'PT413' });
    expect(failure?.message).toContain(`at most ${PUSH_LIMITS.maxBytes} bytes`);
    expect(failure?.message).toContain(`has ${bytes} bytes`);
  });

  it('measures the bytes the device sent, so a batch just under the limit is accepted', async () => {
    const staff = await newStaff(clinic.clinicId, 'limit-edge');
    const clientId = randomUUID();
    const batch = Array.from({ length: 20 }, () => upsertPatient(clientId, patientRow()));
    const base = Buffer.byteLength(JSON.stringify(batch));
    // Replacing `null` with a string of n characters adds n - 2 bytes; land 5 bytes under the limit.
    batch[0] = { ...batch[0]!, actor: 'a'.repeat(PUSH_LIMITS.maxBytes - base + 2 - 5) };
    const exact = Buffer.byteLength(JSON.stringify(batch));
    expect(exact).toBe(PUSH_LIMITS.maxBytes - 5);
    const results = await push(staff.client, clientId, batch);
    expect(results.every((r) => r.status === 'applied')).toBe(true);
  });

  it(`applies a full batch of ${PUSH_LIMITS.maxMutations} walk-in registrations`, async () => {
    const staff = await newStaff(clinic.clinicId, 'limit-full');
    const clientId = randomUUID();
    const batch = Array.from({ length: PUSH_LIMITS.maxMutations }, () =>
      upsertPatient(clientId, patientRow()),
    );
    const results = await push(staff.client, clientId, batch);
    expect(results.filter((r) => r.status === 'applied')).toHaveLength(PUSH_LIMITS.maxMutations);
  });
});

describe('sync_push: a late write of the same device', () => {
  it('is superseded even when it waits on the row while the newer write commits (two tabs, no lock)', async () => {
    const user = await newUser('late-race');
    const clientId = randomUUID();
    const patient = patientRow();
    const created = { ...upsertPatient(clientId, patient), seq: 1 };
    answer(await push(user.client, clientId, [created]), created.id, 'applied');
    const newer = { ...upsertPatient(clientId, { ...patient, full_name: 'Newer name' }), seq: 3 };
    const older = { ...upsertPatient(clientId, { ...patient, full_name: 'Older name' }), seq: 2 };

    // Hold the row, so the newer push waits on it first and the older one queues behind it: the
    // older one then reads the row only after the newer one committed.
    const gate = await connect();
    const waiting = async (n: number) =>
      waitFor(async () => {
        const [row] = await sql<{ n: string }>(
          `select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%sync_push%'`,
        );
        return row?.n === String(n);
      }, `${n} pushes to wait on the row`);
    try {
      await gate.query('begin');
      await gate.query('select 1 from public.patients where id = $1 for update', [patient.id]);
      const first = push(user.client, clientId, [newer]);
      await waiting(1);
      const second = push(user.client, clientId, [older]);
      await waiting(2);
      await gate.query('commit');
      expect(answer(await first, newer.id, 'applied').row).toMatchObject({
        full_name: 'Newer name',
        version: 2,
      });
      expect(answer(await second, older.id, 'applied').row).toMatchObject({
        full_name: 'Newer name',
        version: 2,
      });
    } finally {
      await gate.query('rollback').catch(() => {});
      await gate.end();
    }
    const rows = await sql<{ full_name: string; seq: string }>(
      `select p.full_name, s.seq from public.patients p
       join private.row_stamps s on s.entity = 'patients' and s.id = p.id where p.id = $1`,
      [patient.id],
    );
    expect(rows).toEqual([{ full_name: 'Newer name', seq: '3' }]);
    const [ledger] = await sql<{ answer: { row: { full_name: string } } }>(
      'select answer from public.sync_ledger where client_id = $1 and mutation_id = $2',
      [clientId, older.id],
    );
    expect(ledger?.answer.row.full_name).toBe('Newer name');
  });

  it('keeps the stamp out of reach of Data API writes, and rejects a seq that is not a whole number', async () => {
    const user = await newUser('late-stamp');
    const clientId = randomUUID();
    const patient = patientRow();
    const created = { ...upsertPatient(clientId, patient), seq: 5 };
    answer(await push(user.client, clientId, [created]), created.id, 'applied');
    // The stamp is in private.row_stamps, which the API does not serve: no column to write.
    const forged = await user.client
      .from('patients')
      .update({ last_client_id: randomUUID(), last_client_seq: 0, full_name: 'Forged edit' })
      .eq('id', patient.id);
    expect(forged.error?.code).toBe('PGRST204');
    const { error } = await user.client
      .from('patients')
      .update({ full_name: 'Direct edit' })
      .eq('id', patient.id);
    expect(error).toBeNull();
    const rows = await sql<{ full_name: string; client_id: string; seq: string }>(
      `select p.full_name, s.client_id, s.seq from public.patients p
       join private.row_stamps s on s.entity = 'patients' and s.id = p.id where p.id = $1`,
      [patient.id],
    );
    expect(rows).toEqual([{ full_name: 'Direct edit', client_id: clientId, seq: '5' }]);
    const bad = { ...upsertPatient(clientId, patient), seq: 1.5 };
    const refused = answer(await push(user.client, clientId, [bad]), bad.id, 'rejected');
    expect([refused.code, refused.field]).toEqual(['validation', 'seq']);
  });
});
