/**
 * The embedded local Supabase itself: the auth stand-in through supabase-js, the gateway's routing,
 * CORS and QA faults, and migrations that apply once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BYTES } from '../local/http-util.ts';
import { applyMigrations, listMigrations } from '../local/migrate.ts';
import { OTP_MAX_WRONG_TRIES } from '../local/one-time-codes.ts';
import {
  anonClient,
  gatewayStats,
  lastOneTimeCode,
  newUser,
  resetFaults,
  resetGatewayStats,
  setFaults,
  sql,
  stack,
} from './stack-clients.ts';

afterEach(async () => {
  await resetFaults();
});

describe('migrations', () => {
  it('recorded every migration file, and a second run applies none', async () => {
    const files = await listMigrations();
    const recorded = await sql<{ version: string }>(
      'select version from supabase_migrations.schema_migrations order by version',
    );
    expect(recorded.map((r) => r.version)).toEqual(files.map((f) => f.version));
    expect(await applyMigrations(stack().dbUrl)).toEqual([]);
  });
});

describe('auth stand-in', () => {
  it('signs up with email and password, then signs in again with the same credentials', async () => {
    const user = await newUser('auth');
    const again = anonClient();
    const { data, error } = await again.auth.signInWithPassword({
      email: user.email,
      password: 'correct-horse-battery',
    });
    expect(error).toBeNull();
    expect(data.user?.id).toBe(user.userId);
    const rows = await sql<{ email: string }>('select email from auth.users where id = $1', [user.userId]);
    expect(rows[0]?.email).toBe(user.email);
  });

  it('refuses a wrong password with invalid_credentials', async () => {
    const user = await newUser('auth');
    const { error } = await anonClient().auth.signInWithPassword({
      email: user.email,
      password: 'wrong-password',
    });
    expect(error?.code).toBe('invalid_credentials');
  });

  it('refuses a second sign-up with the same email', async () => {
    const user = await newUser('auth');
    const { error } = await anonClient().auth.signUp({ email: user.email, password: 'another-password' });
    expect(error?.code).toBe('user_already_exists');
  });

  it('signs in anonymously, and the user is marked anonymous', async () => {
    const c = anonClient();
    const { data, error } = await c.auth.signInAnonymously();
    expect(error).toBeNull();
    expect(data.user?.is_anonymous).toBe(true);
    expect((await c.auth.getUser()).data.user?.id).toBe(data.user?.id);
  });

  it('signs in by phone with the one-time code it printed', async () => {
    const phone = `+9198${String(Date.now()).slice(-8)}`;
    const c = anonClient();
    expect((await c.auth.signInWithOtp({ phone })).error).toBeNull();
    const wrong = await c.auth.verifyOtp({ phone, token: '000000x', type: 'sms' });
    expect(wrong.error?.code).toBe('otp_expired');
    const code = await lastOneTimeCode(phone.slice(1));
    const { data, error } = await c.auth.verifyOtp({ phone, token: code, type: 'sms' });
    expect(error).toBeNull();
    expect(data.user?.phone).toBe(phone.slice(1));
  });

  it(`stops a one-time code working after ${OTP_MAX_WRONG_TRIES} wrong tries, saying so`, async () => {
    const phone = `+9196${String(Date.now()).slice(-8)}`;
    const c = anonClient();
    expect((await c.auth.signInWithOtp({ phone })).error).toBeNull();
    for (let i = 0; i < OTP_MAX_WRONG_TRIES; i++) {
      await c.auth.verifyOtp({ phone, token: 'wrong1', type: 'sms' });
    }
    const code = await lastOneTimeCode(phone.slice(1));
    const locked = await c.auth.verifyOtp({ phone, token: code, type: 'sms' });
    expect(locked.error?.code).toBe('otp_expired');
    expect(locked.error?.message).toContain('Too many wrong codes');
    expect((await c.auth.signInWithOtp({ phone })).error).toBeNull();
    const fresh = await lastOneTimeCode(phone.slice(1));
    expect((await c.auth.verifyOtp({ phone, token: fresh, type: 'sms' })).error).toBeNull();
  });

  it('refreshes a session once per refresh token, and sign-out revokes it', async () => {
    const { client } = await newUser('auth');
    const first = (await client.auth.getSession()).data.session;
    const refreshed = await client.auth.refreshSession();
    expect(refreshed.error).toBeNull();
    expect(refreshed.data.session?.refresh_token).not.toBe(first?.refresh_token);
    const reuse = await anonClient().auth.refreshSession({ refresh_token: first?.refresh_token ?? '' });
    expect(reuse.error?.code).toBe('refresh_token_not_found');
    const latest = refreshed.data.session?.refresh_token ?? '';
    expect((await client.auth.signOut()).error).toBeNull();
    expect((await anonClient().auth.refreshSession({ refresh_token: latest })).error?.code).toBe(
      'refresh_token_not_found',
    );
  });

  it('issues access tokens PostgREST accepts: auth.uid() is the user', async () => {
    const { client, userId } = await newUser('auth');
    const token = (await client.auth.getSession()).data.session?.access_token ?? '';
    const res = await fetch(`${stack().url}/rest/v1/rpc/nonexistent_function_for_test`, {
      method: 'POST',
      headers: {
        apikey: stack().anonKey,
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    // A valid JWT reaches the schema cache lookup (404); a bad one would be refused with 401.
    expect(res.status).toBe(404);
    const bad = await fetch(`${stack().url}/rest/v1/rpc/nonexistent_function_for_test`, {
      method: 'POST',
      headers: {
        apikey: stack().anonKey,
        authorization: `Bearer ${token}x`,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(bad.status).toBe(401);
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('gateway', () => {
  it('answers CORS preflight for the app', async () => {
    const res = await fetch(`${stack().url}/rest/v1/rpc/sync_push`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:5173', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toContain('apikey');
  });

  it('counts requests per path', async () => {
    await resetGatewayStats();
    await anonClient().auth.getSession();
    await fetch(`${stack().url}/auth/v1/health`);
    await fetch(`${stack().url}/auth/v1/health`);
    expect((await gatewayStats())['/auth/v1/health']).toBe(2);
  });

  it('fails the next request with the configured status and Retry-After, then passes again', async () => {
    await setFaults({ failNext: 1, failStatus: 503, retryAfterSeconds: 7, match: '/auth/v1/' });
    const failed = await fetch(`${stack().url}/auth/v1/health`);
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('7');
    expect((await fetch(`${stack().url}/auth/v1/health`)).status).toBe(200);
  });

  it('applies, then drops the response: the write happened but the caller saw a network error', async () => {
    await setFaults({ dropNext: 1, match: '/auth/v1/signup' });
    const email = `dropped-${Date.now()}@example.test`;
    const request = fetch(`${stack().url}/auth/v1/signup`, {
      method: 'POST',
      headers: { apikey: stack().anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'correct-horse-battery' }),
    });
    await expect(request).rejects.toThrow();
    expect(await sql('select 1 from auth.users where email = $1', [email])).toHaveLength(1);
  });

  it('offline refuses every matching request without reaching the server', async () => {
    await setFaults({ offline: true, match: '/auth/v1/' });
    await expect(fetch(`${stack().url}/auth/v1/health`)).rejects.toThrow();
    await setFaults({ offline: false });
    expect((await fetch(`${stack().url}/auth/v1/health`)).status).toBe(200);
  });

  it('answers a body over the limit with 413, and the next request still goes through', async () => {
    const res = await fetch(`${stack().url}/rest/v1/rpc/sync_push`, {
      method: 'POST',
      headers: { apikey: stack().anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'p'.repeat(MAX_REQUEST_BYTES + 1_000_000) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'PT413' });
    expect((await fetch(`${stack().url}/auth/v1/health`)).status).toBe(200);
  });

  it('rejects bad fault settings with a 400 that names the field', async () => {
    const res = await fetch(`${stack().url}/__qa/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ failRate: 3 }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('failRate');
  });
});

describe('auth stand-in: upgrading an anonymous user', () => {
  it('keeps the user id when an anonymous user adds email and password', async () => {
    const c = anonClient();
    const anonymous = (await c.auth.signInAnonymously()).data.user;
    const email = `upgraded-${Date.now()}@example.test`;
    const { data, error } = await c.auth.updateUser({ email, password: 'correct-horse-battery' });
    expect(error).toBeNull();
    expect(data.user?.id).toBe(anonymous?.id);
    expect(data.user?.is_anonymous).toBe(false);
    const again = await anonClient().auth.signInWithPassword({ email, password: 'correct-horse-battery' });
    expect(again.data.user?.id).toBe(anonymous?.id);
  });

  it('refuses an email that another user has, with email_exists', async () => {
    const other = await newUser('taken');
    const c = anonClient();
    await c.auth.signInAnonymously();
    const { error } = await c.auth.updateUser({ email: other.email, password: 'correct-horse-battery' });
    expect(error?.code).toBe('email_exists');
  });

  it('adds a phone to an anonymous user once the phone_change code comes back', async () => {
    const c = anonClient();
    const anonymous = (await c.auth.signInAnonymously()).data.user;
    const phone = `+9197${String(Date.now()).slice(-8)}`;
    expect((await c.auth.updateUser({ phone })).error).toBeNull();
    const code = await lastOneTimeCode(phone.slice(1));
    const { data, error } = await c.auth.verifyOtp({ phone, token: code, type: 'phone_change' });
    expect(error).toBeNull();
    expect(data.user?.id).toBe(anonymous?.id);
    expect(data.user?.phone).toBe(phone.slice(1));
    expect(data.user?.is_anonymous).toBe(false);
  });
});
