/**
 * What each role reads through the Data API: nobody reads another person's account (an auth user
 * id) or another account's device (a sync client id), and no internal guard column is served.
 * Clinic staff read appointments.last_client_user (a patient's auth user id) and
 * sync_tombstones.owner_user_id with `select=*`; a patient read the last_client_user and device of
 * the staff member who confirmed their booking.
 *
 * The world: patient A (own phone) books with clinic X's doctor, staff X confirm it from the
 * kiosk, A deletes a second booking with X's doctor (a marker X's staff see); staff Y of clinic Y
 * register a walk-in; patient B has a profile of their own. Every role reads every table and view
 * the API serves in `public`, `select=*`, and no value read is another person's id.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Device, device, phonePatient, walkIn } from './appointment-fixtures.ts';
import { anonClient, sql } from './stack-clients.ts';
import {
  appointmentRow,
  createClinic,
  mutation,
  newStaff,
  pull,
  push,
  type TestClinic,
  upsertAppointment,
} from './sync-fixtures.ts';

type Role = 'anon' | 'patient A' | 'patient B' | 'staff X' | 'staff Y';

let clinicX: TestClinic;
let devices: Record<Exclude<Role, 'anon'>, Device>;

/** Each table and view of `public` the API roles may select from (what PostgREST serves). */
async function servedRelations(): Promise<string[]> {
  const rows = await sql<{ name: string }>(
    `select c.relname as name from pg_class c
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'v', 'm', 'f', 'p')
       and (has_table_privilege('authenticated', c.oid, 'select')
         or has_any_column_privilege('authenticated', c.oid, 'select')
         or has_table_privilege('anon', c.oid, 'select'))
     order by 1`,
  );
  return rows.map((r) => r.name);
}

function clientOf(role: Role): SupabaseClient {
  return role === 'anon' ? anonClient() : devices[role].user.client;
}

/** The ids `role` may know: its own account and device. Every other one is someone else's. */
function foreignIds(role: Role): Set<string> {
  const ids = new Set<string>();
  for (const [who, d] of Object.entries(devices)) {
    if (who === role) continue;
    ids.add(d.user.userId);
    ids.add(d.clientId);
  }
  return ids;
}

function valuesOf(rows: unknown): string[] {
  return (
    JSON.stringify(rows ?? [])
      .match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi)
      ?.map((v) => v.toLowerCase()) ?? []
  );
}

beforeAll(async () => {
  clinicX = await createClinic(4);
  const clinicY = await createClinic(1);
  const patientA = await phonePatient('privacy-a');
  const patientB = await phonePatient('privacy-b');
  const staffX = device(await newStaff(clinicX.clinicId, 'privacy-staff-x'));
  const staffY = device(await newStaff(clinicY.clinicId, 'privacy-staff-y'));
  devices = { 'patient A': patientA, 'patient B': patientB, 'staff X': staffX, 'staff Y': staffY };

  const [first, second] = clinicX.slots;
  if (!first || !second) throw new Error('out of test slots');
  const booked = appointmentRow(patientA.patientId, first);
  const dropped = appointmentRow(patientA.patientId, second);
  const answers = await push(patientA.user.client, patientA.clientId, [
    { ...upsertAppointment(patientA.clientId, booked), seq: 3 },
    { ...upsertAppointment(patientA.clientId, dropped), seq: 4 },
  ]);
  expect(answers.map((a) => a.status)).toEqual(['applied', 'applied']);
  // Confirmed from the kiosk with a seq: the stamp names the staff member's account and device.
  const confirm = { ...upsertAppointment(staffX.clientId, { ...booked, status: 'confirmed' }), seq: 9 };
  const [confirmed] = await push(staffX.user.client, staffX.clientId, [confirm]);
  expect(confirmed?.status).toBe('applied');
  const del = mutation(patientA.clientId, { entity: 'appointments', op: 'delete', key: String(dropped.id) });
  const [deleted] = await push(patientA.user.client, patientA.clientId, [{ ...del, seq: 5 }]);
  expect(deleted?.status).toBe('applied');
  await walkIn(staffY);
});

describe('the Data API', () => {
  it("serves no column of a device stamp or of a marker's owner in public", async () => {
    const columns = await sql<{ name: string }>(
      `select c.relname || '.' || a.attname as name from pg_attribute a join pg_class c on c.oid = a.attrelid
       where c.relnamespace = 'public'::regnamespace and a.attnum > 0 and not a.attisdropped
         and (a.attname like 'last_client%' or a.attname = 'owner_user_id')
         and (has_column_privilege('authenticated', c.oid, a.attnum, 'select')
           or has_column_privilege('anon', c.oid, a.attnum, 'select'))`,
    );
    expect(columns).toEqual([]);
  });

  const roles: Role[] = ['anon', 'patient A', 'patient B', 'staff X', 'staff Y'];
  it.each(roles)('shows %s no auth user id or device id of anyone else, select=*', async (role) => {
    const relations = await servedRelations();
    expect(relations).toEqual(expect.arrayContaining(['appointments', 'patients', 'sync_tombstones']));
    const foreign = foreignIds(role);
    const seen: Record<string, string[]> = {};
    for (const relation of relations) {
      const { data, error } = await clientOf(role).from(relation).select('*');
      if (error) {
        // Refused outright (a table it has no select on, or sync_tombstones' private columns).
        expect(error.code, `${role} reading ${relation}: ${error.message}`).toBe('42501');
        continue;
      }
      const leaked = valuesOf(data).filter((v) => foreign.has(v));
      if (leaked.length > 0) seen[relation] = leaked;
    }
    expect(seen).toEqual({});
  });

  it.each(roles.filter((r) => r !== 'anon'))("sends %s no one else's id in a pull either", async (role) => {
    const page = await pull(clientOf(role));
    const foreign = foreignIds(role);
    expect(valuesOf(page).filter((v) => foreign.has(v))).toEqual([]);
  });

  it("lets the staff read what the pull needs of their clinic's markers, and not whose they were", async () => {
    const staff = devices['staff X'].user.client;
    const { data, error } = await staff
      .from('sync_tombstones')
      .select('entity, id, clinic_id, doctor_clinic_id');
    expect(error).toBeNull();
    expect(data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ entity: 'appointments', doctor_clinic_id: clinicX.clinicId }),
      ]),
    );
    for (const column of ['owner_user_id', 'last_client_id', 'last_client_seq', 'last_client_user']) {
      const denied = await staff.from('sync_tombstones').select(column);
      expect(denied.error?.code, column).toBe('42501');
      const own = await devices['patient A'].user.client.from('sync_tombstones').select(column);
      expect(own.error?.code, column).toBe('42501');
    }
  });

  it('reads the stamp nowhere: it is in private, which the API does not serve', async () => {
    const { error } = await devices['staff X'].user.client.schema('private').from('row_stamps').select('*');
    expect(error).not.toBeNull();
    // The guard still has it: the confirmation's, by the kiosk.
    const stamps = await sql(
      'select entity, seq::int, user_id from private.row_stamps where client_id = $1',
      [devices['staff X'].clientId],
    );
    expect(stamps).toEqual([{ entity: 'appointments', seq: 9, user_id: devices['staff X'].user.userId }]);
  });
});
