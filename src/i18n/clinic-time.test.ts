import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { preferredDayLabel } from '../components/request-label.ts';
import { slotsByDay } from '../components/slot-picker.tsx';
import type { Slot } from '../data/reference-rows.ts';
import {
  calendarDay,
  clinicDateTime,
  clinicDayKey,
  clinicTime,
  deviceTimeZone,
  zoneDiffers,
} from './clinic-time.ts';
import { LANGS, translate } from './translate.ts';

// 09:00 at the clinic on Tue 1 Dec 2026 (India is UTC+05:30 all year).
const NINE_AM = new Date('2026-12-01T03:30:00Z');
const slot: Slot = {
  id: 's1',
  doctor_id: 'd',
  starts_at: NINE_AM.toISOString(),
  ends_at: '',
  mode: 'video',
  available: true,
};

describe('clinic time on a phone set to another zone', () => {
  const before = process.env.TZ;
  beforeEach(() => {
    process.env.TZ = 'America/New_York';
  });
  afterEach(() => {
    process.env.TZ = before;
  });

  it('is read in the phone zone the test set', () => {
    expect(deviceTimeZone()).toBe('America/New_York');
  });

  it("groups slots by the clinic's day and shows the clinic's clock, not the phone's", () => {
    // New York: 22:30 on Mon 30 Nov.
    expect([...slotsByDay([slot]).keys()]).toEqual(['2026-12-01']);
    expect(clinicDayKey(NINE_AM)).toBe('2026-12-01');
    for (const lang of LANGS) expect(clinicTime(lang, NINE_AM)).toBe('09:00');
  });

  for (const lang of LANGS)
    it(`says "India time" when the phone's zone differs, and only then (${lang})`, () => {
      const shown = clinicDateTime(lang, NINE_AM);
      expect(shown).toContain('09:00');
      expect(shown).toBe(translate(lang, 'time.inClinicZone', { time: shown.replace(/ \(.*\)$/, '') }));
      expect(clinicDateTime(lang, NINE_AM, 'Asia/Kolkata')).not.toContain('(');
      expect(clinicDateTime(lang, NINE_AM, 'Asia/Calcutta')).not.toContain('(');
    });

  it('tells zones apart by their clock at that instant, daylight saving included', () => {
    expect(zoneDiffers(NINE_AM, 'America/New_York')).toBe(true);
    expect(zoneDiffers(NINE_AM, 'Asia/Kolkata')).toBe(false);
    // Colombo is UTC+05:30 too: the same clock, nothing to say.
    expect(zoneDiffers(NINE_AM, 'Asia/Colombo')).toBe(false);
    expect(zoneDiffers(new Date(Number.NaN), 'America/New_York')).toBe(false);
  });
});

describe('a calendar day (a preferred day, a birth date)', () => {
  const before = process.env.TZ;
  afterEach(() => {
    process.env.TZ = before;
  });

  for (const zone of ['Pacific/Chatham', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Kolkata'])
    it(`is the same day in ${zone}`, () => {
      process.env.TZ = zone;
      expect(calendarDay('en', '2026-11-24')).toBe('Tue, 24 Nov');
      expect(preferredDayLabel('2026-11-24', 'en')).toBe('Tue, 24 Nov');
      expect(preferredDayLabel('2028-02-29', 'en')).toBe('Tue, 29 Feb');
    });
});
