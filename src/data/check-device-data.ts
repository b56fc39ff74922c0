/**
 * At start-up, read everything on the device once through the store, which validates each record
 * and sets aside (quarantines) what it cannot read — rows left by an older version or a bug — so the
 * screens only ever see valid rows and QA finds the rest under Testing tools. A database written by
 * a newer version of the app cannot be opened at all: that is reported, never a blank screen.
 */
import { ALL_TABLES, type SyncStore } from '../../sync/stores/sync-store.ts';

export interface DeviceDataCheck {
  /** Records set aside by this check. */
  quarantined: number;
}

export async function checkDeviceData(store: SyncStore): Promise<DeviceDataCheck> {
  const before = (await store.listQuarantine()).length;
  await store.listOutbox();
  for (const table of ALL_TABLES) await store.listRows(table);
  return { quarantined: (await store.listQuarantine()).length - before };
}

/** Dexie's name for "the database on disk is newer than this code". */
export function isNewerDatabaseError(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'VersionError';
}
