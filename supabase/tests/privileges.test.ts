/**
 * Least privilege for the API roles (issue 8, part 5): no function in `private` is executable by
 * PUBLIC or anon, authenticated gets only the helpers that run as the caller, the functions in
 * `public` (the API's RPCs) are the three a device calls and only for authenticated, anon and
 * authenticated have a statement_timeout that PostgREST applies, and a deleted user's token is
 * answered 401.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { newUser, sql } from './stack-clients.ts';
import { patientRow, pushRaw, upsertPatient, waitFor } from './sync-fixtures.ts';

describe('private functions', () => {
  it('are executable by no one but the roles that need them', async () => {
    const open = await sql<{ proname: string; role: string }>(
      `select p.proname, r.role from pg_proc p
       cross join unnest(array['public', 'anon', 'service_role']) as r(role)
       where p.pronamespace = 'private'::regnamespace
         and case when r.role = 'public' then exists (
               select from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
               where a.grantee = 0 and a.privilege_type = 'EXECUTE')
             else has_function_privilege(r.role, p.oid, 'execute') end
         and not (p.proname = 'check_request' and r.role <> 'public')
         -- A pure predicate the table checks call as whoever writes, the back office included.
         and not (p.proname = 'hidden_text' and r.role = 'service_role')
       order by 1, 2`,
    );
    expect(open).toEqual([]);
    const triggers = await sql<{ proname: string }>(
      `select proname from pg_proc
       where pronamespace = 'private'::regnamespace and prorettype = 'trigger'::regtype
         and has_function_privilege('authenticated', oid, 'execute')`,
    );
    expect(triggers).toEqual([]);
  });
});

describe('public functions', () => {
  it('are the RPCs a device calls, and nothing else, for anon and authenticated', async () => {
    // The API serves every function in public that a role may execute, and the default privileges
    // grant new ones to anon and authenticated: a helper defined there by mistake would be an RPC.
    const open = await sql<{ role: string; proname: string }>(
      `select r.role, p.proname from pg_proc p
       cross join unnest(array['anon', 'authenticated']) as r(role)
       where p.pronamespace = 'public'::regnamespace and has_function_privilege(r.role, p.oid, 'execute')
       order by 1, 2`,
    );
    expect(open).toEqual([
      { role: 'authenticated', proname: 'clinic_day_names' },
      { role: 'authenticated', proname: 'sync_pull' },
      { role: 'authenticated', proname: 'sync_push' },
    ]);
  });
});

describe('statement_timeout', () => {
  afterAll(async () => {
    await sql('drop function if exists public.test_statement_timeout()');
    await sql(`notify pgrst, 'reload schema'`);
  });

  it('is set for anon (3 s) and authenticated (8 s), and PostgREST applies it', async () => {
    const settings = await sql<{ role: string; config: string[] }>(
      `select r.rolname as role, s.setconfig as config from pg_db_role_setting s
       join pg_roles r on r.oid = s.setrole
       where r.rolname in ('anon', 'authenticated') and s.setdatabase = 0 order by 1`,
    );
    expect(settings).toEqual([
      { role: 'anon', config: expect.arrayContaining(['statement_timeout=3s']) },
      { role: 'authenticated', config: expect.arrayContaining(['statement_timeout=8s']) },
    ]);

    await sql(`create function public.test_statement_timeout() returns text language sql
      as $$ select current_setting('statement_timeout') $$`);
    await sql(`notify pgrst, 'reload schema'`);
    const user = await newUser('timeout');
    let seen: unknown = null;
    await waitFor(async () => {
      const { data } = await user.client.rpc('test_statement_timeout');
      seen = data;
      return data !== null;
    }, 'PostgREST to load the test function');
    expect(seen).toBe('8s');
  });
});

describe('a deleted user', () => {
  it('is answered 401, not a foreign key error, while the token is still valid', async () => {
    const user = await newUser('deleted');
    await sql('delete from auth.users where id = $1', [user.userId]);
    const clientId = randomUUID();
    const { failure } = await pushRaw(user.client, clientId, [upsertPatient(clientId, patientRow())]);
    expect(failure).toMatchObject({ status: 401, code: 'PT401' });
    expect(failure?.message).toContain('no longer exists');
    const { status } = await user.client.from('patients').insert(patientRow({ user_id: user.userId }));
    expect(status).toBe(401);
  });
});
