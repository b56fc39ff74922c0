/**
 * A throwaway local Supabase for benchmarks, with a signed-in kiosk staff member of a bench clinic
 * and as many future slots as a run needs (one active appointment per slot is a constraint).
 */
import { randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import ws from 'ws';
import { type RunningStack, startThrowawayStack } from '../supabase/local/stack.ts';

export interface BenchSlot {
  id: string;
  doctor_id: string;
  starts_at: string;
  ends_at: string;
  mode: 'video' | 'in_person';
}

export interface BenchStack {
  stack: RunningStack;
  /** A fresh supabase-js client signed in as the kiosk staff member. */
  staffClient(): Promise<SupabaseClient>;
  /** Takes `count` unused slots (each handed out once per run). */
  takeSlots(count: number): BenchSlot[];
  /** Requests the gateway saw under /rest/v1 since the last reset. */
  restRequests(): Promise<number>;
  resetStats(): Promise<void>;
  setLatency(ms: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startBenchStack(slotCount: number): Promise<BenchStack> {
  const stack = await startThrowawayStack('consult-bench-');
  const email = `kiosk-${randomUUID()}@bench.test`;
  const password = 'bench-password';
  const newClient = (): SupabaseClient =>
    createClient(stack.url, stack.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      realtime: { transport: ws as unknown as typeof WebSocket },
    });
  const signUp = await newClient().auth.signUp({ email, password });
  if (signUp.error || !signUp.data.user) throw new Error(`bench sign-up failed: ${signUp.error?.message}`);

  const db = new pg.Client({ connectionString: stack.dbUrl });
  await db.connect();
  const doctorsNeeded = Math.ceil(slotCount / 1000);
  const slots = (
    await db.query<BenchSlot>(
      `with clinic as (
         insert into public.clinics (name, town, district, state) values ('Bench clinic', 'Bench', 'Bench', 'Bench')
         returning id),
       staff as (insert into public.staff (user_id, clinic_id) select $1, id from clinic),
       doctors as (
         insert into public.doctors (clinic_id, name, specialty, languages, offers_video)
         select clinic.id, 'Dr. Bench ' || n, 'general_medicine', array['en', 'hi'], true
         from clinic, generate_series(1, $2::int) n
         returning id)
       insert into public.slots (doctor_id, starts_at, ends_at, mode)
       select d.id, t, t + interval '10 minutes', case when n % 2 = 0 then 'video' else 'in_person' end
       from doctors d, generate_series(1, 1000) n,
            lateral (select timestamptz '2031-01-01 00:00Z' + n * interval '15 minutes' as t) s
       returning id, doctor_id, mode,
         to_char(starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as starts_at,
         to_char(ends_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as ends_at`,
      [signUp.data.user.id, doctorsNeeded],
    )
  ).rows;
  await db.end();

  let next = 0;
  const qa = (method: string, what: string, body?: unknown): Promise<Response> =>
    fetch(`${stack.url}/__qa/${what}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    stack,
    staffClient: async () => {
      const client = newClient();
      const { error } = await client.auth.signInWithPassword({ email, password });
      if (error) throw new Error(`bench sign-in failed: ${error.message}`);
      return client;
    },
    takeSlots: (count) => {
      if (next + count > slots.length) throw new Error(`bench needs more than ${slots.length} slots`);
      next += count;
      return slots.slice(next - count, next);
    },
    restRequests: async () => {
      const { requests } = (await (await qa('GET', 'stats')).json()) as { requests: Record<string, number> };
      return Object.entries(requests)
        .filter(([p]) => p.startsWith('/rest/v1/'))
        .reduce((sum, [, n]) => sum + n, 0);
    },
    resetStats: async () => {
      await qa('DELETE', 'stats');
    },
    setLatency: async (ms) => {
      await qa('PUT', 'faults', { latencyMs: ms, match: '/rest/v1/' });
    },
    stop: stack.stop,
  };
}
