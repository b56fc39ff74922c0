import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ConsultDb } from '../../sync/stores/dexie-db.ts';
import { DexieStore } from '../../sync/stores/dexie-store.ts';
import { MemoryStore } from '../../sync/testing/memory-store.ts';
import { checkDeviceData, isNewerDatabaseError } from './check-device-data.ts';

describe('checkDeviceData', () => {
  it('sets aside unreadable rows and outbox records, and counts them', async () => {
    const store = new MemoryStore();
    store.memory.plant('patients', { id: '0b7c0f3e-4a8e-4d0b-9a55-0d1e2f3a4b5c', full_name: 42 });
    store.memory.plant('outbox', { id: 'garbage', seq: 7 });
    expect(await checkDeviceData(store)).toEqual({ quarantined: 2 });
    expect(await store.listRows('patients')).toEqual([]);
    expect(await checkDeviceData(store)).toEqual({ quarantined: 0 });
  });

  it('sets aside, once, records IndexedDB keeps under a key that is not text', async () => {
    const db = new ConsultDb(`check-keys-${crypto.randomUUID()}`);
    try {
      // Written behind the app's back (another version, a hand edit): a number and an array as ids.
      await db.table('patients').put({ id: 7, full_name: 'Seven' });
      await db.table('outbox').put({ id: ['m', 1], seq: 3, state: 'pending' });
      const store = new DexieStore(db);
      expect(await checkDeviceData(store)).toEqual({ quarantined: 2 });
      // Removed, not quarantined again at every read.
      expect(await checkDeviceData(store)).toEqual({ quarantined: 0 });
      expect(await db.table('patients').count()).toBe(0);
      expect(await db.table('outbox').count()).toBe(0);
    } finally {
      db.close();
    }
  });

  it('recognises Dexie’s error for a database from a newer version', () => {
    expect(isNewerDatabaseError(Object.assign(new Error('x'), { name: 'VersionError' }))).toBe(true);
    expect(isNewerDatabaseError(new Error('x'))).toBe(false);
    expect(isNewerDatabaseError(null)).toBe(false);
  });
});
