/**
 * The kiosk configuration as the screens see it: read once from localStorage, then changed only
 * through `setKioskConfig`, which persists first and then tells every subscriber (the app shell
 * switches between the patient app and the kiosk on it).
 */
import { useSyncExternalStore } from 'react';
import { clearKioskConfig, type KioskConfig, loadKioskConfig, saveKioskConfig } from './kiosk-config.ts';

let current: KioskConfig | null | undefined;
const listeners = new Set<() => void>();

function get(): KioskConfig | null {
  current ??= loadKioskConfig();
  return current;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** null leaves kiosk mode (the caller has wiped the device first). */
export function setKioskConfig(config: KioskConfig | null): void {
  if (config) saveKioskConfig(config);
  else clearKioskConfig();
  current = config;
  for (const l of listeners) l();
}

export function getKioskConfig(): KioskConfig | null {
  return get();
}

export function useKioskConfig(): KioskConfig | null {
  return useSyncExternalStore(subscribe, get, get);
}
