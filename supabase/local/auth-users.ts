/**
 * The auth stand-in's users: rows of auth.users, their JSON as GoTrue answers it, passwords (scrypt)
 * and GoTrue's error shape.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

export interface UserRow {
  id: string;
  aud: string;
  role: string;
  email: string | null;
  encrypted_password: string | null;
  phone: string | null;
  email_confirmed_at: Date | null;
  phone_confirmed_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Record<string, unknown>;
  raw_user_meta_data: Record<string, unknown>;
  is_anonymous: boolean;
  created_at: Date;
  updated_at: Date;
}

/** GoTrue's error body; supabase-js reads `error_code` and `msg`. */
export class AuthHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function checkPassword(password: string, stored: string | null): Promise<boolean> {
  const [scheme, salt, hash] = (stored ?? '').split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(expected, actual);
}

export function userJson(u: UserRow): Record<string, unknown> {
  const provider = u.is_anonymous ? 'anonymous' : u.phone && !u.email ? 'phone' : 'email';
  return {
    id: u.id,
    aud: u.aud,
    role: u.role,
    email: u.email ?? '',
    phone: u.phone ?? '',
    email_confirmed_at: u.email_confirmed_at?.toISOString(),
    phone_confirmed_at: u.phone_confirmed_at?.toISOString(),
    confirmed_at: (u.email_confirmed_at ?? u.phone_confirmed_at)?.toISOString(),
    last_sign_in_at: u.last_sign_in_at?.toISOString(),
    app_metadata: { provider, providers: [provider], ...u.raw_app_meta_data },
    user_metadata: u.raw_user_meta_data,
    identities: [],
    created_at: u.created_at.toISOString(),
    updated_at: u.updated_at.toISOString(),
    is_anonymous: u.is_anonymous,
  };
}

export const normalisePhone = (phone: string): string => phone.replace(/[\s-]/g, '').replace(/^\+/, '');
