/**
 * The migrations and seed on an empty database of their own: they apply, a second run applies
 * nothing, the seed can run twice, and the schema keeps the rules the rest of the suite relies on
 * (RLS everywhere, one policy per command, hardened helpers).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, applySeed, listMigrations } from '../local/migrate.ts';
import { sql, stack } from './stack-clients.ts';

const dbName = `consult_migrations_${randomUUID().replaceAll('-', '')}`;
let dbUrl: string;

async function query<T extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await sql(`create database ${dbName}`);
  const url = new URL(stack().dbUrl);
  url.pathname = `/${dbName}`;
  dbUrl = url.toString();
});

afterAll(async () => {
  await sql(`drop database if exists ${dbName} with (force)`);
});

describe('migrations', () => {
  it('apply to an empty database, and a second run applies none', async () => {
    const files = await listMigrations();
    expect(files.length).toBeGreaterThan(0);
    expect(await applyMigrations(dbUrl)).toEqual(files.map((f) => f.version));
    expect(await applyMigrations(dbUrl)).toEqual([]);
  });

  it('seed runs twice without adding anything the second time', async () => {
    const count = async () =>
      (
        await query<{ clinics: string; doctors: string; slots: string; days: string }>(
          `select (select count(*) from public.clinics) as clinics,
                  (select count(*) from public.doctors) as doctors,
                  (select count(*) from public.slots) as slots,
                  (select count(distinct (starts_at at time zone 'Asia/Kolkata')::date) from public.slots) as days`,
        )
      )[0];
    expect(await applySeed(dbUrl)).toBe(true);
    const once = await count();
    expect(await applySeed(dbUrl)).toBe(true);
    expect(await count()).toEqual(once);
    expect(once).toMatchObject({ clinics: '4', doctors: '12' });
    // 14 days from today, Sundays off.
    expect(Number(once?.days)).toBeGreaterThanOrEqual(12);
    const modes = await query<{ mode: string }>('select distinct mode from public.slots order by mode');
    expect(modes.map((m) => m.mode)).toEqual(['in_person', 'video']);
    const specialties = await query<{ n: string }>(
      'select count(distinct specialty) as n from public.doctors',
    );
    expect(Number(specialties[0]?.n)).toBeGreaterThanOrEqual(6);
  });

  it('enable row level security on every public table, with at most one policy per command', async () => {
    const withoutRls = await query(
      `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r' and not c.relrowsecurity`,
    );
    expect(withoutRls).toEqual([]);
    const policies = await query<{ tablename: string; cmd: string; n: string }>(
      `select tablename, cmd, count(*)::text as n from pg_policies where schemaname = 'public'
       group by tablename, cmd order by tablename, cmd`,
    );
    expect(policies.filter((p) => p.cmd === 'ALL')).toEqual([]);
    expect(policies.filter((p) => p.n !== '1')).toEqual([]);
    expect(policies.filter((p) => p.tablename === 'patients').map((p) => p.cmd)).toEqual([
      'DELETE',
      'INSERT',
      'SELECT',
      'UPDATE',
    ]);
  });

  it('harden the helpers used by policies: security definer, stable, empty search_path', async () => {
    const helpers = await query<{
      proname: string;
      prosecdef: boolean;
      provolatile: string;
      proconfig: string[];
    }>(
      `select p.proname, p.prosecdef, p.provolatile, p.proconfig from pg_proc p
       join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'private' and p.proname in ('staff_clinic_id', 'row_exists')
       order by p.proname`,
    );
    expect(helpers).toHaveLength(2);
    for (const h of helpers) {
      expect(h).toMatchObject({ prosecdef: true, provolatile: 's', proconfig: ['search_path=""'] });
    }
    const rpcs = await query<{ proname: string; provolatile: string; prosecdef: boolean }>(
      `select proname, provolatile, prosecdef from pg_proc
       where pronamespace = 'public'::regnamespace and proname in ('sync_push', 'sync_pull') order by proname`,
    );
    expect(rpcs).toEqual([
      { proname: 'sync_pull', provolatile: 's', prosecdef: false },
      { proname: 'sync_push', provolatile: 'v', prosecdef: false },
    ]);
  });
});
