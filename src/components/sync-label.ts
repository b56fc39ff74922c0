/**
 * Where the patient's own change is: on this phone, on its way, at the clinic, or refused ("needs
 * attention: …"). Never what the clinic decided: that is `appointment-status.ts`.
 */

import type { MutationError } from '../../sync/local-mutation.ts';
import type { ItemSyncState } from '../data/item-sync-state.ts';
import type { Translate } from '../i18n/i18n-provider.tsx';

export function rejectReason(error: MutationError | null, t: Translate): string {
  if (!error) return t('sync.blocked');
  return t(`reject.${error.code}`, { message: error.message });
}

export function syncLabel(state: ItemSyncState, t: Translate): string {
  switch (state.kind) {
    case 'synced':
      return t('sync.sent');
    case 'saved':
      return t('sync.saved');
    case 'sending':
      return t('sync.sending');
    case 'attention':
      return t('sync.attention', { reason: rejectReason(state.error, t) });
    default:
      return unreachable(state);
  }
}

function unreachable(x: never): never {
  throw new Error(`unknown sync state ${JSON.stringify(x)}`);
}
