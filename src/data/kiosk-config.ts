/**
 * The kiosk's configuration: which clinic this device serves, the staff PIN's hash, the PIN lockout,
 * the idle time and the default language. Nothing personal about patients is here.
 *
 * Kept in localStorage, not IndexedDB: it is read synchronously before the first render, so a kiosk
 * never flashes the patient app (or its data) on a reload or an offline start; it survives app
 * updates because no database upgrade touches it; and it holds a few hundred bytes. The one
 * exception is the lockout, which must survive a reload too, so it is written here on every wrong PIN.
 */
import { z } from 'zod';
import { LANGUAGES } from '../../sync/entities.ts';
import { NO_LOCKOUT, type PinHash, type PinLockout } from './kiosk-pin.ts';

const KEY = 'consult.kiosk';

export const IDLE_SECONDS_DEFAULT = 90;
/** Below this a patient cannot read the form before it clears; above, the next person waits too long. */
export const IDLE_SECONDS_MIN = 15;
export const IDLE_SECONDS_MAX = 600;

const kioskConfig = z.object({
  clinicId: z.string().uuid(),
  clinicName: z.string(),
  staffUserId: z.string().uuid(),
  staffEmail: z.string(),
  pin: z.object({ salt: z.string(), hash: z.string(), iterations: z.number().int().positive() }),
  lockout: z.object({ failures: z.number().int().min(0), lockedUntil: z.number() }),
  idleSeconds: z.number().int().min(IDLE_SECONDS_MIN).max(IDLE_SECONDS_MAX),
  defaultLang: z.enum(LANGUAGES),
});
export type KioskConfig = z.infer<typeof kioskConfig>;

export function loadKioskConfig(storage: Storage | undefined = globalThis.localStorage): KioskConfig | null {
  try {
    const raw = storage?.getItem(KEY);
    if (!raw) return null;
    const parsed = kioskConfig.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveKioskConfig(
  config: KioskConfig,
  storage: Storage | undefined = globalThis.localStorage,
): void {
  storage?.setItem(KEY, JSON.stringify(kioskConfig.parse(config)));
}

export function clearKioskConfig(storage: Storage | undefined = globalThis.localStorage): void {
  storage?.removeItem(KEY);
}

export function newKioskConfig(input: {
  clinicId: string;
  clinicName: string;
  staffUserId: string;
  staffEmail: string;
  pin: PinHash;
  defaultLang: KioskConfig['defaultLang'];
}): KioskConfig {
  return { ...input, lockout: NO_LOCKOUT, idleSeconds: IDLE_SECONDS_DEFAULT };
}

export function withLockout(config: KioskConfig, lockout: PinLockout): KioskConfig {
  return { ...config, lockout };
}
