/**
 * Appointment status is a state machine enforced in SQL (issue 9, "Server"): every allowed
 * transition by who may make it, a sample of refused ones (answered `transition`, naming from → to),
 * through sync_push and the Data API, for a patient on their own phone, the staff of the doctor's
 * clinic, the staff of another clinic and anon; and deletes of the clinical record.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  APPOINTMENT_STATUSES,
  type AppointmentActor,
  appointmentTransitionAllowed,
} from '../../sync/entities.ts';
import {
  appointmentIn,
  type Device,
  device,
  move,
  phonePatient,
  statusOf,
  walkIn,
} from './appointment-fixtures.ts';
import { anonClient, sql } from './stack-clients.ts';
import {
  appointmentRow,
  createClinic,
  mutation,
  newStaff,
  push,
  type TestClinic,
  type TestSlot,
} from './sync-fixtures.ts';

let clinicX: TestClinic;
let clinicY: TestClinic;
/** Staff of clinic X (the doctor's clinic) and of clinic Y, each on a kiosk. */
let kioskX: Device;
let kioskY: Device;
/** A patient who books clinic X's doctor from their own phone. */
let phone: Device & { patientId: string };
/** A walk-in registered at clinic X's kiosk. */
let walkInX: string;

function slotX(): TestSlot {
  const slot = clinicX.slots.shift();
  if (!slot) throw new Error('out of clinic X slots');
  return slot;
}

beforeAll(async () => {
  [clinicX, clinicY] = await Promise.all([createClinic(60), createClinic(6)]);
  kioskX = device(await newStaff(clinicX.clinicId, 'states-x'));
  kioskY = device(await newStaff(clinicY.clinicId, 'states-y'));
  phone = await phonePatient('states-phone');
  walkInX = await walkIn(kioskX);
});

describe('the machine', () => {
  it('is the same table in SQL and in sync/entities.ts, for every from → to and both actors', async () => {
    const froms = ['new', ...APPOINTMENT_STATUSES];
    const rows = await sql<{ from_status: string; to_status: string; actor: AppointmentActor; ok: boolean }>(
      `select f as from_status, t as to_status, a as actor,
         private.appointment_transition_allowed(nullif(f, 'new'), t, a) as ok
       from unnest($1::text[]) f, unnest($2::text[]) t, unnest(array['patient', 'clinic']) a`,
      [froms, [...APPOINTMENT_STATUSES]],
    );
    expect(rows).toHaveLength(froms.length * APPOINTMENT_STATUSES.length * 2);
    for (const r of rows) {
      const from = APPOINTMENT_STATUSES.find((s) => s === r.from_status) ?? null;
      const to = APPOINTMENT_STATUSES.find((s) => s === r.to_status);
      if (!to) throw new Error(`unknown status ${r.to_status}`);
      expect([r.from_status, r.to_status, r.actor, r.ok]).toEqual([
        r.from_status,
        r.to_status,
        r.actor,
        appointmentTransitionAllowed(from, to, r.actor),
      ]);
    }
  });
});

describe('the clinic (staff of the doctor’s clinic) through sync_push', () => {
  const steps: Array<[string, string]> = [
    ['requested', 'confirmed'],
    ['requested', 'rejected'],
    ['requested', 'cancelled'],
    ['confirmed', 'checked_in'],
    ['confirmed', 'no_show'],
    ['confirmed', 'cancelled'],
    ['checked_in', 'completed'],
    ['no_show', 'checked_in'],
    // Several steps in one write: a kiosk's queued writes of one row are merged.
    ['requested', 'completed'],
  ];
  for (const [from, to] of steps) {
    it(`moves a patient's own booking ${from} → ${to}`, async () => {
      const row = await appointmentIn(phone.patientId, slotX(), from);
      const result = await move(kioskX, row, to);
      expect(result).toMatchObject({ status: 'applied', row: { status: to } });
      expect(await statusOf(row.id)).toBe(to);
    });
  }

  const refused: Array<[string, string]> = [
    ['completed', 'checked_in'],
    ['checked_in', 'cancelled'],
    ['checked_in', 'no_show'],
    ['checked_in', 'requested'],
    ['confirmed', 'requested'],
    ['cancelled', 'confirmed'],
    ['rejected', 'confirmed'],
    ['no_show', 'cancelled'],
  ];
  for (const [from, to] of refused) {
    it(`cannot move it ${from} → ${to}`, async () => {
      const row = await appointmentIn(phone.patientId, slotX(), from);
      const result = await move(kioskX, row, to);
      expect(result).toMatchObject({ status: 'rejected', code: 'transition', field: 'status' });
      expect(result.status === 'rejected' && result.message).toContain(`${from} → ${to} is not allowed`);
      expect(await statusOf(row.id)).toBe(from);
    });
  }

  it('books a walk-in and checks them in with one write (both made offline)', async () => {
    const row = appointmentRow(walkInX, slotX());
    expect(await move(kioskX, row, 'checked_in')).toMatchObject({
      status: 'applied',
      row: { status: 'checked_in' },
    });
  });

  it('changes only the status of a booking made from the patient’s phone, never its details', async () => {
    const row = await appointmentIn(phone.patientId, slotX(), 'requested');
    const m = mutation(kioskX.clientId, {
      entity: 'appointments',
      data: { ...row, status: 'confirmed', reason: 'Written over by the clinic' },
    });
    const [result] = await push(kioskX.user.client, kioskX.clientId, [m]);
    expect(result).toMatchObject({ status: 'rejected', code: 'forbidden' });
    expect(await move(kioskX, row, 'confirmed')).toMatchObject({
      status: 'applied',
      row: { status: 'confirmed', reason: row.reason },
    });
  });

  it('is only the doctor’s clinic: another clinic’s staff cannot move it at all', async () => {
    const row = await appointmentIn(phone.patientId, slotX(), 'requested');
    expect(await move(kioskY, row, 'confirmed')).toMatchObject({ status: 'rejected', code: 'forbidden' });
    expect(await statusOf(row.id)).toBe('requested');
    expect(await move(kioskX, row, 'confirmed')).toMatchObject({ status: 'applied' });
  });
});

describe('the patient through sync_push', () => {
  it('cancels their own requested or confirmed booking before the start, and not after', async () => {
    for (const from of ['requested', 'confirmed']) {
      const row = await appointmentIn(phone.patientId, slotX(), from);
      expect(await move(phone, row, 'cancelled')).toMatchObject({
        status: 'applied',
        row: { status: 'cancelled' },
      });
    }
    const started = await appointmentIn(phone.patientId, clinicX.pastSlot, 'confirmed');
    const result = await move(phone, started, 'cancelled');
    expect(result).toMatchObject({ status: 'rejected', code: 'transition', field: 'status' });
    expect(result.status === 'rejected' && result.message).toMatch(
      /confirmed → cancelled is not allowed; it started at/,
    );
    expect(await statusOf(started.id)).toBe('confirmed');
  });

  const refused: Array<[string, string, RegExp]> = [
    ['requested', 'confirmed', /only the clinic can mark an appointment confirmed/],
    ['confirmed', 'checked_in', /only the clinic can mark an appointment checked_in/],
    ['checked_in', 'completed', /only the clinic can mark an appointment completed/],
    ['confirmed', 'no_show', /only the clinic can mark an appointment no_show/],
    ['checked_in', 'cancelled', /the appointment is already checked_in/],
    ['completed', 'cancelled', /the appointment is already completed/],
    ['no_show', 'cancelled', /the appointment is already no_show/],
  ];
  for (const [from, to, why] of refused) {
    it(`cannot move their own booking ${from} → ${to}`, async () => {
      const row = await appointmentIn(phone.patientId, slotX(), from);
      const result = await move(phone, row, to);
      expect(result).toMatchObject({ status: 'rejected', code: 'transition', field: 'status' });
      expect(result.status === 'rejected' && result.message).toMatch(why);
      expect(await statusOf(row.id)).toBe(from);
    });
  }

  it('books only into requested (or cancelled), never straight into a clinic status', async () => {
    for (const status of ['confirmed', 'checked_in', 'completed']) {
      const row = appointmentRow(phone.patientId, slotX());
      expect(await move(phone, row, status)).toMatchObject({ status: 'rejected', code: 'transition' });
      expect(await statusOf(row.id)).toBeUndefined();
    }
  });

  it('is the kiosk staff for a walk-in booked with another clinic: they cancel, the doctor’s clinic confirms', async () => {
    const walkInY = await walkIn(kioskX);
    const slot = clinicY.slots[0];
    if (!slot) throw new Error('no clinic Y slot');
    const row = await appointmentIn(walkInY, slot, 'requested');
    const confirm = await move(kioskX, row, 'confirmed');
    expect(confirm).toMatchObject({ status: 'rejected', code: 'transition' });
    expect(confirm.status === 'rejected' && confirm.message).toMatch(/only the clinic can mark/);
    // Clinic Y, whose doctor it is, confirms it; the registering kiosk may still cancel.
    expect(await move(kioskY, row, 'confirmed')).toMatchObject({
      status: 'applied',
      row: { status: 'confirmed' },
    });
    expect(await move(kioskX, row, 'cancelled')).toMatchObject({
      status: 'applied',
      row: { status: 'cancelled' },
    });
  });
});

describe('the Data API (row level security and the same trigger)', () => {
  /** Each status change of a phone booking in `from`: whether it was applied, checked in the table. */
  async function tryAll(
    client: SupabaseClient,
    changes: Array<[string, string]>,
  ): Promise<Array<[string, string, 'allowed' | 'refused']>> {
    const outcomes: Array<[string, string, 'allowed' | 'refused']> = [];
    for (const [from, to] of changes) {
      const row = await appointmentIn(phone.patientId, slotX(), from);
      const { data, error } = await client
        .from('appointments')
        .update({ status: to })
        .eq('id', row.id)
        .select();
      const outcome = !error && data.length === 1 ? 'allowed' : 'refused';
      expect(await statusOf(row.id)).toBe(outcome === 'allowed' ? to : from);
      outcomes.push([from, to, outcome]);
    }
    return outcomes;
  }

  it('the patient cancels their own booking, and makes no clinic step', async () => {
    expect(
      await tryAll(phone.user.client, [
        ['requested', 'cancelled'],
        ['requested', 'confirmed'],
        ['confirmed', 'checked_in'],
        ['checked_in', 'cancelled'],
      ]),
    ).toEqual([
      ['requested', 'cancelled', 'allowed'],
      ['requested', 'confirmed', 'refused'],
      ['confirmed', 'checked_in', 'refused'],
      ['checked_in', 'cancelled', 'refused'],
    ]);
  });

  it('the doctor’s clinic moves it along the machine; another clinic, another patient and anon cannot', async () => {
    expect(
      await tryAll(kioskX.user.client, [
        ['requested', 'confirmed'],
        ['confirmed', 'checked_in'],
        ['checked_in', 'completed'],
        ['completed', 'checked_in'],
      ]),
    ).toEqual([
      ['requested', 'confirmed', 'allowed'],
      ['confirmed', 'checked_in', 'allowed'],
      ['checked_in', 'completed', 'allowed'],
      ['completed', 'checked_in', 'refused'],
    ]);
    const other = await phonePatient('states-other');
    for (const client of [kioskY.user.client, other.user.client, anonClient()])
      expect(await tryAll(client, [['requested', 'confirmed']])).toEqual([
        ['requested', 'confirmed', 'refused'],
      ]);
  });
});

describe('the clinical record', () => {
  it('a kiosk cannot delete its walk-in’s confirmed, checked-in, completed or no-show appointment', async () => {
    for (const status of ['confirmed', 'checked_in', 'completed', 'no_show']) {
      const row = await appointmentIn(walkInX, slotX(), status);
      const m = mutation(kioskX.clientId, { entity: 'appointments', op: 'delete', key: String(row.id) });
      const [result] = await push(kioskX.user.client, kioskX.clientId, [m]);
      expect([status, result?.status, result?.status === 'rejected' && result.code]).toEqual([
        status,
        'rejected',
        'forbidden',
      ]);
      expect(await statusOf(row.id)).toBe(status);
    }
  });

  it('a clinic reads a phone patient’s booking with its doctor, but cannot delete it', async () => {
    const row = await appointmentIn(phone.patientId, slotX(), 'requested');
    const seen = await kioskX.user.client.from('appointments').select('id').eq('id', row.id);
    expect(seen.data).toEqual([{ id: row.id }]);
    const { data } = await kioskX.user.client.from('appointments').delete().eq('id', row.id).select();
    expect(data).toEqual([]);
    expect(await statusOf(row.id)).toBe('requested');
  });
});
