/**
 * The in-app fault settings as the service worker reads them. The worker has no localStorage, and
 * its Background Sync drains must go through the same faults as the page's, so the page copies its
 * settings here, into IndexedDB, on every change and on the first request after it starts
 * (`qa-mode.ts`). The page itself keeps reading localStorage: it checks QA mode synchronously on
 * every request and in the banner. Its own small database: no schema change to the app's, and a
 * patient's device, where QA mode was never on, never creates it.
 */
import { Dexie, type EntityTable } from 'dexie';

interface Setting {
  key: string;
  value: string;
}

class QaModeDb extends Dexie {
  settings!: EntityTable<Setting, 'key'>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ settings: '&key' });
  }
}

const FAULTS = 'inAppFaults';
export const QA_MODE_DB = 'consult-qa-mode';

let db: QaModeDb | null = null;
function qaModeDb(): QaModeDb {
  db ??= new QaModeDb(QA_MODE_DB);
  return db;
}

/** Stores the page's settings (JSON) for the worker, or clears them (null: QA mode off). */
export async function copyQaFaultsForWorker(json: string | null): Promise<void> {
  if (json === null) await qaModeDb().settings.delete(FAULTS);
  else await qaModeDb().settings.put({ key: FAULTS, value: json });
}

/**
 * What the worker's drain runs under: the settings as JSON, or null (QA mode off). Every Background
 * Sync drain asks, on every device: where QA mode never was on, the database is not created by asking.
 */
export async function readQaFaultsInWorker(): Promise<string | null> {
  if (!db && !(await Dexie.exists(QA_MODE_DB))) return null;
  return (await qaModeDb().settings.get(FAULTS))?.value ?? null;
}
