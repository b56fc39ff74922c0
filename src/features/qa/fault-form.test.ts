import { describe, expect, it } from 'vitest';
import { z } from 'zod/mini';
import type { FaultSettings } from '../../../supabase/local/fault-settings.ts';
// The gateway's own controller, to check the form and the gateway agree (the app never imports it).
import { FaultController } from '../../../supabase/local/faults.ts';
import { DEFAULT_FORM, type FaultForm, formFromFaults, parseFaultForm, refusedFields } from './fault-form.ts';

const form = (patch: Partial<FaultForm>): FaultForm => ({ ...DEFAULT_FORM, ...patch });

describe('parseFaultForm', () => {
  it('turns the default form into the gateway defaults', () => {
    const parsed = parseFaultForm(DEFAULT_FORM);
    expect(parsed).toEqual({
      ok: true,
      patch: {
        offline: false,
        latencyMs: 0,
        failRate: 0,
        failStatus: 503,
        retryAfterSeconds: null,
        dropRate: 0,
        failNext: 0,
        dropNext: 0,
      },
    });
  });

  it('converts percentages to rates without float noise and reads every field', () => {
    const parsed = parseFaultForm(
      form({
        offline: true,
        latencyMs: ' 300 ',
        failRatePercent: '33',
        failStatus: '429',
        retryAfterSeconds: '2',
        dropRatePercent: '7.5',
        failNext: '1',
        dropNext: '2',
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      patch: {
        offline: true,
        latencyMs: 300,
        failRate: 0.33,
        failStatus: 429,
        retryAfterSeconds: 2,
        dropRate: 0.075,
        failNext: 1,
        dropNext: 2,
      },
    });
  });

  it('reports every bad field at once, each with its problem', () => {
    const parsed = parseFaultForm(
      form({
        latencyMs: '',
        failRatePercent: '101',
        retryAfterSeconds: '1.5',
        dropRatePercent: 'abc',
        failNext: '-1',
        dropNext: '2',
      }),
    );
    expect(parsed).toEqual({
      ok: false,
      errors: {
        latencyMs: { kind: 'required' },
        failRatePercent: { kind: 'range', min: 0, max: 100 },
        retryAfterSeconds: { kind: 'notWhole' },
        dropRatePercent: { kind: 'notNumber' },
        failNext: { kind: 'atLeast', min: 0 },
      },
    });
  });

  it('keeps to the gateway limits: latency up to 60 s, Retry-After up to an hour', () => {
    expect(parseFaultForm(form({ latencyMs: '60000' })).ok).toBe(true);
    expect(parseFaultForm(form({ latencyMs: '60001' }))).toMatchObject({
      ok: false,
      errors: { latencyMs: { kind: 'range', min: 0, max: 60_000 } },
    });
    expect(parseFaultForm(form({ retryAfterSeconds: '3601' }))).toMatchObject({
      ok: false,
      errors: { retryAfterSeconds: { kind: 'range', max: 3600 } },
    });
    expect(parseFaultForm(form({ retryAfterSeconds: '  ' }))).toMatchObject({
      ok: true,
      patch: { retryAfterSeconds: null },
    });
  });

  it('sends only what the real gateway accepts, and round-trips through its answer', () => {
    const gateway = new FaultController();
    const parsed = parseFaultForm(
      form({
        latencyMs: '250',
        failRatePercent: '12.5',
        failStatus: '500',
        retryAfterSeconds: '5',
        failNext: '3',
      }),
    );
    if (!parsed.ok) throw new Error('expected a valid form');
    const answer: FaultSettings = gateway.update(parsed.patch);
    expect(answer).toMatchObject({ ...parsed.patch, match: '/rest/v1/' });
    expect(formFromFaults(answer)).toEqual(
      form({
        latencyMs: '250',
        failRatePercent: '12.5',
        failStatus: '500',
        retryAfterSeconds: '5',
        failNext: '3',
      }),
    );
  });
});

describe('formFromFaults', () => {
  it('shows rates as percentages and a missing Retry-After as empty', () => {
    const f = formFromFaults({
      latencyMs: 0,
      failRate: 0.07,
      failStatus: 418,
      retryAfterSeconds: null,
      dropRate: 1,
      offline: true,
      failNext: 0,
      dropNext: 4,
      match: '/rest/v1/',
    });
    expect(f).toMatchObject({
      failRatePercent: '7',
      dropRatePercent: '100',
      retryAfterSeconds: '',
      offline: true,
      dropNext: '4',
      // A status the form does not offer (set with curl) shows as the default choice.
      failStatus: '503',
    });
  });
});

describe('refusedFields', () => {
  function gatewayRefusal(patch: unknown): unknown {
    try {
      new FaultController().update(patch);
    } catch (error) {
      if (error instanceof z.core.$ZodError) return { message: 'bad fault settings', issues: error.issues };
      throw error;
    }
    throw new Error('the gateway accepted it');
  }

  it('maps the gateway 400 issues onto the form fields that hold them', () => {
    const body = JSON.parse(JSON.stringify(gatewayRefusal({ failRate: 2, latencyMs: -1, failNext: 0.5 })));
    const refusal = refusedFields(body);
    expect(refusal.message).toBe('bad fault settings');
    expect(Object.keys(refusal.errors).sort()).toEqual(['failNext', 'failRatePercent', 'latencyMs']);
    // zod/mini has no messages of its own: the gateway gives zod's English ones.
    expect(refusal.errors.failRatePercent).toEqual({
      kind: 'refused',
      message: 'Too big: expected number to be <=1',
    });
    expect(refusal.otherSettings).toEqual([]);
  });

  it('names settings the form has no field for, and survives bodies it does not know', () => {
    expect(refusedFields(gatewayRefusal({ match: 5 })).otherSettings).toEqual(['match']);
    expect(refusedFields('oops')).toEqual({ message: '', errors: {}, otherSettings: [] });
    expect(refusedFields({ message: 'bad' })).toEqual({ message: 'bad', errors: {}, otherSettings: [] });
  });
});
