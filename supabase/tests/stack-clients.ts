/**
 * Clients for tests that run against the embedded local Supabase started by global-setup.ts:
 * supabase-js clients for anon, service role and fresh users, superuser SQL, and the gateway's QA
 * faults and request counts.
 */
import { randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { inject } from 'vitest';
import ws from 'ws';
import type { FaultSettings } from '../local/faults.ts';
import type { StackInfo } from './stack-info.ts';

export function stack(): StackInfo {
  return inject('stack');
}

function client(key: string): SupabaseClient {
  return createClient(stack().url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    // Node 20 has no global WebSocket; supabase-js builds its realtime client eagerly.
    realtime: { transport: ws as unknown as typeof WebSocket },
  });
}

export function anonClient(): SupabaseClient {
  return client(stack().anonKey);
}

export function serviceClient(): SupabaseClient {
  return client(stack().serviceRoleKey);
}

export interface TestUser {
  client: SupabaseClient;
  userId: string;
  email: string;
}

/** A new auth user, signed up with email and password and signed in on its own client. */
export async function newUser(label = 'user'): Promise<TestUser> {
  const c = anonClient();
  const email = `${label}-${randomUUID()}@example.test`;
  const { data, error } = await c.auth.signUp({ email, password: 'correct-horse-battery' });
  if (error || !data.user) throw new Error(`sign-up failed: ${error?.message ?? 'no user'}`);
  return { client: c, userId: data.user.id, email };
}

/** Runs SQL as the `postgres` superuser (bypasses RLS): for arranging and inspecting state. */
export async function sql<T extends Record<string, unknown> = Record<string, unknown>>(
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const c = new pg.Client({ connectionString: stack().dbUrl });
  await c.connect();
  try {
    return (await c.query<T>(text, params)).rows;
  } finally {
    await c.end();
  }
}

/** A dedicated superuser connection, for tests that hold a transaction open. */
export async function connect(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: stack().dbUrl });
  await c.connect();
  return c;
}

async function qa(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${stack().url}/__qa/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`QA ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function setFaults(patch: Partial<FaultSettings>): Promise<FaultSettings> {
  return (await qa('PUT', 'faults', patch)) as FaultSettings;
}

export async function resetFaults(): Promise<void> {
  await qa('DELETE', 'faults');
}

/** Requests the gateway saw per path since the last reset. */
export async function gatewayStats(): Promise<Record<string, number>> {
  return ((await qa('GET', 'stats')) as { requests: Record<string, number> }).requests;
}

export async function resetGatewayStats(): Promise<void> {
  await qa('DELETE', 'stats');
}

/** The last one-time code the auth stand-in "sent" to a phone or email. */
export async function lastOneTimeCode(to: string): Promise<string> {
  return ((await qa('GET', `otp?to=${encodeURIComponent(to)}`)) as { code: string }).code;
}
