/**
 * A device's sync client_id is no credential: it was readable beside the row (last_client_id) by
 * anyone who may read the row, e.g. the staff of the clinic of a patient's doctor (it is in
 * private.row_stamps since 20261206100000, but a device sends it with every write). The stale-write
 * guard (a write older than the device's last one of the row is superseded) must then hold only
 * between the writes of one account: another account sending under that client_id with a huge seq
 * must not make the patient's next writes of the row count as older ones, silently dropped.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Device, device, phonePatient, statusOf } from './appointment-fixtures.ts';
import { sql } from './stack-clients.ts';
import {
  appointmentRow,
  createClinic,
  mutation,
  newStaff,
  push,
  type TestClinic,
  type TestSlot,
  upsertAppointment,
} from './sync-fixtures.ts';

let clinic: TestClinic;
let staff: Device;

function slot(): TestSlot {
  const s = clinic.slots.shift();
  if (!s) throw new Error('out of test slots');
  return s;
}

/** The seq of a write, as the device sends it (the fixtures' mutations carry none). */
function withSeq<T extends object>(m: T, seq: number): T & { seq: number } {
  return { ...m, seq };
}

beforeAll(async () => {
  clinic = await createClinic(6);
  staff = device(await newStaff(clinic.clinicId, 'forgery-staff'));
});

describe("another account's client_id", () => {
  it("is no longer readable by the clinic's staff beside the patient's booking", async () => {
    const phone = await phonePatient('forgery-read');
    const row = appointmentRow(phone.patientId, slot());
    const [booked] = await push(phone.user.client, phone.clientId, [
      withSeq(upsertAppointment(phone.clientId, row), 2),
    ]);
    expect(booked?.status).toBe('applied');
    const { data, error } = await staff.user.client.from('appointments').select('*').eq('id', row.id);
    expect(error).toBeNull();
    expect(JSON.stringify(data)).not.toContain(phone.clientId);
    // The guard still has it; the forgery below knows it anyway: the guard must not trust it.
    const stamp = await sql('select client_id from private.row_stamps where entity = $1 and id = $2', [
      'appointments',
      row.id,
    ]);
    expect(stamp).toEqual([{ client_id: phone.clientId }]);
  });

  it("sent by the clinic's staff with a huge seq does not silence the patient's cancel", async () => {
    const phone = await phonePatient('forgery-cancel');
    const row = appointmentRow(phone.patientId, slot());
    const [booked] = await push(phone.user.client, phone.clientId, [
      withSeq(upsertAppointment(phone.clientId, row), 2),
    ]);
    expect(booked?.status).toBe('applied');
    // Staff confirm, under the patient's client_id and a seq no phone will reach.
    const forged = withSeq(upsertAppointment(phone.clientId, { ...row, status: 'confirmed' }), 2 ** 52);
    const [confirmed] = await push(staff.user.client, phone.clientId, [forged]);
    expect(confirmed?.status).toBe('applied');
    expect(await statusOf(row.id)).toBe('confirmed');
    // The patient cancels from the phone (its next seq).
    const cancel = withSeq(upsertAppointment(phone.clientId, { ...row, status: 'cancelled' }), 3);
    const [answer] = await push(phone.user.client, phone.clientId, [cancel]);
    expect(answer?.status).toBe('applied');
    expect(await statusOf(row.id)).toBe('cancelled');
  });

  it("sent by the clinic's staff with a huge seq does not silence the patient's delete", async () => {
    const phone = await phonePatient('forgery-delete');
    const row = appointmentRow(phone.patientId, slot());
    await push(phone.user.client, phone.clientId, [withSeq(upsertAppointment(phone.clientId, row), 2)]);
    // A status write the clinic may make that changes nothing: requested stays requested.
    const forged = withSeq(upsertAppointment(phone.clientId, row), 2 ** 52);
    const [touched] = await push(staff.user.client, phone.clientId, [forged]);
    expect(touched?.status).toBe('applied');
    const del = withSeq(
      mutation(phone.clientId, { entity: 'appointments', op: 'delete', key: String(row.id) }),
      3,
    );
    const [answer] = await push(phone.user.client, phone.clientId, [del]);
    expect(answer?.status).toBe('applied');
    expect(await sql('select id from public.appointments where id = $1', [row.id])).toEqual([]);
  });

  it("still supersedes the same account's older write of the row", async () => {
    const phone = await phonePatient('forgery-own');
    const row = appointmentRow(phone.patientId, slot());
    await push(phone.user.client, phone.clientId, [withSeq(upsertAppointment(phone.clientId, row), 5)]);
    const late = withSeq(upsertAppointment(phone.clientId, { ...row, status: 'cancelled' }), 4);
    const [answer] = await push(phone.user.client, phone.clientId, [late]);
    expect(answer?.status).toBe('applied');
    expect(await statusOf(row.id)).toBe('requested');
  });
});
