/** The outbox as the screens see it, live across tabs; undefined while loading. */
import { useLiveQuery } from 'dexie-react-hooks';
import { type LocalMutation, localMutation } from '../../sync/local-mutation.ts';
import { parseRows } from './reference-rows.ts';
import { useServices } from './services-context.tsx';

export function useOutbox(): LocalMutation[] | undefined {
  const { db } = useServices();
  return useLiveQuery(async () => parseRows(localMutation, await db.outbox.orderBy('seq').toArray()), [db]);
}
