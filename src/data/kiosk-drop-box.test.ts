import { describe, expect, it } from 'vitest';
import { appointmentRow, patientRow } from '../../sync/testing/fixtures.ts';
import { MemoryStore } from '../../sync/testing/memory-store.ts';
import { writeEntity } from './entity-writes.ts';
import { dayKey } from './kiosk-day-vault.ts';
import { KioskDb } from './kiosk-db.ts';
import { dropBox, dropOf } from './kiosk-drop-box.ts';

const SALT = new Uint8Array(16);
/** Few iterations: the tests check who can open what, not the PBKDF2 cost. */
const pinKey = (pin: string) => dayKey(pin, SALT, 1_000);
const WALK_IN = { id: '00000000-0000-4000-8000-0000000000a2', name: 'Kamla Bai' };

describe('what the patient side drops for staff', () => {
  it('is kept only once a staff unlock made the keys, sealed, and opens with the PIN', async () => {
    const db = new KioskDb('drops-sealed');
    const box = dropBox(db);
    await box.add({ at: '2026-12-01T04:00:00.000Z', patient: WALK_IN });
    expect(await db.sealed.count()).toBe(0);
    const key = await box.unlock(await pinKey('482913'));
    if (!key) throw new Error('no key');
    await box.add({ at: '2026-12-01T04:00:00.000Z', patient: WALK_IN });
    expect(JSON.stringify(await db.sealed.toArray())).not.toContain('Kamla');
    // Unlocked again later with the same PIN: the same keys, the same drops.
    const again = await dropBox(new KioskDb('drops-sealed')).unlock(await pinKey('482913'));
    if (!again) throw new Error('no key');
    expect(await box.open(again)).toEqual([{ at: '2026-12-01T04:00:00.000Z', patient: WALK_IN }]);
  });

  it('cannot be opened after the PIN was replaced, and the old drops go', async () => {
    const db = new KioskDb('drops-new-pin');
    const box = dropBox(db);
    await box.unlock(await pinKey('482913'));
    await box.add({ at: '2026-12-01T04:00:00.000Z', patient: WALK_IN });
    const other = await box.unlock(await pinKey('111111'));
    if (!other) throw new Error('no key');
    expect(await box.open(other)).toEqual([]);
    expect(JSON.stringify(await db.sealed.toArray())).not.toContain('drop:');
  });

  it('removes the drops made up to a time, and keeps the later ones', async () => {
    const box = dropBox(new KioskDb('drops-clear'));
    const key = await box.unlock(await pinKey('482913'));
    if (!key) throw new Error('no key');
    await box.add({ at: '2026-11-30T10:00:00.000Z', patient: WALK_IN });
    await box.add({ at: '2026-12-01T04:00:00.000Z', patient: { ...WALK_IN, name: 'Kamla' } });
    await box.clearUpTo('2026-11-30T18:30:00.000Z');
    expect((await box.open(key)).map((d) => d.patient?.name)).toEqual(['Kamla']);
  });

  it("takes from each write only what Today needs: the appointment row, or the patient's name", async () => {
    const store = new MemoryStore();
    await writeEntity(store, 'patients', patientRow(WALK_IN.id, { full_name: WALK_IN.name }));
    const row = appointmentRow('00000000-0000-4000-8000-0000000000b2', WALK_IN.id);
    await writeEntity(store, 'appointments', row);
    await store.write({ entity: 'appointments', op: 'delete', key: row.id });
    const at = '2026-12-01T04:00:00.000Z';
    expect((await store.listOutbox()).map((m) => dropOf(m, at))).toEqual([
      { at, patient: WALK_IN },
      { at, appointment: row },
      null,
    ]);
  });
});
