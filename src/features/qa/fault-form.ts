/**
 * The fault-injection form: its text fields and the parsing between them and the gateway's settings.
 * The settings' shape and limits are the gateway's own (supabase/local/fault-settings.ts, shared
 * with the app; the gateway's server code is not). The gateway validates again and answers 400 with
 * zod issues: `refusedFields` maps those back onto the form.
 */
import { z } from 'zod/mini';
import { FAULT_DEFAULTS, FAULT_LIMITS, type FaultSettings } from '../../../supabase/local/fault-settings.ts';

/** The error answers the form offers; the gateway accepts any 4xx/5xx. */
export const FAIL_STATUSES = ['503', '500', '429'] as const;
export type FailStatusChoice = (typeof FAIL_STATUSES)[number];

/** The gateway's limits, with rates shown as percentages. */
export const LIMITS = {
  latencyMs: FAULT_LIMITS.latencyMs,
  percent: { min: FAULT_LIMITS.rate.min * 100, max: FAULT_LIMITS.rate.max * 100 },
  retryAfterSeconds: FAULT_LIMITS.retryAfterSeconds,
  count: FAULT_LIMITS.count,
} as const;

/** What Apply sends: every setting but the path prefix, which the screen leaves as it is. */
export type FaultPatch = Omit<FaultSettings, 'match'>;

/** The form as typed: text, so a half-typed value is kept and reported instead of coerced. */
export interface FaultForm {
  offline: boolean;
  latencyMs: string;
  failRatePercent: string;
  failStatus: FailStatusChoice;
  retryAfterSeconds: string;
  dropRatePercent: string;
  failNext: string;
  dropNext: string;
}
export type FaultField = keyof FaultForm;

export type FieldProblem =
  | { kind: 'required' }
  | { kind: 'notNumber' }
  | { kind: 'notWhole' }
  | { kind: 'range'; min: number; max: number }
  | { kind: 'atLeast'; min: number }
  /** The gateway answered 400 naming this field; `message` is its reason. */
  | { kind: 'refused'; message: string };

export type FieldErrors = Partial<Record<FaultField, FieldProblem>>;

export type ParsedForm = { ok: true; patch: FaultPatch } | { ok: false; errors: FieldErrors };

function isFailStatus(value: string): value is FailStatusChoice {
  return (FAIL_STATUSES as readonly string[]).includes(value);
}

/** A rate (0..1) as a percentage without float noise: 0.07 → "7", not "7.000000000000001". */
function percentText(rate: number): string {
  return String(Math.round(rate * 100_000) / 1000);
}

export function formFromFaults(f: FaultSettings): FaultForm {
  const status = String(f.failStatus);
  return {
    offline: f.offline,
    latencyMs: String(f.latencyMs),
    failRatePercent: percentText(f.failRate),
    // A status set outside the app (curl) that the form does not offer shows as the default.
    failStatus: isFailStatus(status) ? status : '503',
    retryAfterSeconds: f.retryAfterSeconds === null ? '' : String(f.retryAfterSeconds),
    dropRatePercent: percentText(f.dropRate),
    failNext: String(f.failNext),
    dropNext: String(f.dropNext),
  };
}

/** The form with the gateway's defaults: nothing injected. */
export const DEFAULT_FORM: FaultForm = formFromFaults(FAULT_DEFAULTS);

type NumberRule = { whole: boolean; min: number; max: number | null };

function parseNumber(text: string, rule: NumberRule): { value: number } | { problem: FieldProblem } {
  const trimmed = text.trim();
  if (trimmed === '') return { problem: { kind: 'required' } };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { problem: { kind: 'notNumber' } };
  if (rule.whole && !Number.isInteger(value)) return { problem: { kind: 'notWhole' } };
  if (value < rule.min || (rule.max !== null && value > rule.max)) {
    return {
      problem:
        rule.max === null
          ? { kind: 'atLeast', min: rule.min }
          : { kind: 'range', min: rule.min, max: rule.max },
    };
  }
  return { value };
}

/** Validates the whole form at once, so every bad field is reported together. */
export function parseFaultForm(form: FaultForm): ParsedForm {
  const errors: FieldErrors = {};
  const read = (field: FaultField, text: string, rule: NumberRule): number => {
    const result = parseNumber(text, rule);
    if ('problem' in result) {
      errors[field] = result.problem;
      return 0;
    }
    return result.value;
  };
  const whole = (limits: { min: number; max: number | null }): NumberRule => ({ whole: true, ...limits });
  const percent: NumberRule = { whole: false, ...LIMITS.percent };

  const latencyMs = read('latencyMs', form.latencyMs, whole(LIMITS.latencyMs));
  const failPercent = read('failRatePercent', form.failRatePercent, percent);
  const dropPercent = read('dropRatePercent', form.dropRatePercent, percent);
  // An empty Retry-After means "send none".
  const retryAfterSeconds =
    form.retryAfterSeconds.trim() === ''
      ? null
      : read('retryAfterSeconds', form.retryAfterSeconds, whole(LIMITS.retryAfterSeconds));
  const failNext = read('failNext', form.failNext, whole(LIMITS.count));
  const dropNext = read('dropNext', form.dropNext, whole(LIMITS.count));
  if (!isFailStatus(form.failStatus)) errors.failStatus = { kind: 'notNumber' };

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    patch: {
      offline: form.offline,
      latencyMs,
      // Percent to rate, rounded so 33 % is sent as 0.33 exactly.
      failRate: Math.round(failPercent * 1000) / 100_000,
      failStatus: Number(form.failStatus),
      retryAfterSeconds,
      dropRate: Math.round(dropPercent * 1000) / 100_000,
      failNext,
      dropNext,
    },
  };
}

const FIELD_OF_SETTING: Readonly<Record<string, FaultField>> = {
  offline: 'offline',
  latencyMs: 'latencyMs',
  failRate: 'failRatePercent',
  failStatus: 'failStatus',
  retryAfterSeconds: 'retryAfterSeconds',
  dropRate: 'dropRatePercent',
  failNext: 'failNext',
  dropNext: 'dropNext',
};

const refusal = z.object({
  message: z.optional(z.string()),
  issues: z.optional(
    z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })),
  ),
});

export interface Refusal {
  /** The gateway's own summary ("bad fault settings"), shown when no field could be named. */
  message: string;
  errors: FieldErrors;
  /** Settings the gateway named that the form has no field for (e.g. `match`). */
  otherSettings: string[];
}

/** Reads a 400 answer of the gateway: which fields it refused and why. */
export function refusedFields(body: unknown): Refusal {
  const parsed = refusal.safeParse(body);
  const out: Refusal = { message: '', errors: {}, otherSettings: [] };
  if (!parsed.success) return out;
  out.message = parsed.data.message ?? '';
  for (const issue of parsed.data.issues ?? []) {
    const setting = String(issue.path[0] ?? '');
    const field = FIELD_OF_SETTING[setting];
    if (field) out.errors[field] ??= { kind: 'refused', message: issue.message };
    else if (setting && !out.otherSettings.includes(setting)) out.otherSettings.push(setting);
  }
  return out;
}
