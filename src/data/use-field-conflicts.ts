/**
 * The field conflicts the device keeps for one row (sync/stores/sync-store.ts `ConflictNotice`):
 * edits of this device the server did not apply because another write changed the field first.
 * Live, so a notice appears when the answer arrives and goes when dismissed or edited again.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import type { EntityName } from '../../sync/protocol.ts';
import type { ConflictNotice } from '../../sync/stores/sync-store.ts';
import { conflictNotice } from '../../sync/stores/tx-reader.ts';
import { useServices } from './services-context.tsx';

const NONE: readonly ConflictNotice[] = [];

/**
 * The notices that can be shown. The table is read directly (below), not through the store's
 * parser, so a record an older version, a bug or a hand edit left without both values ("your
 * change to (empty) … to (empty)") or with another shape is left out rather than shown as
 * nonsense; editing the field again removes it, as it removes any notice of that field.
 */
export function readableConflicts(raws: readonly unknown[]): ConflictNotice[] {
  return raws.flatMap((raw) => {
    const parsed = conflictNotice.safeParse(raw);
    if (!parsed.success) return [];
    const record = raw as Record<string, unknown>;
    return 'yours' in record && 'theirs' in record ? [parsed.data] : [];
  });
}

export function useFieldConflicts(entity: EntityName, key: string | null): readonly ConflictNotice[] {
  const { db } = useServices();
  // A read of the table itself: a live query may not open the store's read-write transaction.
  return (
    useLiveQuery(
      async () =>
        key === null
          ? NONE
          : readableConflicts(await db.conflicts.where('[entity+key]').equals([entity, key]).toArray()),
      [db, entity, key],
    ) ?? NONE
  );
}

export function dismissConflict(
  store: { dismissConflict(entity: EntityName, key: string, field: string): Promise<void> },
  c: ConflictNotice,
): Promise<void> {
  return store.dismissConflict(c.entity, c.key, c.field);
}
