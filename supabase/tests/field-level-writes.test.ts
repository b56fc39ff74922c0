/**
 * No lost updates (issue 8, part 2), on the real stack: two devices of one user (two tabs, or a
 * phone and a kiosk) edit the same patient through the engine, each from the row its form showed.
 * Different fields both survive; the same field keeps the first write to reach the server, and the
 * device whose edit lost holds a conflict notice for that field.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Row } from '../../sync/local-mutation.ts';
import { SyncEngine } from '../../sync/sync-engine.ts';
import { patientRow } from '../../sync/testing/fixtures.ts';
import { ManualClock } from '../../sync/testing/manual-clock.ts';
import { MemoryStore } from '../../sync/testing/memory-store.ts';
import { SupabaseTransport } from '../../sync/transports/supabase.ts';
import { newUser, sql, type TestUser } from './stack-clients.ts';
import {
  answer,
  appointmentRow,
  createClinic,
  push,
  pushRaw,
  patientRow as sqlPatientRow,
  upsertAppointment,
  upsertPatient,
} from './sync-fixtures.ts';

function device(user: TestUser) {
  const store = new MemoryStore();
  const engine = new SyncEngine({
    store,
    transport: new SupabaseTransport(user.client),
    clock: new ManualClock(),
  });
  return { store, engine };
}

/** A user with one synced patient, and two devices that both hold it (their forms show it). */
async function twoDevicesOnOnePatient(label: string) {
  const user = await newUser(label);
  const a = device(user);
  const b = device(user);
  const patient = patientRow(randomUUID());
  await a.store.write({ entity: 'patients', op: 'upsert', row: patient });
  expect(await a.engine.drainOnce()).toMatchObject({ status: 'synced', pushed: 1 });
  expect(await b.engine.drainOnce()).toMatchObject({ status: 'synced' });
  const shown = (await b.store.getRow('patients', patient.id)) as Row;
  expect(shown).toMatchObject({ id: patient.id, version: 1 });
  return { a, b, shown };
}

async function serverRow(id: string): Promise<Row | undefined> {
  const [row] = await sql('select phone, address, full_name, version from patients where id = $1', [id]);
  return row;
}

describe('field-level writes through the engine', () => {
  it('two devices changing different fields of one patient: both changes survive', async () => {
    const { a, b, shown } = await twoDevicesOnOnePatient('fields-different');
    await a.store.write({
      entity: 'patients',
      op: 'upsert',
      row: { ...shown, phone: '+919800000001' },
      base: shown,
    });
    expect(await a.engine.drainOnce()).toMatchObject({ status: 'synced', pushed: 1 });
    // Device B's form still shows the old phone; it changes only the address.
    await b.store.write({
      entity: 'patients',
      op: 'upsert',
      row: { ...shown, address: 'Ward 9, Rampur' },
      base: shown,
    });
    expect(await b.engine.drainOnce()).toMatchObject({ status: 'synced', pushed: 1 });

    expect(await serverRow(String(shown.id))).toEqual({
      phone: '+919800000001',
      address: 'Ward 9, Rampur',
      full_name: shown.full_name,
      version: 3,
    });
    expect(await b.store.getRow('patients', String(shown.id))).toMatchObject({
      phone: '+919800000001',
      address: 'Ward 9, Rampur',
    });
    expect(await b.store.listConflicts('patients', String(shown.id))).toEqual([]);
  });

  it('two devices changing the same field: the first to arrive wins, the other is told', async () => {
    const { a, b, shown } = await twoDevicesOnOnePatient('fields-same');
    const id = String(shown.id);
    await a.store.write({
      entity: 'patients',
      op: 'upsert',
      row: { ...shown, phone: '+919800000001' },
      base: shown,
    });
    expect(await a.engine.drainOnce()).toMatchObject({ status: 'synced', pushed: 1 });
    await b.store.write({
      entity: 'patients',
      op: 'upsert',
      row: { ...shown, phone: '+919800000002', address: 'Ward 9, Rampur' },
      base: shown,
    });
    expect(await b.engine.drainOnce()).toMatchObject({ status: 'synced', pushed: 1 });

    // B's address applies; its phone does not.
    expect(await serverRow(id)).toMatchObject({
      phone: '+919800000001',
      address: 'Ward 9, Rampur',
      version: 3,
    });
    expect(await b.store.getRow('patients', id)).toMatchObject({ phone: '+919800000001' });
    expect(await b.store.listConflicts('patients', id)).toEqual([
      expect.objectContaining({ field: 'phone', yours: '+919800000002', theirs: '+919800000001' }),
    ]);
    expect(await a.store.listConflicts('patients', id)).toEqual([]);
  });
});

describe('sync_push with base', () => {
  it('compares timestamps in base as instants, however the device wrote them', async () => {
    const user = await newUser('fields-timestamps');
    const clinic = await createClinic(2);
    const [slot, next] = clinic.slots as [(typeof clinic.slots)[0], (typeof clinic.slots)[0]];
    const clientId = randomUUID();
    const p = sqlPatientRow();
    const a = appointmentRow(String(p.id), slot);
    await push(user.client, clientId, [upsertPatient(clientId, p), upsertAppointment(clientId, a)]);
    // The device moves the booking, from the slot as it showed it (JavaScript's ISO form).
    const moved = {
      ...a,
      slot_id: next.id,
      starts_at: next.starts_at,
      ends_at: next.ends_at,
      mode: next.mode,
    };
    const m = {
      ...upsertAppointment(clientId, moved),
      base: {
        slot_id: slot.id,
        starts_at: new Date(slot.starts_at).toISOString(),
        ends_at: new Date(slot.ends_at).toISOString(),
        mode: slot.mode,
      },
    };
    const r = answer(await push(user.client, clientId, [m]), m.id, 'applied');
    expect(r.conflicts ?? []).toEqual([]);
    expect(r.row).toMatchObject({ slot_id: next.id });
  });

  it('lets the state machine decide a status the clinic changed meanwhile, not first write wins', async () => {
    const user = await newUser('fields-cancel');
    const clinic = await createClinic(2);
    const clientId = randomUUID();
    const p = sqlPatientRow();
    const a = appointmentRow(String(p.id), clinic.slots[0] as (typeof clinic.slots)[0]);
    const b = appointmentRow(String(p.id), clinic.slots[1] as (typeof clinic.slots)[0]);
    await push(user.client, clientId, [
      upsertPatient(clientId, p),
      upsertAppointment(clientId, a),
      upsertAppointment(clientId, b),
    ]);
    await sql("update public.appointments set status = 'confirmed' where id = $1", [a.id]);
    // The patient cancelled offline, before learning the clinic confirmed: cancelling a confirmed
    // appointment before its start is allowed, so the cancel is applied.
    const cancel = {
      ...upsertAppointment(clientId, { ...a, status: 'cancelled' }),
      base: { status: 'requested' },
    };
    const r = answer(await push(user.client, clientId, [cancel]), cancel.id, 'applied');
    expect(r.conflicts ?? []).toEqual([]);
    expect(r.row).toMatchObject({ status: 'cancelled' });
    // After check-in a cancel is no longer allowed: the state machine refuses it, by name.
    await sql("update public.appointments set status = 'checked_in' where id = $1", [b.id]);
    const late = {
      ...upsertAppointment(clientId, { ...b, status: 'cancelled' }),
      base: { status: 'requested' },
    };
    const refused = answer(await push(user.client, clientId, [late]), late.id, 'rejected');
    expect([refused.code, refused.field]).toEqual(['transition', 'status']);
  });

  it('rejects a base that is not an object, naming it', async () => {
    const user = await newUser('fields-bad-base');
    const clientId = randomUUID();
    const p = sqlPatientRow();
    await push(user.client, clientId, [upsertPatient(clientId, p)]);
    const bad = { ...upsertPatient(clientId, { ...p, phone: '+919800000009' }), base: ['phone'] };
    const { data } = await pushRaw(user.client, clientId, [bad]);
    expect(data).toEqual([
      expect.objectContaining({ status: 'rejected', code: 'validation', field: 'base' }),
    ]);
  });
});
