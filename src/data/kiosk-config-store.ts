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
  current = loadKioskConfig();
  unreadable = kioskConfigUnreadable();
  for (const l of listeners) l();
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
