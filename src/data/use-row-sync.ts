/** Where one row stands on its way to the server; undefined while the outbox loads. */
import type { EntityName } from '../../sync/protocol.ts';
import { groupByRow, type ItemSyncState, itemSyncState } from './item-sync-state.ts';
import { useOutbox } from './use-outbox.ts';

export function useRowSync(entity: EntityName, key: string | null): ItemSyncState | undefined {
  const outbox = useOutbox();
  if (!outbox) return undefined;
  if (!key) return { kind: 'synced' };
  return itemSyncState(groupByRow(outbox).get(`${entity}:${key}`) ?? [], outbox);
}
