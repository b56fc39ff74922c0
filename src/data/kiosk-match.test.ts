import { describe, expect, it } from 'vitest';
import { patientIndex } from './kiosk-index.ts';
import { firstNameOf, lookupOf, normaliseName, normalisePhoneForMatch } from './kiosk-match.ts';

const SITA = {
  id: '11111111-1111-4111-8111-111111111111',
  full_name: 'Sita Devi Sharma',
  date_of_birth: '1984-03-07',
  phone: '+91 98123-45678',
};
const RAM = {
  id: '22222222-2222-4222-8222-222222222222',
  full_name: 'Ram Prasad',
  date_of_birth: '1950-11-30',
  phone: null,
};

async function index(name: string) {
  const key = (await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])) as CryptoKey;
  const idx = patientIndex(name, key);
  await idx.add([SITA, RAM]);
  return idx;
}

describe('returning-patient matcher', () => {
  it('shows a first name stored before the hidden-character rules as its characters are', () => {
    expect(firstNameOf('Ra\u202ehsem Kumar')).toBe('Rahsem');
    expect(firstNameOf('\u2067Sita\u2069 Devi')).toBe('Sita');
  });

  it('normalises phone numbers and names the way people type them', () => {
    expect(normalisePhoneForMatch('+91 98123-45678')).toBe('9812345678');
    expect(normalisePhoneForMatch('09812345678')).toBe('9812345678');
    expect(normaliseName('  SITA   devi  Sharma ')).toBe('sita devi sharma');
    expect(lookupOf({ kind: 'phone', text: '123', birth: '1984' })).toBeNull();
    expect(lookupOf({ kind: 'name', text: 'Sita', birth: '1984' })).toBeNull();
  });

  it('finds a patient by phone + year of birth, showing only first name and year', async () => {
    const idx = await index('match-phone');
    const found = await idx.find({ kind: 'phone', text: '098123 45678', birth: '1984' });
    expect(found).toEqual([{ patientId: SITA.id, firstName: 'Sita', birthYear: '1984' }]);
  });

  it('finds a patient by name + date of birth, whatever the case and spacing', async () => {
    const idx = await index('match-name');
    expect(await idx.find({ kind: 'name', text: 'ram  PRASAD', birth: '1950-11-30' })).toEqual([
      { patientId: RAM.id, firstName: 'Ram', birthYear: '1950' },
    ]);
  });

  it('keeps when each was registered, to tell two registrations of the same details apart', async () => {
    const idx = await index('match-twice');
    const again = { ...SITA, id: '33333333-3333-4333-8333-333333333333', created_at: '2026-11-30T09:15:00Z' };
    await idx.add([again]);
    const found = await idx.find({ kind: 'phone', text: '9812345678', birth: '1984' });
    expect(found.map((m) => m.patientId).sort()).toEqual([SITA.id, again.id]);
    expect(found.find((m) => m.patientId === again.id)?.registeredAt).toBe('2026-11-30T09:15:00Z');
  });

  it('keeps when a patient was registered when indexed again without it (the sweep after sending)', async () => {
    const idx = await index('match-again');
    const registered = {
      ...RAM,
      id: '44444444-4444-4444-8444-444444444444',
      created_at: '2026-11-30T05:00:00Z',
    };
    await idx.add([registered]);
    await idx.add([{ ...registered, created_at: undefined }]);
    const found = await idx.find({ kind: 'name', text: 'Ram Prasad', birth: '1950-11-30' });
    expect(found.find((m) => m.patientId === registered.id)?.registeredAt).toBe('2026-11-30T05:00:00Z');
  });

  it('finds nobody when one field is wrong, and never by a partial name or phone', async () => {
    const idx = await index('match-miss');
    expect(await idx.find({ kind: 'phone', text: '9812345678', birth: '1985' })).toEqual([]);
    expect(await idx.find({ kind: 'name', text: 'Sita', birth: '1984-03-07' })).toEqual([]);
    expect(await idx.find({ kind: 'name', text: 'Ram Prasad', birth: '1950-11-29' })).toEqual([]);
    expect(await idx.find({ kind: 'phone', text: '45678', birth: '1984' })).toEqual([]);
  });

  it('keeps no readable detail: entries hold neither names nor numbers, and re-adding does not duplicate', async () => {
    const idx = await index('match-opaque');
    await idx.add([SITA]);
    const { Dexie } = await import('dexie');
    const raw = new Dexie('match-opaque');
    await raw.open();
    const entries = await raw.table('entries').toArray();
    expect(entries).toHaveLength(3);
    const dump = JSON.stringify(entries);
    // Years are left out: four digits turn up by chance in hex and base64.
    for (const secret of ['Sita', 'sita', 'Ram', '9812345678', SITA.id, RAM.id])
      expect(dump).not.toContain(secret);
    raw.close();
  });

  it('a different device key finds nothing', async () => {
    await index('match-device-a');
    const otherKey = (await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ])) as CryptoKey;
    const other = patientIndex('match-device-a', otherKey);
    expect(await other.find({ kind: 'phone', text: '9812345678', birth: '1984' })).toEqual([]);
  });
});
