/**
 * Whether this device is a clinic kiosk, for code that cannot read the kiosk configuration: the
 * service worker has no localStorage (src/data/kiosk-config.ts). A kiosk's own database exists from
 * its setup (the staff PIN's key pair is stored there before the configuration is saved) until it
 * leaves kiosk mode, which deletes it whole (src/data/kiosk-db.ts). Kept apart from kiosk-db.ts so
 * that the worker's own bundle does not take Dexie with the name.
 */
export const KIOSK_DB_NAME = 'consult-kiosk';

/** Whether the kiosk's database exists on this origin (false where the browser cannot list them). */
export async function hasKioskDatabase(
  factory: IDBFactory | undefined = globalThis.indexedDB,
): Promise<boolean> {
  const databases = (await factory?.databases?.().catch(() => [])) ?? [];
  return databases.some((d) => d.name === KIOSK_DB_NAME);
}
