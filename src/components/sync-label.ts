/**
 * Where the patient's own change is: on this phone, on its way, at the clinic, or refused ("needs
 * attention: …"). Never what the clinic decided: that is `appointment-status.ts`.
 */

import type { MutationError } from '../../sync/local-mutation.ts';
import type { EntityName } from '../../sync/protocol.ts';
import type { ItemSyncState } from '../data/item-sync-state.ts';
import { MADE_BY_ANOTHER_ACCOUNT } from '../data/own-writes.ts';
import type { Translate } from '../i18n/i18n-provider.tsx';
import type { MessageKey } from '../i18n/messages-en.ts';

/**
 * The label of the form field a refusal names (the server's column), as the form shows it: the
 * user finds what to fix by the words on the screen. Columns no form shows (ids, protocol fields)
 * have none; the refusal is then told by its kind alone.
 */
const FIELD_LABELS: Readonly<Record<string, MessageKey>> = {
  full_name: 'profile.fullName',
  date_of_birth: 'profile.dateOfBirth',
  sex: 'profile.sex',
  phone: 'profile.phone',
  address: 'profile.address',
  preferred_language: 'profile.preferredLanguage',
  emergency_contact_name: 'profile.emergencyName',
  emergency_contact_phone: 'profile.emergencyPhone',
  reason: 'booking.review.reason',
  mode: 'booking.review.mode',
  requested_specialty: 'booking.review.specialty',
  preferred_date: 'request.review.day',
  preferred_window: 'request.review.window',
};

/**
 * Why the server refused a change, in the user's language. The server's own message is English and
 * written for developers (ids, column names, states): it stays in the QA screen and the logs, never
 * in a sentence the patient reads. What it adds that the user needs is taken from its structured
 * part instead: the field to fix, that the clinic moved the time (a conflict on `starts_at`), or
 * that the account already has a profile (a conflict on a patient, where the caller says so).
 */
export function rejectReason(error: MutationError | null, t: Translate, entity?: EntityName): string {
  if (!error) return t('sync.blocked');
  // A profile's only conflict: the account holds another one on the server (patients_user_id_key).
  if (error.code === 'conflict' && entity === 'patients') return t('reject.profileExists');
  if (error.code === 'validation') {
    // Own keys only: a field named `constructor` (a damaged record) is no label.
    const label =
      error.field && Object.hasOwn(FIELD_LABELS, error.field) ? FIELD_LABELS[error.field] : undefined;
    return label ? t('reject.validationField', { field: t(label) }) : t('reject.validation');
  }
  if (error.code === 'conflict' && error.field === 'starts_at') return t('reject.timeChanged');
  // Answered on this phone, not by the server: the write is another account's (own-writes.ts).
  if (error.code === 'forbidden' && error.message === MADE_BY_ANOTHER_ACCOUNT)
    return t('reject.otherAccount');
  return t(`reject.${error.code}`);
}

/** `entity`: what the item is, where its refusal reads differently (a profile's conflict). */
export function syncLabel(state: ItemSyncState, t: Translate, entity?: EntityName): string {
  switch (state.kind) {
    case 'synced':
      return t('sync.sent');
    case 'saved':
      return t('sync.saved');
    case 'sending':
      return t('sync.sending');
    case 'attention':
      return t('sync.attention', { reason: rejectReason(state.error, t, entity) });
    default:
      return unreachable(state);
  }
}

function unreachable(x: never): never {
  throw new Error(`unknown sync state ${JSON.stringify(x)}`);
}
