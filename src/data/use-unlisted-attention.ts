/**
 * The counted entries My appointments shows no row for (`unlisted-attention.ts`), live. Read from the
 * outbox's state index, as the header's count is, so the two never disagree; undefined while
 * loading, or until the screen knows which rows it lists.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useServices } from './services-context.tsx';
import {
  ATTENTION_STATES,
  type ListedRows,
  type UnlistedAttention,
  unlistedAttention,
} from './unlisted-attention.ts';

export function useUnlistedAttention(rows: ListedRows | undefined): UnlistedAttention[] | undefined {
  const { db } = useServices();
  const records = useLiveQuery(
    // Records as stored: one that no longer reads as an entry is counted, so it is listed too.
    () =>
      db.outbox
        .where('state')
        .anyOf([...ATTENTION_STATES])
        .toArray() as Promise<unknown[]>,
    [db],
  );
  if (!records || !rows) return undefined;
  return unlistedAttention(records, rows);
}
