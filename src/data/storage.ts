/** Browser storage: how much the app uses, and asking the browser not to evict it. */

export interface StorageReport {
  usage: number | null;
  quota: number | null;
  persisted: boolean | null;
}

export async function storageReport(): Promise<StorageReport> {
  const storage = globalThis.navigator?.storage;
  if (!storage?.estimate) return { usage: null, quota: null, persisted: null };
  const [estimate, persisted] = await Promise.all([
    storage.estimate(),
    storage.persisted ? storage.persisted() : Promise.resolve(null),
  ]);
  return { usage: estimate.usage ?? null, quota: estimate.quota ?? null, persisted };
}

/**
 * Asks once the patient has something worth keeping (the first save): a phone low on space would
 * otherwise be free to delete unsent bookings. Chromium grants it silently to installed apps; a
 * refusal changes nothing else.
 */
export async function requestPersistentStorage(): Promise<boolean> {
  const storage = globalThis.navigator?.storage;
  if (!storage?.persist) return false;
  try {
    if (storage.persisted && (await storage.persisted())) return true;
    return await storage.persist();
  } catch {
    return false;
  }
}
