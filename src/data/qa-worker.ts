/**
 * QA mode in the service worker: its Background Sync drains go through the same in-app faults as
 * the page's (read from the worker's copy of the settings, `qa-fault-mirror.ts`) and are written to
 * the same sync log, as started by `background-sync`. A worker may not `import()`, so this module
 * and what it needs are imported statically by `src/sw-drain.ts`: the page's first screen still
 * loads none of it (the worker's entry is not the page's).
 */
import { faultFetch } from './qa-fault-fetch.ts';
import { readQaFaultsInWorker } from './qa-fault-mirror.ts';
import { BACKGROUND_SYNC_TRIGGER, type DrainLogEntry, SyncLogRecorder, syncLogDb } from './qa-sync-log.ts';
import { lazySyncLog, type SyncLogHook } from './qa-sync-log-hook.ts';

type Fetch = typeof globalThis.fetch;

export interface WorkerQa {
  /** The worker's fetch, under the in-app faults while QA mode is on. */
  fetch: Fetch;
  syncLog: SyncLogHook;
  /** Waits until the drain's log entry is stored: the browser may stop the worker right after. */
  flush(): Promise<void>;
}

export interface WorkerQaDeps {
  readFaults?: () => Promise<string | null>;
  save?: (entry: DrainLogEntry) => Promise<void>;
}

export async function workerQa(base: Fetch, deps: WorkerQaDeps = {}): Promise<WorkerQa> {
  const readFaults = deps.readFaults ?? readQaFaultsInWorker;
  const save = deps.save ?? ((entry: DrainLogEntry) => syncLogDb().add(entry));
  // An unreadable copy is QA mode off: the drain must still run.
  const faults = await readFaults().catch(() => null);
  const saving: Promise<void>[] = [];
  const recorder = new SyncLogRecorder((entry) => {
    saving.push(save(entry).catch((e: unknown) => console.warn('sync log: could not save a drain', e)));
  });
  const hook = lazySyncLog(async () => recorder);
  return {
    // The settings are those of the drain's start: a drain is short, and the worker has no page to
    // tell it of a change (the next sync event reads them again).
    fetch: faults === null ? base : faultFetch(base, () => faults),
    syncLog: {
      observer: {
        drainStarted: (info) => hook.observer.drainStarted({ ...info, trigger: BACKGROUND_SYNC_TRIGGER }),
        drainEnded: (report) => hook.observer.drainEnded(report),
      },
      wrap: hook.wrap,
    },
    flush: async () => {
      // The recorder hears of the first events once the hook's (here immediate) load has resolved.
      await new Promise((resolve) => setTimeout(resolve, 0));
      await Promise.all(saving);
    },
  };
}
