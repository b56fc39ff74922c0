/**
 * The kiosk configuration as the screens see it: read once from localStorage, then changed only
 * through `setKioskConfig`, which persists first and then tells every subscriber (the app shell
 * switches between the patient app and the kiosk on it).
 */
import { useSyncExternalStore } from 'react';
import {
  clearKioskConfig,
  KIOSK_CONFIG_KEY,
  type KioskConfig,
  kioskConfigUnreadable,
  loadKioskConfig,
  saveKioskConfig,
} from './kiosk-config.ts';
import { hasKioskDatabase } from './kiosk-device.ts';

let current: KioskConfig | null | undefined;
let unreadable: boolean | undefined;
const listeners = new Set<() => void>();

function get(): KioskConfig | null {
  current ??= loadKioskConfig();
  return current;
}

/*
 * Another tab of this kiosk changed the configuration (a wrong PIN's lockout, leaving kiosk mode):
 * this tab reads it again, or it would show and use what it read at its start.
 */
function onStorage(e: StorageEvent): void {
  if (e.key !== null && e.key !== KIOSK_CONFIG_KEY) return;
  void kioskConfigChangedElsewhere();
}

function tell(): void {
  for (const l of listeners) l();
}

/**
 * Reads the configuration again after another tab changed it. A kiosk whose configuration went away
 * stays a kiosk (unreadable: only "set it up again") until its database is known to be gone too:
 * leaving kiosk mode deletes the database first, but localStorage.clear() in another tab does not,
 * and this tab would have opened the patient app under the staff session.
 */
export async function kioskConfigChangedElsewhere(
  has: () => Promise<boolean> = hasKioskDatabase,
): Promise<void> {
  const wasKiosk = current != null || unreadable === true;
  current = loadKioskConfig();
  unreadable = kioskConfigUnreadable() || (wasKiosk && current === null);
  tell();
  if (!wasKiosk || current !== null || kioskConfigUnreadable()) return;
  const stillKiosk = await has().catch(() => true);
  if (stillKiosk || loadKioskConfig() !== null) return;
  unreadable = false;
  tell();
}

/** Told when the configuration, or whether it can be read, changes. */
export function subscribeKioskConfig(listener: () => void): () => void {
  return subscribe(listener);
}

function subscribe(listener: () => void): () => void {
  if (listeners.size === 0) globalThis.addEventListener?.('storage', onStorage);
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) globalThis.removeEventListener?.('storage', onStorage);
  };
}

/** null leaves kiosk mode (the caller has wiped the device first). */
export function setKioskConfig(config: KioskConfig | null): void {
  if (config) saveKioskConfig(config);
  else clearKioskConfig();
  current = config;
  unreadable = false;
  for (const l of listeners) l();
}

export function getKioskConfig(): KioskConfig | null {
  return get();
}

/**
 * A kiosk whose localStorage alone was cleared (devtools, a storage-cleaning app, a quota eviction
 * of one store) lost its configuration, but not its database, nor the staff session kept in
 * IndexedDB (auth-storage.ts): it opened the patient app signed in as the clinic's staff, whose
 * pulls carry the clinic's patients and appointments. The kiosk's database says it is still a
 * kiosk; its configuration is unreadable, so the tablet shows only the way to set it up again.
 * Asynchronous (IndexedDB lists its databases only so): the app checks it as it starts, and the
 * patient app's sync does not start before its first second has passed.
 */
export async function checkKioskDatabase(has: () => Promise<boolean> = hasKioskDatabase): Promise<void> {
  if (get() !== null || getUnreadable()) return;
  const kiosk = await has().catch(() => false);
  // Set up meanwhile (the setup stores the database first, then the configuration): not lost.
  if (!kiosk || get() !== null || loadKioskConfig() !== null) return;
  unreadable = true;
  tell();
}

function getUnreadable(): boolean {
  unreadable ??= kioskConfigUnreadable();
  return unreadable;
}

/** A kiosk whose configuration cannot be read (kiosk-config.ts): still a kiosk, never the patient app. */
export function isKioskConfigUnreadable(): boolean {
  return getUnreadable();
}

/** Whether the device is a kiosk, readable or not: its sync goes the kiosk's way either way. */
export function isKioskDevice(): boolean {
  return get() !== null || getUnreadable();
}

export function useKioskConfigUnreadable(): boolean {
  return useSyncExternalStore(subscribe, getUnreadable, getUnreadable);
}

export function useKioskConfig(): KioskConfig | null {
  return useSyncExternalStore(subscribe, get, get);
}
