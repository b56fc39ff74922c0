import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.ts';

describe('Backoff', () => {
  it('grows exponentially under full jitter, caps, honours Retry-After and resets', () => {
    const b = new Backoff({ baseMs: 100, maxMs: 1_000 }, () => 0.999);
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([99, 199, 399, 799, 999]);
    const low = new Backoff({ baseMs: 100, maxMs: 1_000 }, () => 0);
    expect(low.next()).toBe(0);
    expect(low.next(5_000)).toBe(5_000);
    low.reset();
    expect(low.attempts).toBe(0);
  });
});
