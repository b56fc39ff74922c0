/**
 * The auth stand-in's sessions: a row in auth.sessions, a refresh token, and an HS256 access token
 * with the claims PostgREST and auth.uid() read; and the reverse, from a Bearer token to its user.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type http from 'node:http';
import { jwtVerify, SignJWT } from 'jose';
import type pg from 'pg';
import { AuthHttpError, type UserRow, userJson } from './auth-users.ts';

const ACCESS_TOKEN_SECONDS = 3600;

export interface Sessions {
  issueSession(user: UserRow, method: string): Promise<Record<string, unknown>>;
  sessionResponse(
    user: UserRow,
    sessionId: string,
    method: string,
    now: number,
  ): Promise<Record<string, unknown>>;
  bearerUser(req: http.IncomingMessage): Promise<{ user: UserRow; sessionId: string }>;
}

export function authSessions(pool: pg.Pool, jwtSecret: string, issuer: string): Sessions {
  const secret = new TextEncoder().encode(jwtSecret);
  const one = async (sql: string, params: unknown[]): Promise<UserRow | undefined> =>
    (await pool.query<UserRow>(sql, params)).rows[0];

  async function issueSession(user: UserRow, method: string): Promise<Record<string, unknown>> {
    const now = Math.floor(Date.now() / 1000);
    const signedIn = await one('update auth.users set last_sign_in_at = now() where id = $1 returning *', [
      user.id,
    ]);
    const session = await pool.query<{ id: string }>(
      'insert into auth.sessions (user_id) values ($1) returning id',
      [user.id],
    );
    const sessionId = session.rows[0]?.id;
    return sessionResponse(signedIn ?? user, sessionId ?? randomUUID(), method, now);
  }

  async function sessionResponse(
    user: UserRow,
    sessionId: string,
    method: string,
    now: number,
  ): Promise<Record<string, unknown>> {
    const refreshToken = randomBytes(24).toString('base64url');
    await pool.query('insert into auth.refresh_tokens (token, session_id, user_id) values ($1, $2, $3)', [
      refreshToken,
      sessionId,
      user.id,
    ]);
    const json = userJson(user);
    const accessToken = await new SignJWT({
      aud: 'authenticated',
      iss: issuer,
      sub: user.id,
      email: user.email ?? '',
      phone: user.phone ?? '',
      app_metadata: json.app_metadata,
      user_metadata: user.raw_user_meta_data,
      role: 'authenticated',
      aal: 'aal1',
      amr: [{ method, timestamp: now }],
      session_id: sessionId,
      is_anonymous: user.is_anonymous,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt(now)
      .setExpirationTime(now + ACCESS_TOKEN_SECONDS)
      .sign(secret);
    return {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: ACCESS_TOKEN_SECONDS,
      expires_at: now + ACCESS_TOKEN_SECONDS,
      refresh_token: refreshToken,
      user: json,
    };
  }

  async function bearerUser(req: http.IncomingMessage): Promise<{ user: UserRow; sessionId: string }> {
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token) throw new AuthHttpError(401, 'no_authorization', 'This endpoint requires a Bearer token');
    let claims: { sub?: string; session_id?: string };
    try {
      claims = (await jwtVerify(token, secret)).payload as typeof claims;
    } catch {
      throw new AuthHttpError(403, 'bad_jwt', 'invalid JWT: unable to parse or verify signature');
    }
    const user = claims.sub ? await one('select * from auth.users where id = $1', [claims.sub]) : undefined;
    if (!user) throw new AuthHttpError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
    return { user, sessionId: claims.session_id ?? '' };
  }

  return { issueSession, sessionResponse, bearerUser };
}
