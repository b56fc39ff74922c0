/**
 * The store's quarantine (records it set aside as unreadable), reloaded whenever the store reports
 * anything: a record is quarantined while the store reads, which it reports as an event.
 */
import { useEffect, useState } from 'react';
import type { QuarantineEntry } from '../../../sync/stores/sync-store.ts';
import { useServices } from '../../data/services-context.tsx';

export function useQuarantine(): QuarantineEntry[] | undefined {
  const { store } = useServices();
  const [entries, setEntries] = useState<QuarantineEntry[] | undefined>(undefined);
  useEffect(() => {
    let live = true;
    const load = () => {
      store.listQuarantine().then(
        (list) => {
          if (live) setEntries(list);
        },
        () => undefined,
      );
    };
    load();
    const unsubscribe = store.subscribe(load);
    return () => {
      live = false;
      unsubscribe();
    };
  }, [store]);
  return entries;
}
