/**
 * A small stand-in for Supabase Auth (GoTrue): the endpoints supabase-js calls for email/password
 * sign-up and sign-in, anonymous sign-in, phone (and email) one-time codes, refresh, get/update user
 * and sign-out. Users live in auth.users so foreign keys to them hold; access tokens are HS256 JWTs
 * signed with the local secret, with the claims PostgREST and auth.uid() read.
 *
 * Not a security boundary: it exists so the app and the tests run with no account and no Docker.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import { authSessions } from './auth-sessions.ts';
import {
  AuthHttpError,
  checkPassword,
  hashPassword,
  normalisePhone,
  type UserRow,
  userJson,
} from './auth-users.ts';
import { BadJsonError, BodyTooLargeError, readJson, sendJson } from './http-util.ts';
import { OneTimeCodes } from './one-time-codes.ts';
import { assertLoopback, LOOPBACK } from './ports.ts';

export interface AuthOptions {
  dbUrl: string;
  port: number;
  /** A loopback address (the default, 127.0.0.1); anything else is refused at start. */
  host?: string;
  jwtSecret: string;
  /** The public URL of the auth API, used as the tokens' issuer. */
  issuer: string;
  /** Where one-time codes go (the console): there is no SMS or email here. */
  onOneTimeCode: (to: string, code: string) => void;
  log?: (line: string) => void;
}

export interface RunningAuth {
  url: string;
  stop(): Promise<void>;
}

export async function startAuth(options: AuthOptions): Promise<RunningAuth> {
  const host = options.host ?? LOOPBACK;
  assertLoopback(host, 'The auth stand-in');
  const pool = new pg.Pool({ connectionString: options.dbUrl, max: 4 });
  // An idle client whose server went away (Postgres stopping first, a restart) emits 'error' on the
  // pool; unhandled, that kills the whole process. The next query simply opens a new connection.
  pool.on('error', (error) => options.log?.(`[auth] idle database connection lost: ${error.message}`));
  // A code sent for a phone change also remembers whose account the phone is being added to.
  const codes = new OneTimeCodes();

  const one = async (sql: string, params: unknown[]): Promise<UserRow | undefined> =>
    (await pool.query<UserRow>(sql, params)).rows[0];

  const { issueSession, sessionResponse, bearerUser } = authSessions(pool, options.jwtSecret, options.issuer);

  async function signup(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
    const phone = typeof body.phone === 'string' ? normalisePhone(body.phone) : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const data = (body.data ?? {}) as Record<string, unknown>;
    if (!email && !phone) {
      const user = await one(
        'insert into auth.users (is_anonymous, raw_user_meta_data) values (true, $1) returning *',
        [data],
      );
      if (!user) throw new AuthHttpError(500, 'unexpected_failure', 'could not create the user');
      return issueSession(user, 'anonymous');
    }
    if (password.length < 6) {
      throw new AuthHttpError(422, 'weak_password', 'Password should be at least 6 characters.');
    }
    const existing = await one('select * from auth.users where email = $1 or phone = $2', [
      email || null,
      phone || null,
    ]);
    if (existing) throw new AuthHttpError(422, 'user_already_exists', 'User already registered');
    const user = await one(
      `insert into auth.users (email, phone, encrypted_password, raw_user_meta_data, email_confirmed_at, phone_confirmed_at)
       values ($1, $2, $3, $4, case when $1::text is null then null else now() end, case when $2::text is null then null else now() end)
       returning *`,
      [email || null, phone || null, await hashPassword(password), data],
    );
    if (!user) throw new AuthHttpError(500, 'unexpected_failure', 'could not create the user');
    return issueSession(user, 'password');
  }

  async function passwordGrant(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : null;
    const phone = typeof body.phone === 'string' ? normalisePhone(body.phone) : null;
    const user = await one('select * from auth.users where email = $1 or phone = $2', [email, phone]);
    if (!user || !(await checkPassword(String(body.password ?? ''), user.encrypted_password))) {
      throw new AuthHttpError(400, 'invalid_credentials', 'Invalid login credentials');
    }
    return issueSession(user, 'password');
  }

  async function refreshGrant(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const old = await pool.query<{ session_id: string; user_id: string }>(
      'update auth.refresh_tokens set revoked = true where token = $1 and not revoked returning session_id, user_id',
      [String(body.refresh_token ?? '')],
    );
    const row = old.rows[0];
    if (!row) {
      throw new AuthHttpError(
        400,
        'refresh_token_not_found',
        'Invalid Refresh Token: Refresh Token Not Found',
      );
    }
    const user = await one('select * from auth.users where id = $1', [row.user_id]);
    if (!user) throw new AuthHttpError(400, 'user_not_found', 'User not found');
    return sessionResponse(user, row.session_id, 'token_refresh', Math.floor(Date.now() / 1000));
  }

  function issueCode(to: string, userId?: string): void {
    options.onOneTimeCode(to, codes.issue(to, userId));
  }

  function sendCode(body: Record<string, unknown>): Record<string, unknown> {
    const to =
      typeof body.phone === 'string'
        ? normalisePhone(body.phone)
        : typeof body.email === 'string'
          ? body.email.trim().toLowerCase()
          : '';
    if (!to)
      throw new AuthHttpError(400, 'validation_failed', 'You must provide either an email or phone number.');
    issueCode(to);
    return { message_id: randomUUID() };
  }

  async function verify(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const isPhone = typeof body.phone === 'string';
    const to = isPhone
      ? normalisePhone(String(body.phone))
      : String(body.email ?? '')
          .trim()
          .toLowerCase();
    const pending = codes.check(to, String(body.token ?? ''));
    if (!pending.ok && pending.reason === 'locked') {
      throw new AuthHttpError(
        403,
        'otp_expired',
        'Too many wrong codes: this code no longer works. Request a new code.',
      );
    }
    if (!pending.ok) throw new AuthHttpError(403, 'otp_expired', 'Token has expired or is invalid');
    if (pending.userId) {
      // phone_change: the code proves the phone belongs to the signed-in user who asked to add it.
      const changed = await one(
        'update auth.users set phone = $2, phone_confirmed_at = now(), is_anonymous = false, updated_at = now() where id = $1 returning *',
        [pending.userId, to],
      );
      if (!changed) throw new AuthHttpError(404, 'user_not_found', 'User not found');
      return issueSession(changed, 'otp');
    }
    const column = isPhone ? 'phone' : 'email';
    const user =
      (await one(`update auth.users set ${column}_confirmed_at = now() where ${column} = $1 returning *`, [
        to,
      ])) ??
      (await one(
        `insert into auth.users (${column}, ${column}_confirmed_at) values ($1, now()) returning *`,
        [to],
      ));
    if (!user) throw new AuthHttpError(500, 'unexpected_failure', 'could not create the user');
    return issueSession(user, 'otp');
  }

  async function updateUser(
    req: http.IncomingMessage,
    body: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const { user } = await bearerUser(req);
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : user.email;
    if (email && email !== user.email) {
      const taken = await one('select * from auth.users where email = $1 and id <> $2', [email, user.id]);
      if (taken) {
        throw new AuthHttpError(
          422,
          'email_exists',
          'A user with this email address has already been registered',
        );
      }
    }
    if (typeof body.phone === 'string') {
      // As GoTrue does: a new phone is only set once the code sent to it comes back (verify, phone_change).
      const phone = normalisePhone(body.phone);
      const taken = await one('select * from auth.users where phone = $1 and id <> $2', [phone, user.id]);
      if (taken)
        throw new AuthHttpError(
          422,
          'phone_exists',
          'A user with this phone number has already been registered',
        );
      issueCode(phone, user.id);
    }
    const password =
      typeof body.password === 'string' ? await hashPassword(body.password) : user.encrypted_password;
    const data = { ...user.raw_user_meta_data, ...((body.data ?? {}) as Record<string, unknown>) };
    const updated = await one(
      `update auth.users set email = $2, encrypted_password = $3, raw_user_meta_data = $4,
         is_anonymous = is_anonymous and ($2::text is null), updated_at = now(),
         email_confirmed_at = coalesce(email_confirmed_at, case when $2::text is null then null else now() end)
       where id = $1 returning *`,
      [user.id, email, password, data],
    );
    return userJson(updated ?? user);
  }

  async function logout(req: http.IncomingMessage, scope: string): Promise<void> {
    const { user, sessionId } = await bearerUser(req);
    if (scope === 'global') {
      await pool.query('update auth.refresh_tokens set revoked = true where user_id = $1', [user.id]);
    } else if (scope === 'others') {
      await pool.query(
        'update auth.refresh_tokens set revoked = true where user_id = $1 and session_id <> $2',
        [user.id, sessionId],
      );
    } else {
      await pool.query('update auth.refresh_tokens set revoked = true where session_id = $1', [sessionId]);
    }
  }

  async function route(req: http.IncomingMessage, url: URL): Promise<[number, unknown]> {
    const key = `${req.method} ${url.pathname}`;
    switch (key) {
      case 'GET /health':
        return [200, { name: 'consult-local-auth', description: 'Supabase Auth stand-in' }];
      case 'GET /settings':
        return [
          200,
          { external: { email: true, phone: true, anonymous_users: true }, mailer_autoconfirm: true },
        ];
      case 'POST /signup':
        return [200, await signup(await readJson(req))];
      case 'POST /token': {
        const grant = url.searchParams.get('grant_type');
        if (grant === 'password') return [200, await passwordGrant(await readJson(req))];
        if (grant === 'refresh_token') return [200, await refreshGrant(await readJson(req))];
        throw new AuthHttpError(400, 'validation_failed', `unsupported grant_type ${grant ?? '(none)'}`);
      }
      case 'POST /otp':
        return [200, sendCode(await readJson(req))];
      case 'POST /verify':
        return [200, await verify(await readJson(req))];
      case 'GET /user':
        return [200, userJson((await bearerUser(req)).user)];
      case 'PUT /user':
        return [200, await updateUser(req, await readJson(req))];
      case 'POST /logout':
        await logout(req, url.searchParams.get('scope') ?? 'global');
        return [204, null];
      default:
        throw new AuthHttpError(404, 'not_found', `${key} is not implemented by the local auth stand-in`);
    }
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://auth.local');
    route(req, url)
      .then(([status, body]) => sendJson(res, status, body, { 'x-supabase-api-version': '2024-01-01' }))
      .catch((error: unknown) => {
        if (error instanceof AuthHttpError) {
          sendJson(res, error.status, { code: error.status, error_code: error.code, msg: error.message });
        } else if (error instanceof BadJsonError) {
          sendJson(res, 400, { code: 400, error_code: 'bad_json', msg: error.message });
        } else if (error instanceof BodyTooLargeError) {
          sendJson(res, 413, { code: 413, error_code: 'request_too_large', msg: error.message });
        } else {
          options.log?.(`[auth] ${req.method} ${url.pathname} failed: ${String(error)}`);
          sendJson(res, 500, { code: 500, error_code: 'unexpected_failure', msg: 'Unexpected failure' });
        }
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${options.port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
