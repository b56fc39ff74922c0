/**
 * A PIN entry checked against the lockout as saved, not as a screen last read it. Each tab reads the
 * kiosk configuration once, so a second tab (or one opened before the lock) held a lockout of no
 * failures and tried PINs freely, then wrote its own count over the locked one. And a wrong entry
 * was counted only after the slow hash (~300 ms): tabs checking at once each counted from the same
 * number. Here the lockout is read from storage at the moment of the check, and the entry is counted
 * as wrong before the hash is computed; only a right PIN clears the count. A lock is never longer
 * than its length from the moment of the check, whatever the clock did (kiosk-pin.ts).
 */
import { type KioskConfig, loadKioskConfig, saveKioskConfig, withLockout } from './kiosk-config.ts';
import {
  afterWrongPin,
  lockRemaining,
  NO_LOCKOUT,
  type PinCheck,
  verifyPin,
  withinLockLength,
} from './kiosk-pin.ts';

export interface GuardedCheck {
  result: PinCheck;
  /** The configuration as saved after the check: what the screens should show. */
  config: KioskConfig;
}

/**
 * `fallback` is the caller's configuration, used only when storage has none to read (a test's
 * storage, or one that refuses): the check is then made against it as before.
 */
export async function guardedPinCheck(
  pin: string,
  fallback: KioskConfig,
  now: () => number,
  storage: Storage | undefined = globalThis.localStorage,
): Promise<GuardedCheck> {
  const read = loadKioskConfig(storage) ?? fallback;
  // A lock whose end lies beyond its length (the clock went back) counts down from now instead.
  const saved = withLockout(read, withinLockLength(read.lockout, now()));
  if (lockRemaining(saved.lockout, now()) > 0) {
    if (saved.lockout !== read.lockout) saveKioskConfig(saved, storage);
    return { result: 'locked', config: saved };
  }
  // Counted before the hash: another tab checking meanwhile sees this entry, and closing the page
  // while the hash runs does not take it back.
  const counted = withLockout(saved, afterWrongPin(saved.lockout, now()));
  saveKioskConfig(counted, storage);
  if (!(await verifyPin(pin, saved.pin))) return { result: 'wrong', config: counted };
  // Whatever other tabs counted while this one hashed, a right PIN is what the lockout waits for.
  const opened = withLockout(loadKioskConfig(storage) ?? counted, NO_LOCKOUT);
  saveKioskConfig(opened, storage);
  return { result: 'ok', config: opened };
}
