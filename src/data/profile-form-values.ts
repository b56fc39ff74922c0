/**
 * The profile form's values (strings, as inputs hold them) and the row candidate they become. The
 * rules themselves are not here: the candidate is checked by the entity schema, shared with the server.
 */
import type { Patient } from '../../sync/entities.ts';
import type { Lang } from '../i18n/translate.ts';

export const PROFILE_FIELDS = [
  'full_name',
  'date_of_birth',
  'sex',
  'phone',
  'address',
  'preferred_language',
  'emergency_contact_name',
  'emergency_contact_phone',
] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];
export type ProfileFormValues = Record<ProfileField, string>;

export function initialValues(patient: Patient | null, lang: Lang): ProfileFormValues {
  return {
    full_name: patient?.full_name ?? '',
    date_of_birth: patient?.date_of_birth ?? '',
    sex: patient?.sex ?? '',
    phone: patient?.phone ?? '',
    address: patient?.address ?? '',
    preferred_language: patient?.preferred_language ?? lang,
    emergency_contact_name: patient?.emergency_contact_name ?? '',
    emergency_contact_phone: patient?.emergency_contact_phone ?? '',
  };
}

/** Empty optional text is "not given" (null), not an empty string the server would store. */
function optional(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** The schema says spaces and dashes are stripped before a phone number is checked. */
export function normalisePhone(value: string): string | null {
  const stripped = value.replace(/[\s-]/g, '');
  return stripped === '' ? null : stripped;
}

/**
 * The row to validate and write: the existing patient's server-set fields are kept (owner, version),
 * the form's fields replace theirs. Empty required fields become undefined so the schema says
 * "required" rather than "wrong format".
 */
export function toCandidate(
  values: ProfileFormValues,
  existing: Patient | null,
  newId: () => string,
): unknown {
  return {
    ...(existing ?? {}),
    id: existing?.id ?? newId(),
    full_name: values.full_name,
    date_of_birth: values.date_of_birth === '' ? undefined : values.date_of_birth,
    sex: values.sex === '' ? undefined : values.sex,
    phone: normalisePhone(values.phone),
    address: optional(values.address),
    preferred_language: values.preferred_language,
    emergency_contact_name: optional(values.emergency_contact_name),
    emergency_contact_phone: normalisePhone(values.emergency_contact_phone),
  };
}

export function isDirty(values: ProfileFormValues, initial: ProfileFormValues): boolean {
  return PROFILE_FIELDS.some((f) => values[f] !== initial[f]);
}
