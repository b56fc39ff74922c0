/**
 * The kiosk's staff PIN: kept only as a salted PBKDF2-SHA256 hash (WebCrypto), and guarded by a
 * lockout that grows with every wrong entry. The lockout state is plain data the caller persists
 * (kiosk-config.ts), so a reload does not reset it; the clock is injected so tests need no waiting.
 *
 * Cost: OWASP's 2023 figure for PBKDF2-HMAC-SHA256 is 600,000 iterations. A 6-digit PIN has only a
 * million values, so no iteration count makes an offline search of a stolen hash impossible; what the
 * cost buys is hours instead of seconds on a laptop, and the lockout is what stops guessing at the
 * tablet itself. One check took 272–341 ms in the e2e Chromium on the shared 2-core machine (the kiosk e2e
 * test prints it), acceptable for a staff action that happens a few times a day.
 */
import { fromBase64, toBase64 } from '../lib/base64.ts';

export const PIN_ITERATIONS = 600_000;
export const PIN_MIN_DIGITS = 6;
const HASH_BITS = 256;

export interface PinHash {
  /** base64 */
  salt: string;
  /** base64 */
  hash: string;
  iterations: number;
}

/** At least six digits, digits only (a numeric keypad on the tablet). */
export function isValidPin(pin: string): boolean {
  return new RegExp(`^[0-9]{${PIN_MIN_DIGITS},12}$`).test(pin);
}

async function derive(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    key,
    HASH_BITS,
  );
  return new Uint8Array(bits);
}

export async function hashPin(pin: string, iterations: number = PIN_ITERATIONS): Promise<PinHash> {
  if (!isValidPin(pin)) throw new Error(`a PIN is ${PIN_MIN_DIGITS} to 12 digits`);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return { salt: toBase64(salt), hash: toBase64(await derive(pin, salt, iterations)), iterations };
}

export async function verifyPin(pin: string, stored: PinHash): Promise<boolean> {
  const actual = await derive(pin, fromBase64(stored.salt), stored.iterations);
  const expected = fromBase64(stored.hash);
  // Compared in full whatever differs first: the time taken says nothing about the hash.
  let diff = actual.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) diff |= (actual[i] ?? 0) ^ (expected[i] ?? 0);
  return diff === 0;
}

/** Wrong entries since the last right one, and until when staff mode stays locked (epoch ms). */
export interface PinLockout {
  failures: number;
  lockedUntil: number;
}

export const NO_LOCKOUT: PinLockout = { failures: 0, lockedUntil: 0 };
/** Wrong entries allowed before the first lock (a slip of the finger is not an attack). */
export const FREE_TRIES = 3;
const FIRST_LOCK_MS = 30_000;
const MAX_LOCK_MS = 60 * 60_000;

/** How long the lock after `failures` wrong entries lasts: 30 s, then doubling, at most an hour. */
export function lockDuration(failures: number): number {
  if (failures < FREE_TRIES) return 0;
  return Math.min(FIRST_LOCK_MS * 2 ** (failures - FREE_TRIES), MAX_LOCK_MS);
}

/**
 * Milliseconds left before a PIN may be tried again; 0 when it may be tried now. Never more than the
 * lock's own length: a tablet's clock set back (by hand, or corrected after an offline boot) made
 * the end of a 30 s lock lie days ahead, and staff mode stayed locked for as long.
 */
export function lockRemaining(lockout: PinLockout, now: number): number {
  const longest = lockout.lockedUntil > 0 ? lockDuration(lockout.failures) : 0;
  return Math.max(0, Math.min(lockout.lockedUntil - now, longest));
}

/** The lockout with its end brought back within the lock's length from `now` (see lockRemaining). */
export function withinLockLength(lockout: PinLockout, now: number): PinLockout {
  const remaining = lockRemaining(lockout, now);
  return remaining > 0 && lockout.lockedUntil - now > remaining
    ? { ...lockout, lockedUntil: now + remaining }
    : lockout;
}

export function afterWrongPin(lockout: PinLockout, now: number): PinLockout {
  const failures = lockout.failures + 1;
  const duration = lockDuration(failures);
  return { failures, lockedUntil: duration > 0 ? now + duration : 0 };
}

export type PinCheck = 'ok' | 'wrong' | 'locked';
