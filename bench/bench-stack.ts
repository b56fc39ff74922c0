/**
 * A throwaway local Supabase for benchmarks (seeded: the demo clinics and their slots), with a
 * signed-in kiosk staff member of a bench clinic and as many future slots as a run asks for.
 */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { type RunningStack, startThrowawayStack } from '../supabase/local/stack.ts';
import { type DrainServer, drainServer, newBenchClient, qaCall } from './stack-client.ts';

/** PostgREST serves a new function once it reloaded its schema cache: wait for that (a few polls). */
async function untilPlainInsertServed(client: SupabaseClient): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { error } = await client.rpc('bench_plain_insert', { patients: [], appointments: [] });
    if (!error) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('PostgREST never served bench_plain_insert');
}

export interface BenchSlot {
  id: string;
  doctor_id: string;
  starts_at: string;
  ends_at: string;
  mode: 'video' | 'in_person';
}

export interface BenchStack extends DrainServer {
  stack: RunningStack;
  /** The kiosk staff member's sign-in, for a client made elsewhere (a page in Chromium). */
  staffLogin: { email: string; password: string };
  /** Creates `count` new future slots of the bench clinic (one active appointment per slot). */
  addSlots(count: number): Promise<BenchSlot[]>;
  /** A fresh supabase-js client signed in anonymously: a new phone's patient. */
  anonClient(): Promise<SupabaseClient>;
  /**
   * Removes what runs left behind: every patient and appointment (with the ledger and tombstones)
   * and the bench clinic's doctors and slots, so the next run starts from the seed again.
   */
  clearWalkIns(): Promise<void>;
  /** Every slot in the database (the seed's and the bench's). */
  countSlots(): Promise<number>;
  /**
   * The slots a device is to hold now: not ended, and inside the booking window (what a pull
   * carries). The seed's slots start at 09:00 India time today, so from then on some have ended.
   */
  countBookableSlots(): Promise<number>;
  /** The slots in the database that are taken (not available). */
  countTakenSlots(): Promise<number>;
  /**
   * The JSON text of slots `ids` as a pull page carries them (runs) and as it carried them before
   * (an array of whole rows), both as Postgres writes them: the same page's "before".
   */
  slotTexts(ids: readonly string[]): Promise<{ runs: string; rows: string }>;
  setLatency(ms: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The floor for a push: the same rows as plain inserts in one call, no ledger, no per-row checks.
 * Created in the throwaway database only (never a migration); PostgREST reloads its schema on NOTIFY.
 */
const PLAIN_INSERT_SQL = `
create function public.bench_plain_insert(patients json, appointments json) returns void
language sql security definer set search_path = public as $$
  insert into public.patients
    (id, full_name, date_of_birth, sex, phone, address, preferred_language, clinic_id, registered_by)
    select id, full_name, date_of_birth, sex, phone, address, preferred_language,
      (select clinic_id from public.staff where user_id = auth.uid()), auth.uid()
    from json_populate_recordset(null::public.patients, patients);
  insert into public.appointments (id, patient_id, doctor_id, slot_id, starts_at, ends_at, mode, reason, status)
    select id, patient_id, doctor_id, slot_id, starts_at, ends_at, mode, reason, status
    from json_populate_recordset(null::public.appointments, appointments);
$$;
grant execute on function public.bench_plain_insert(json, json) to authenticated;
notify pgrst, 'reload schema';`;

export async function startBenchStack(): Promise<BenchStack> {
  const stack = await startThrowawayStack('consult-bench-');
  const email = `kiosk-${randomUUID()}@bench.test`;
  const password = 'bench-password';
  const newClient = (): SupabaseClient => newBenchClient(stack);
  const signUp = await newClient().auth.signUp({ email, password });
  if (signUp.error || !signUp.data.user) throw new Error(`bench sign-up failed: ${signUp.error?.message}`);

  const db = new pg.Client({ connectionString: stack.dbUrl });
  await db.connect();
  const clinicId = (
    await db.query<{ id: string }>(
      `with clinic as (
         insert into public.clinics (name, town, district, state) values ('Bench clinic', 'Bench', 'Bench', 'Bench')
         returning id),
       staff as (insert into public.staff (user_id, clinic_id) select $1, id from clinic)
       select id from clinic`,
      [signUp.data.user.id],
    )
  ).rows[0]?.id;
  await db.query(PLAIN_INSERT_SQL);
  // The bench's slots are years ahead (addSlots) and every device must pull them all: widen the
  // slot window (14 days by default, migration 20261130300000) to cover them.
  await db.query(`update private.settings set value = '3650' where key = 'slot_window_days'`);
  let doctors = 0;
  /** New doctors of the bench clinic with up to 1,000 future slots each, `count` slots in all. */
  const addSlots = async (count: number): Promise<BenchSlot[]> => {
    const first = doctors + 1;
    doctors += Math.ceil(count / 1000);
    return (
      await db.query<BenchSlot>(
        `with doctors as (
           insert into public.doctors (clinic_id, name, specialty, languages, offers_video)
           select $1, 'Dr. Bench ' || n, 'general_medicine', array['en', 'hi'], true
           from generate_series($2::int, $3::int) n
           returning id)
         insert into public.slots (doctor_id, starts_at, ends_at, mode)
         select d.id, t, t + interval '10 minutes', case when n % 2 = 0 then 'video' else 'in_person' end
         from (select id, row_number() over () - 1 as k from doctors) d, generate_series(1, 1000) n,
              lateral (select timestamptz '2031-01-01 00:00Z' + n * interval '15 minutes' as t) s
         where d.k * 1000 + n <= $4
         returning id, doctor_id, mode,
           to_char(starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as starts_at,
           to_char(ends_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as ends_at`,
        [clinicId, first, doctors, count],
      )
    ).rows;
  };

  const server = drainServer(stack, { email, password });
  await untilPlainInsertServed(await server.staffClient());
  return {
    stack,
    ...server,
    staffLogin: { email, password },
    addSlots,
    anonClient: async () => {
      const client = newClient();
      const { error } = await client.auth.signInAnonymously();
      if (error) throw new Error(`bench anonymous sign-in failed: ${error.message}`);
      return client;
    },
    clearWalkIns: async () => {
      // As the superuser, past the triggers that keep clinical history: this is a throwaway database.
      await db.query(
        'truncate public.appointments, public.patients, public.sync_ledger, public.sync_tombstones, private.row_stamps',
      );
      const bench = 'select id from public.doctors where clinic_id = $1';
      await db.query(`delete from public.slots where doctor_id in (${bench})`, [clinicId]);
      await db.query('delete from public.doctors where clinic_id = $1', [clinicId]);
    },
    countSlots: async () => Number((await db.query('select count(*) as n from public.slots')).rows[0]?.n),
    countBookableSlots: async () =>
      Number(
        (
          await db.query(
            'select count(*) as n from public.slots where ends_at > now() and starts_at < private.slot_window_end()',
          )
        ).rows[0]?.n,
      ),
    countTakenSlots: async () =>
      Number((await db.query('select count(*) as n from public.slots where not available')).rows[0]?.n),
    slotTexts: async (ids) => {
      const { rows } = await db.query<{ runs: string; rows: string }>(
        `select private.slot_runs($1::uuid[])::text as runs,
           (select coalesce(jsonb_agg(private.wire_row(to_jsonb(r)) order by r.txid, r.id), '[]')::text
            from public.slots r where r.id = any($1::uuid[])) as rows`,
        [ids],
      );
      return { runs: String(rows[0]?.runs), rows: String(rows[0]?.rows) };
    },
    setLatency: async (ms) => {
      await qaCall(stack, 'PUT', 'faults', { latencyMs: ms, match: '/rest/v1/' });
    },
    stop: async () => {
      await db.end();
      await stack.stop();
    },
  };
}
