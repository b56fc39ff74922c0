import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../testing/memory-storage.ts';
import { type KioskConfig, loadKioskConfig, newKioskConfig, saveKioskConfig } from './kiosk-config.ts';
import { FREE_TRIES, hashPin, lockDuration, lockRemaining } from './kiosk-pin.ts';
import { guardedPinCheck } from './kiosk-pin-guard.ts';

async function kiosk(): Promise<{ storage: Storage; config: KioskConfig }> {
  const config = newKioskConfig({
    clinicId: '0b6f6f0e-3c1a-4d35-9a57-6f7e0c1d2a11',
    clinicName: 'Sunrise Clinic',
    staffUserId: '5d1e7c3a-9b2f-4e8d-a6c4-2f3b1a0e9d77',
    staffEmail: 'staff@example.org',
    pin: await hashPin('482913', 1_000),
    defaultLang: 'en',
  });
  const storage = memoryStorage();
  saveKioskConfig(config, storage);
  return { storage, config };
}

const NOW = 1_800_000_000_000;
const now = () => NOW;

describe('a PIN checked against the lockout as saved', () => {
  it('a second tab that read the configuration before the lock is locked too, and cannot reset the count', async () => {
    const { storage, config: readByTabB } = await kiosk();
    // Tab A makes the wrong entries that lock staff mode.
    let tabA = readByTabB;
    for (let i = 0; i < FREE_TRIES; i++) tabA = (await guardedPinCheck('000000', tabA, now, storage)).config;
    expect(tabA.lockout.lockedUntil).toBeGreaterThan(NOW);
    // Tab B still holds the configuration it read at its start (no failures).
    const out = await guardedPinCheck('111111', readByTabB, now, storage);
    expect(out.result).toBe('locked');
    expect(loadKioskConfig(storage)?.lockout).toEqual(tabA.lockout);
  });

  it('entries checked at once each count: the lock comes after the free tries, not later', async () => {
    const { storage, config } = await kiosk();
    const results = await Promise.all(
      Array.from({ length: FREE_TRIES + 2 }, (_, i) => guardedPinCheck(`90000${i}`, config, now, storage)),
    );
    expect(results.filter((r) => r.result === 'wrong')).toHaveLength(FREE_TRIES);
    expect(results.filter((r) => r.result === 'locked')).toHaveLength(2);
    expect(loadKioskConfig(storage)?.lockout.failures).toBe(FREE_TRIES);
  });

  it('a right PIN opens and clears the count; a wrong one is counted even before its answer', async () => {
    const { storage, config } = await kiosk();
    const pending = guardedPinCheck('123456', config, now, storage);
    expect(loadKioskConfig(storage)?.lockout.failures).toBe(1);
    expect((await pending).result).toBe('wrong');
    const ok = await guardedPinCheck('482913', config, now, storage);
    expect(ok.result).toBe('ok');
    expect(loadKioskConfig(storage)?.lockout).toEqual({ failures: 0, lockedUntil: 0 });
  });

  it('a clock set back does not lengthen a lock: it counts down from the check, as long as it was', async () => {
    const { storage, config } = await kiosk();
    let tab = config;
    for (let i = 0; i < FREE_TRIES; i++) tab = (await guardedPinCheck('000000', tab, now, storage)).config;
    const weekBack = NOW - 7 * 86_400_000;
    const locked = await guardedPinCheck('482913', tab, () => weekBack, storage);
    expect(locked.result).toBe('locked');
    expect(lockRemaining(locked.config.lockout, weekBack)).toBe(lockDuration(FREE_TRIES));
    const after = weekBack + lockDuration(FREE_TRIES);
    expect((await guardedPinCheck('482913', tab, () => after, storage)).result).toBe('ok');
  });

  it('follows the timeline of wrong and right entries: three slips, then locks that double', async () => {
    const { storage, config } = await kiosk();
    let at = NOW;
    const attempt = async (pin: string) => (await guardedPinCheck(pin, config, () => at, storage)).result;
    const remaining = () => lockRemaining(loadKioskConfig(storage)?.lockout ?? config.lockout, at);

    expect(await attempt('000000')).toBe('wrong');
    expect(await attempt('000000')).toBe('wrong');
    expect(await attempt('000000')).toBe('wrong');
    expect(remaining()).toBe(30_000);
    // While locked even the right PIN is refused, and the refusal does not extend the lock.
    expect(await attempt('482913')).toBe('locked');
    at += 29_999;
    expect(await attempt('482913')).toBe('locked');
    at += 1;
    expect(await attempt('111111')).toBe('wrong');
    expect(remaining()).toBe(60_000);
    at += 60_000;
    expect(await attempt('482913')).toBe('ok');
    expect(remaining()).toBe(0);
    expect(loadKioskConfig(storage)?.lockout.failures).toBe(0);
  });
});
