/**
 * Arrangements shared by the SQL tests: a clinic of their own with a doctor and future slots (so
 * files never compete for the seed's slots), staff members, valid rows and mutations, and typed
 * sync_push / sync_pull calls that validate the answers against the wire contract.
 */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import {
  type Mutation,
  type PullResponse,
  type PushResult,
  pullResponse,
  pushResponse,
} from '../../sync/protocol.ts';
import { newUser, sql, type TestUser } from './stack-clients.ts';

// A type alias, not an interface, so it satisfies sql<T extends Record<string, unknown>>.
export type TestSlot = {
  id: string;
  doctor_id: string;
  starts_at: string;
  ends_at: string;
  mode: 'video' | 'in_person';
};

export interface TestClinic {
  clinicId: string;
  doctorId: string;
  /** Future slots, one hour apart, alternating in_person and video. */
  slots: TestSlot[];
  /** A slot that started an hour ago. */
  pastSlot: TestSlot;
}

/** A clinic with one doctor and `slotCount` future slots, all with fresh ids. */
export async function createClinic(slotCount = 12): Promise<TestClinic> {
  const clinicId = randomUUID();
  const doctorId = randomUUID();
  await sql(
    `insert into public.clinics (id, name, town, district, state) values ($1, $2, 'Testpur', 'Testpur', 'Test Pradesh')`,
    [clinicId, `Test clinic ${clinicId.slice(0, 8)}`],
  );
  await sql(
    `insert into public.doctors (id, clinic_id, name, specialty, languages, offers_video)
     values ($1, $2, 'Dr. Test', 'general medicine', array['hi', 'en'], true)`,
    [doctorId, clinicId],
  );
  const slots = await sql<TestSlot>(
    `insert into public.slots (doctor_id, starts_at, ends_at, mode)
     select $1, date_trunc('hour', now()) + make_interval(days => 1, hours => n),
       date_trunc('hour', now()) + make_interval(days => 1, hours => n, mins => 30),
       case when n % 2 = 0 then 'in_person' else 'video' end
     from generate_series(0, $2 - 1) as n
     returning id, doctor_id, to_json(starts_at) #>> '{}' as starts_at, to_json(ends_at) #>> '{}' as ends_at, mode`,
    [doctorId, slotCount],
  );
  const [pastSlot] = await sql<TestSlot>(
    `insert into public.slots (doctor_id, starts_at, ends_at, mode)
     values ($1, date_trunc('minute', now()) - interval '1 hour', date_trunc('minute', now()) - interval '30 minutes',
       'in_person')
     returning id, doctor_id, to_json(starts_at) #>> '{}' as starts_at, to_json(ends_at) #>> '{}' as ends_at, mode`,
    [doctorId],
  );
  slots.sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  return { clinicId, doctorId, slots, pastSlot: pastSlot! };
}

/** A new auth user who staffs `clinicId`'s kiosk. */
export async function newStaff(clinicId: string, label = 'staff'): Promise<TestUser> {
  const user = await newUser(label);
  await sql('insert into public.staff (user_id, clinic_id) values ($1, $2)', [user.userId, clinicId]);
  return user;
}

export type Row = Record<string, unknown>;

export function patientRow(overrides: Row = {}): Row {
  return {
    id: randomUUID(),
    full_name: 'Sunita Devi',
    date_of_birth: '1984-07-15',
    sex: 'female',
    phone: '+919812345678',
    address: 'Ward 4, Mahmudabad',
    preferred_language: 'hi',
    emergency_contact_name: 'Ramesh Kumar',
    emergency_contact_phone: '9812300000',
    ...overrides,
  };
}

export function appointmentRow(patientId: string, slot: TestSlot, overrides: Row = {}): Row {
  return {
    id: randomUUID(),
    patient_id: patientId,
    doctor_id: slot.doctor_id,
    slot_id: slot.id,
    starts_at: slot.starts_at,
    ends_at: slot.ends_at,
    mode: slot.mode,
    reason: 'Fever and cough for three days',
    status: 'requested',
    ...overrides,
  };
}

export interface MutationInput {
  entity: string;
  op?: string;
  key?: string;
  data?: Row | null;
  deps?: string[];
  id?: string;
}

/** A mutation as the device sends it; fields the test leaves out get valid values. */
export function mutation(clientId: string, input: MutationInput): Mutation {
  const key = input.key ?? (typeof input.data?.id === 'string' ? input.data.id : randomUUID());
  return {
    id: input.id ?? randomUUID(),
    clientId,
    entity: input.entity as Mutation['entity'],
    op: (input.op ?? 'upsert') as Mutation['op'],
    key,
    data: input.op === 'delete' ? null : (input.data ?? null),
    deps: input.deps ?? [],
    actor: null,
    createdAt: new Date().toISOString(),
  };
}

export const upsertPatient = (clientId: string, data: Row, deps: string[] = []): Mutation =>
  mutation(clientId, { entity: 'patients', data, deps });

export const upsertAppointment = (clientId: string, data: Row, deps: string[] = []): Mutation =>
  mutation(clientId, { entity: 'appointments', data, deps });

export interface RpcFailure {
  status: number;
  code: string;
  message: string;
}

/** Calls sync_push and returns the raw answer array, or the HTTP failure. */
export async function pushRaw(
  client: SupabaseClient,
  clientId: string,
  mutations: unknown[],
): Promise<{ data: unknown; failure: RpcFailure | null }> {
  const { data, error, status } = await client.rpc('sync_push', { client_id: clientId, mutations });
  return { data, failure: error ? { status, code: error.code, message: error.message } : null };
}

/** Calls sync_push and parses the answers with the contract's schema. */
export async function push(
  client: SupabaseClient,
  clientId: string,
  mutations: unknown[],
): Promise<PushResult[]> {
  const { data, failure } = await pushRaw(client, clientId, mutations);
  if (failure) throw new Error(`sync_push failed: ${failure.status} ${failure.code} ${failure.message}`);
  return pushResponse.parse(data);
}

/** One sync_pull page, parsed with the contract's schema. */
export async function pullPage(
  client: SupabaseClient,
  since: string | null = null,
  maxRows?: number,
  maxBytes?: number,
): Promise<PullResponse> {
  const args = {
    since,
    ...(maxRows === undefined ? {} : { max_rows: maxRows }),
    ...(maxBytes === undefined ? {} : { max_bytes: maxBytes }),
  };
  const { data, error } = await client.rpc('sync_pull', args);
  if (error) throw new Error(`sync_pull failed: ${error.code} ${error.message}`);
  return pullResponse.parse(data);
}

/**
 * A whole pull: every page from `since` until hasMore is false, as one answer with the last cursor.
 * The stack holds more reference data than a page (the seed's and every test clinic's slots).
 */
export async function pull(client: SupabaseClient, since: string | null = null): Promise<PullResponse> {
  let page = await pullPage(client, since);
  const all = structuredClone(page);
  for (let n = 1; page.hasMore; n++) {
    if (n > 200) throw new Error('sync_pull: still more pages after 200');
    page = await pullPage(client, page.cursor);
    for (const table of Object.keys(all.changes) as (keyof PullResponse['changes'])[])
      all.changes[table].push(...page.changes[table]);
    all.deleted.push(...page.deleted);
    all.cursor = page.cursor;
    all.hasMore = page.hasMore;
  }
  return all;
}

/** The answer for mutation `id`, narrowed to the status the test expects. */
export function answer<S extends PushResult['status']>(
  results: PushResult[],
  id: string,
  status: S,
): Extract<PushResult, { status: S }> {
  const found = results.find((r) => r.id === id);
  if (!found) throw new Error(`no answer for mutation ${id}`);
  if (found.status !== status) {
    throw new Error(`mutation ${id}: expected ${status}, got ${JSON.stringify(found)}`);
  }
  return found as Extract<PushResult, { status: S }>;
}

/** Polls `check` until it returns true; fails after `timeoutMs`. */
export async function waitFor(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
