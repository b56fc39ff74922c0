import { describe, expect, it } from 'vitest';
import { dayVault, type SealedDay } from './kiosk-day-vault.ts';
import { KioskDb } from './kiosk-db.ts';
import { patientIndex } from './kiosk-index.ts';

/** Few iterations: the tests check what is sealed and who opens it, not the PBKDF2 cost. */
const FAST = 1_000;
const CLINIC = '00000000-0000-4000-8000-00000000c001';
const DAY: SealedDay = {
  clinicId: CLINIC,
  day: '2026-12-01',
  loadedAt: '2026-12-01T05:00:00.000Z',
  items: [
    {
      id: '00000000-0000-4000-8000-0000000000b1',
      doctorId: null,
      startsAt: '2026-12-01T08:00:00Z',
      status: 'confirmed',
      mode: 'in_person',
      patientName: 'Ashalata Kumari',
      row: null,
    },
  ],
};

async function stored(db: KioskDb): Promise<string> {
  return JSON.stringify(await db.sealed.toArray());
}

describe("today's list sealed under the PIN", () => {
  it('opens with the same PIN, for the same clinic and day, and keeps nothing readable', async () => {
    const db = new KioskDb('vault-same-pin');
    const vault = dayVault(db, FAST);
    const key = await vault.keyFor('482913');
    if (!key) throw new Error('no key');
    await vault.save(key, DAY);
    expect(await stored(db)).not.toContain('Ashalata');
    // Unlocked again later: the same PIN derives the same key from the kept salt.
    const again = await dayVault(new KioskDb('vault-same-pin'), FAST).keyFor('482913');
    if (!again) throw new Error('no key');
    expect(await vault.open(again, CLINIC, '2026-12-01')).toEqual(DAY);
    expect(await vault.open(again, CLINIC, '2026-12-02')).toBeNull();
    expect(await vault.open(again, '00000000-0000-4000-8000-00000000c002', '2026-12-01')).toBeNull();
  });

  it('does not open with another PIN (a forgotten PIN replaced)', async () => {
    const vault = dayVault(new KioskDb('vault-other-pin'), FAST);
    const key = await vault.keyFor('482913');
    if (!key) throw new Error('no key');
    await vault.save(key, DAY);
    const other = await vault.keyFor('482914');
    if (!other) throw new Error('no key');
    expect(await vault.open(other, CLINIC, '2026-12-01')).toBeNull();
  });

  it('is gone when kiosk mode is left, and nothing brings the database back', async () => {
    const db = new KioskDb('vault-wiped');
    const vault = dayVault(db, FAST);
    const key = await vault.keyFor('482913');
    if (!key) throw new Error('no key');
    await vault.save(key, DAY);
    await patientIndex(db).wipe();
    expect(await vault.save(key, DAY)).toBe(false);
    expect(await vault.keyFor('482913')).toBeNull();
    expect(await vault.open(key, CLINIC, '2026-12-01')).toBeNull();
    expect(await indexedDB.databases()).not.toContainEqual(expect.objectContaining({ name: 'vault-wiped' }));
  });
});
