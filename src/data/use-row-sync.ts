/** Where one row stands on its way to the server; undefined while the outbox loads. */
import type { EntityName } from '../../sync/protocol.ts';
import { type ItemSyncState, rowSyncStates } from './item-sync-state.ts';
import { useOutbox } from './use-outbox.ts';

export function useRowSync(entity: EntityName, key: string | null): ItemSyncState | undefined {
  const outbox = useOutbox();
  if (!outbox) return undefined;
  if (!key) return { kind: 'synced' };
  return rowSyncStates(outbox)(entity, { id: key });
}
