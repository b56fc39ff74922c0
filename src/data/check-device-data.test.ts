import { describe, expect, it } from 'vitest';
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

  it('recognises Dexie’s error for a database from a newer version', () => {
    expect(isNewerDatabaseError(Object.assign(new Error('x'), { name: 'VersionError' }))).toBe(true);
    expect(isNewerDatabaseError(new Error('x'))).toBe(false);
    expect(isNewerDatabaseError(null)).toBe(false);
  });
});
