import { describe, expect, it } from 'vitest';
import { laterOf } from './use-last-sent.ts';

describe('last sent time shared across tabs', () => {
  it('takes the later of this engine and the stored time', () => {
    const a = '2026-11-24T08:00:00.000Z';
    const b = '2026-11-24T09:00:00.000Z';
    expect(laterOf(a, b)).toBe(b);
    expect(laterOf(b, a)).toBe(b);
    expect(laterOf(null, a)).toBe(a);
    expect(laterOf(a, null)).toBe(a);
    expect(laterOf(null, null)).toBeNull();
  });
});
