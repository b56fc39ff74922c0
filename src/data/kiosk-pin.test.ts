import { describe, expect, it } from 'vitest';
import { afterWrongPin, hashPin, isValidPin, lockDuration, PIN_ITERATIONS, verifyPin } from './kiosk-pin.ts';

// Cheap hashes for the lockout timeline; the full cost is checked once below.
const FAST = 1_000;

describe('PIN hash', () => {
  it('stores a salted PBKDF2 hash at the full cost, never the PIN, and verifies only the right PIN', async () => {
    const stored = await hashPin('482913');
    expect(stored.iterations).toBe(PIN_ITERATIONS);
    expect(JSON.stringify(stored)).not.toContain('482913');
    expect(await verifyPin('482913', stored)).toBe(true);
    expect(await verifyPin('482914', stored)).toBe(false);
  });

  it('salts each hash: the same PIN twice gives two different hashes', async () => {
    const a = await hashPin('111111', FAST);
    const b = await hashPin('111111', FAST);
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
  });

  it('accepts 6 to 12 digits only', async () => {
    expect(isValidPin('12345')).toBe(false);
    expect(isValidPin('123456')).toBe(true);
    expect(isValidPin('12345a')).toBe(false);
    expect(isValidPin('1234567890123')).toBe(false);
    await expect(hashPin('12345', FAST)).rejects.toThrow();
  });
});

describe('PIN lockout', () => {
  it('allows three slips, then locks for 30 s, doubling up to an hour', () => {
    expect([1, 2, 3, 4, 5, 6].map(lockDuration)).toEqual([0, 0, 30_000, 60_000, 120_000, 240_000]);
    expect(lockDuration(30)).toBe(3_600_000);
  });

  it('keeps counting from a persisted lockout (a reload does not reset it)', () => {
    const saved = JSON.parse(JSON.stringify(afterWrongPin({ failures: 3, lockedUntil: 5 }, 100)));
    expect(saved).toEqual({ failures: 4, lockedUntil: 100 + 60_000 });
  });
});
