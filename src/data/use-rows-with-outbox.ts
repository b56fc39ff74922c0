/**
 * A table's rows and the outbox, read in one transaction. The store writes a row and its outbox
 * entry in one transaction; read by two live queries instead, the new row can arrive before its
 * entry, and a profile saved offline is shown "Sent to the clinic" for a moment before "Saved on
 * this phone". One read sees both or neither.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import type { z } from 'zod/mini';
import { type LocalMutation, localMutation } from '../../sync/local-mutation.ts';
import { parseStored } from '../../sync/stored-row.ts';
import { parseRows } from './reference-rows.ts';
import { useServices } from './services-context.tsx';

export interface RowsWithOutbox<T> {
  rows: T[];
  outbox: LocalMutation[];
}

/** undefined while loading. `schema` must be a module constant (it is a dependency of the query). */
export function useRowsWithOutbox<T>(
  table: 'patients' | 'appointments',
  schema: z.ZodMiniType<T>,
): RowsWithOutbox<T> | undefined {
  const { db } = useServices();
  return useLiveQuery(
    () =>
      db.transaction('r', [db[table], db.outbox], async () => ({
        // Read as stored: a row an older release kept by older rules is still shown (stored-row.ts).
        rows: (await db[table].toArray()).flatMap((r) => {
          const row = parseStored(schema, r);
          return row === undefined ? [] : [row];
        }),
        outbox: parseRows(localMutation, await db.outbox.orderBy('seq').toArray()),
      })),
    [db, table, schema],
  );
}
