import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDay, formatTime, NO_DATE } from './format.ts';

describe('date formats', () => {
  it('formats a date in both languages', () => {
    const date = new Date(2026, 10, 30, 9, 5);
    expect(formatTime('en', date)).toBe('09:05');
    expect(formatDateTime('en', date)).toContain('30');
    expect(formatDateTime('hi', date)).not.toBe(NO_DATE);
  });

  it('shows a date no one can read as a dash instead of throwing', () => {
    for (const text of ['2026-12-01T10:00:00+99:00', 'soon', '+999999-01-01T00:00:00Z']) {
      const date = new Date(text);
      for (const lang of ['en', 'hi'] as const) {
        expect(formatTime(lang, date), text).toBe(NO_DATE);
        expect(formatDay(lang, date), text).toBe(NO_DATE);
        expect(formatDateTime(lang, date), text).toBe(NO_DATE);
      }
    }
  });
});
