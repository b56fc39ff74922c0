import { describe, expect, it } from 'vitest';
import { KioskDb } from './kiosk-db.ts';

function openRaw(name: string, version: number): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, version);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function deleteRaw(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}

describe("the kiosk's database in a tab of an older release", () => {
  it('closes for a newer version opened elsewhere, and says so, so the tab is told to reload', async () => {
    const name = `kiosk-db-upgrade-${Math.random()}`;
    let told = 0;
    const db = new KioskDb(name, () => told++);
    await db.keys.count();
    // A newer release's tab opens version 3 (Dexie stores version × 10): it is not blocked.
    const newer = await openRaw(name, 30);
    expect(told).toBe(1);
    expect(db.isOpen()).toBe(false);
    newer.close();
  });

  it('is not "updated" when the database is deleted (leaving kiosk mode in another tab)', async () => {
    const name = `kiosk-db-delete-${Math.random()}`;
    let told = 0;
    const db = new KioskDb(name, () => told++);
    await db.keys.count();
    await deleteRaw(name);
    expect(told).toBe(0);
    expect(db.isOpen()).toBe(false);
  });
});
