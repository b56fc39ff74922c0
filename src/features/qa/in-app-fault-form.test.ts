import { describe, expect, it } from 'vitest';
import { NO_FAULTS, PRESETS } from '../../data/qa-fault-settings.ts';
import { formOf, parseInAppForm } from './in-app-fault-form.ts';

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
});
