/**
 * Where the sync log lives on the device: its own small IndexedDB database, apart from the app's
 * (no schema change there, and clearing the log never touches a patient's data).
 */
import { Dexie, type EntityTable } from 'dexie';
import type { DrainLogEntry } from './qa-sync-log.ts';

/** The drains kept: the "last 200". */
export const SYNC_LOG_SIZE = 200;

export type StoredDrain = DrainLogEntry & { n?: number };

export class SyncLogDb extends Dexie {
  drains!: EntityTable<StoredDrain, 'n'>;
  constructor(name = 'consult-qa-sync-log') {
    super(name);
    this.version(1).stores({ drains: '++n' });
  }

  async add(entry: DrainLogEntry): Promise<void> {
    await this.transaction('rw', this.drains, async () => {
      await this.drains.add(entry);
      const extra = (await this.drains.count()) - SYNC_LOG_SIZE;
      if (extra > 0) await this.drains.orderBy('n').limit(extra).delete();
    });
  }

  /** Newest first. */
  async list(): Promise<DrainLogEntry[]> {
    const rows = await this.drains.orderBy('n').reverse().toArray();
    return rows.map(({ n: _n, ...entry }) => entry);
  }

  clearAll(): Promise<void> {
    return this.drains.clear();
  }
}
