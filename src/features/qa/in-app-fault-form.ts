/**
 * The in-app fault form: text fields to settings and back. Rates are shown as percentages; bounds
 * are the settings' own (qa-fault-settings.ts), checked by its schema so form and layer agree.
 */
import { IN_APP_LIMITS, type InAppFaults, inAppFaults } from '../../data/qa-fault-settings.ts';

export interface InAppFaultForm {
  offline: boolean;
  captivePortal: boolean;
  latencyMs: string;
  jitterMs: string;
  failRatePercent: string;
  failStatus: string;
  retryAfterSeconds: string;
  lostRatePercent: string;
  bytesPerSecond: string;
}
export type InAppFaultField = keyof InAppFaultForm;

/** A rate (0..1) as a percentage without float noise. */
function percent(rate: number): string {
  return String(Math.round(rate * 100_000) / 1000);
}

export function formOf(f: InAppFaults): InAppFaultForm {
  return {
    offline: f.offline,
    captivePortal: f.captivePortal,
    latencyMs: String(f.latencyMs),
    jitterMs: String(f.jitterMs),
    failRatePercent: percent(f.failRate),
    failStatus: String(f.failStatus),
    retryAfterSeconds: f.retryAfterSeconds === null ? '' : String(f.retryAfterSeconds),
    lostRatePercent: percent(f.lostRate),
    bytesPerSecond: String(f.bytesPerSecond),
  };
}

const FIELD_OF: Readonly<Record<keyof InAppFaults, InAppFaultField>> = {
  offline: 'offline',
  captivePortal: 'captivePortal',
  latencyMs: 'latencyMs',
  jitterMs: 'jitterMs',
  failRate: 'failRatePercent',
  failStatus: 'failStatus',
  retryAfterSeconds: 'retryAfterSeconds',
  lostRate: 'lostRatePercent',
  bytesPerSecond: 'bytesPerSecond',
};

export type ParsedInAppForm = { ok: true; faults: InAppFaults } | { ok: false; fields: InAppFaultField[] };

/** Every bad field at once; an empty number field is bad, an empty Retry-After means "none". */
export function parseInAppForm(form: InAppFaultForm): ParsedInAppForm {
  const num = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
  const rate = (text: string) => Math.round(num(text) * 1000) / 100_000;
  const candidate = {
    offline: form.offline,
    captivePortal: form.captivePortal,
    latencyMs: num(form.latencyMs),
    jitterMs: num(form.jitterMs),
    failRate: rate(form.failRatePercent),
    failStatus: num(form.failStatus),
    retryAfterSeconds: form.retryAfterSeconds.trim() === '' ? null : num(form.retryAfterSeconds),
    lostRate: rate(form.lostRatePercent),
    bytesPerSecond: num(form.bytesPerSecond),
  };
  const parsed = inAppFaults.safeParse(candidate);
  if (parsed.success) return { ok: true, faults: parsed.data };
  const fields = new Set<InAppFaultField>();
  for (const issue of parsed.error.issues) {
    const field = FIELD_OF[issue.path[0] as keyof InAppFaults];
    if (field) fields.add(field);
  }
  return { ok: false, fields: [...fields] };
}

type NumberField = Exclude<InAppFaultField, 'offline' | 'captivePortal'>;

/**
 * What a number field takes, as its error says it: a bare "not allowed" left QA guessing the
 * bounds. Whole numbers except the percentages; Retry-After may also be empty.
 */
export function rangeOf(field: NumberField): { min: number; max: number; whole: boolean } {
  const L = IN_APP_LIMITS;
  switch (field) {
    case 'latencyMs':
    case 'jitterMs':
      return { ...L.latencyMs, whole: true };
    case 'failRatePercent':
    case 'lostRatePercent':
      return { min: L.rate.min * 100, max: L.rate.max * 100, whole: false };
    case 'failStatus':
      return { ...L.status, whole: true };
    case 'retryAfterSeconds':
      return { ...L.retryAfterSeconds, whole: true };
    case 'bytesPerSecond':
      return { ...L.bytesPerSecond, whole: true };
  }
}
