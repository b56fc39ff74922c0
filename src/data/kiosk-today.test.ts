import { describe, expect, it } from 'vitest';
import { clinicDayBounds } from './kiosk-today.ts';

describe("today's bounds at the clinic", () => {
  it('is midnight to midnight in India, whatever the UTC date', () => {
    // 20:00 UTC on the 1st is 01:30 on the 2nd in India.
    expect(clinicDayBounds(new Date('2026-12-01T20:00:00Z'))).toEqual({
      from: '2026-12-01T18:30:00.000Z',
      to: '2026-12-02T18:30:00.000Z',
    });
    expect(clinicDayBounds(new Date('2026-12-01T10:00:00Z')).from).toBe('2026-11-30T18:30:00.000Z');
  });
});
