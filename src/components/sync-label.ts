/** The words for where an appointment stands ("saved on this phone…", "sending", "booked", "needs attention: …"). */

import type { MutationError } from '../../sync/local-mutation.ts';
import type { ItemSyncState } from '../data/item-sync-state.ts';
import type { Translate } from '../i18n/i18n-provider.tsx';

export function rejectReason(error: MutationError | null, t: Translate): string {
  if (!error) return t('sync.blocked');
  return t(`reject.${error.code}`, { message: error.message });
}

/** `synced` names the done state: "booked" for an appointment, "sent" for a profile. */
export function syncLabel(
  state: ItemSyncState,
  t: Translate,
  synced: 'sync.booked' | 'sync.sent' = 'sync.booked',
): string {
  switch (state.kind) {
    case 'synced':
      return t(synced);
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
