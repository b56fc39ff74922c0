import { describe, expect, it } from 'vitest';
import { NO_FAULTS, PRESETS } from '../../data/qa-fault-settings.ts';
import { translateQa } from '../../i18n/qa-i18n.ts';
import { formOf, parseInAppForm, rangeOf } from './in-app-fault-form.ts';

describe('the in-app fault form', () => {
  it('round-trips every preset', () => {
    for (const faults of Object.values(PRESETS))
      expect(parseInAppForm(formOf(faults))).toEqual({ ok: true, faults });
  });

  it('reads percentages as rates and an empty Retry-After as none', () => {
    const form = {
      ...formOf(NO_FAULTS),
      failRatePercent: '33',
      lostRatePercent: '7',
      retryAfterSeconds: ' ',
    };
    expect(parseInAppForm(form)).toEqual({
      ok: true,
      faults: { ...NO_FAULTS, failRate: 0.33, lostRate: 0.07, retryAfterSeconds: null },
    });
  });

  it('names every bad field at once', () => {
    const form = {
      ...formOf(NO_FAULTS),
      latencyMs: '70000',
      failStatus: '200',
      bytesPerSecond: '',
      jitterMs: '1.5',
    };
    const parsed = parseInAppForm(form);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.fields.sort()).toEqual(['bytesPerSecond', 'failStatus', 'jitterMs', 'latencyMs']);
  });

  it("says each number field's bounds, and the bounds it says are the ones it takes", () => {
    const fields = [
      'latencyMs',
      'jitterMs',
      'failRatePercent',
      'failStatus',
      'retryAfterSeconds',
      'lostRatePercent',
      'bytesPerSecond',
    ] as const;
    for (const field of fields) {
      const { min, max, whole } = rangeOf(field);
      const ok = (text: string) => parseInAppForm({ ...formOf(NO_FAULTS), [field]: text }).ok;
      expect([ok(String(min)), ok(String(max))], field).toEqual([true, true]);
      expect([ok(String(min - 1)), ok(String(max + 1))], field).toEqual([false, false]);
      expect(ok(String(min + 0.5)), field).toBe(!whole);
    }
    expect(translateQa('en', 'qa.inApp.badWhole', { min: 400, max: 599 })).toBe(
      'Enter a whole number from 400 to 599.',
    );
    expect(translateQa('hi', 'qa.inApp.badNumber', { min: 0, max: 100 })).toContain('0 से 100');
  });
});
