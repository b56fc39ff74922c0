/**
 * The auth stand-in's one-time codes (phone and email sign-in, phone change). A code lives five
 * minutes and works once. Guessing is cut short per code: after a few wrong tries the code stops
 * working, even if the right one is typed next, and a new one must be requested. Hosted Supabase Auth
 * limits guessing differently, by verifications per IP (30 per 5 minutes) and codes sent per phone
 * (one a minute); a per-code cap gives the same protection here without clocks in the tests.
 */
import { randomInt } from 'node:crypto';

export const OTP_SECONDS = 300;
/** Wrong tries a code survives; the one after the last is refused and ends the code. */
export const OTP_MAX_WRONG_TRIES = 5;

export type CodeCheck =
  /** The code matched and is now spent; `userId` when it was sent to add a phone to that user. */
  | { ok: true; userId?: string }
  /** No code, an expired code or a wrong one (tries remain). */
  | { ok: false; reason: 'invalid' }
  /** Too many wrong tries: the code no longer works. */
  | { ok: false; reason: 'locked' };

interface Pending {
  code: string;
  expires: number;
  wrongTries: number;
  userId?: string;
}

export class OneTimeCodes {
  // Memory is enough: codes are short-lived, and a restart simply asks for a new code.
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly newCode: () => string = () => String(randomInt(0, 1_000_000)).padStart(6, '0'),
  ) {}

  /** A new code for `to`, replacing any earlier one (and its count of wrong tries). */
  issue(to: string, userId?: string): string {
    const code = this.newCode();
    this.pending.set(to, {
      code,
      expires: this.now() + OTP_SECONDS * 1000,
      wrongTries: 0,
      ...(userId ? { userId } : {}),
    });
    return code;
  }

  check(to: string, token: string): CodeCheck {
    const pending = this.pending.get(to);
    if (!pending) return { ok: false, reason: 'invalid' };
    if (pending.expires < this.now()) {
      this.pending.delete(to);
      return { ok: false, reason: 'invalid' };
    }
    if (pending.wrongTries >= OTP_MAX_WRONG_TRIES) return { ok: false, reason: 'locked' };
    if (pending.code !== token) {
      pending.wrongTries += 1;
      return { ok: false, reason: pending.wrongTries >= OTP_MAX_WRONG_TRIES ? 'locked' : 'invalid' };
    }
    this.pending.delete(to);
    return pending.userId ? { ok: true, userId: pending.userId } : { ok: true };
  }
}
