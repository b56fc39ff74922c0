import { afterEach, describe, expect, it } from 'vitest';
import { ConsultDb } from '../../sync/stores/dexie-db.ts';
import { DexieStore } from '../../sync/stores/dexie-store.ts';
import { INITIAL_STATUS } from '../../sync/sync-status.ts';
import type { EnginePort } from './engine-port.ts';
import type { Services } from './services.ts';
import { signOut } from './sign-out.ts';

const dbs: ConsultDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

function services(): { services: Services; signedOut: () => number; events: string[] } {
  const db = new ConsultDb(`sign-out-${crypto.randomUUID()}`);
  dbs.push(db);
  const store = new DexieStore(db);
  let calls = 0;
  const events: string[] = [];
  const engine: EnginePort = {
    getStatus: () => INITIAL_STATUS,
    subscribe: () => () => {},
    syncNow: () => {},
    // The engine's discard also drops dependents and restores rows; one entry needs neither.
    discard: async (id) => {
      events.push(`discard ${id}`);
      await store.apply({ remove: [id] });
    },
    setAsideUnreadable: async () => {},
    retry: async () => {},
    start: () => {
      events.push('start');
    },
    stop: async () => {
      events.push('stop');
    },
  };
  const supabase = async () =>
    ({
      auth: {
        signOut: async () => {
          calls += 1;
          events.push('signOut');
          return { error: null };
        },
      },
    }) as unknown as Awaited<ReturnType<Services['supabase']>>;
  return { services: { db, store, supabase, engine }, signedOut: () => calls, events };
}

const patient = {
  id: crypto.randomUUID(),
  full_name: 'Asha Devi',
  date_of_birth: '1990-04-01',
  sex: 'female',
  preferred_language: 'hi',
};

describe('sign out', () => {
  it('refuses while writes are unsent, naming them, and keeps them', async () => {
    const { services: s, signedOut } = services();
    const m = await s.store.write({ entity: 'patients', op: 'upsert', row: patient });
    const result = await signOut(s);
    expect(result).toEqual({ done: false, unsent: [expect.objectContaining({ id: m.id })] });
    expect(await s.store.listOutbox()).toHaveLength(1);
    expect(signedOut()).toBe(0);
  });

  it('refuses a confirmation that does not cover a write made since', async () => {
    const { services: s } = services();
    const first = await s.store.write({ entity: 'patients', op: 'upsert', row: patient });
    await s.store.write({ entity: 'patients', op: 'upsert', row: { ...patient, full_name: 'Asha D.' } });
    const result = await signOut(s, [first.id]);
    expect(result.done).toBe(false);
    expect(await s.store.listOutbox()).toHaveLength(2);
  });

  it('with the exact confirmation, drops the writes and the rows and signs out', async () => {
    const { services: s, signedOut, events } = services();
    const m = await s.store.write({ entity: 'patients', op: 'upsert', row: patient });
    expect(await signOut(s, [m.id])).toEqual({ done: true });
    expect(events).toEqual(['stop', 'signOut', `discard ${m.id}`, 'start']);
    expect(await s.store.listOutbox()).toEqual([]);
    expect(await s.store.listRows('patients')).toEqual([]);
    expect(signedOut()).toBe(1);
  });

  it('leaves nothing of the previous user for the next one: rows, cursor, tab drafts', async () => {
    const { services: s, events } = services();
    const appointment = {
      id: crypto.randomUUID(),
      patient_id: patient.id,
      doctor_id: crypto.randomUUID(),
      slot_id: crypto.randomUUID(),
      starts_at: '2030-01-02T10:00:00Z',
      ends_at: '2030-01-02T10:15:00Z',
      mode: 'video',
      reason: 'cough',
      status: 'confirmed',
    };
    const doctor = { id: appointment.doctor_id, name: 'Dr. Rao' };
    await s.store.applyPull({
      cursor: 'user-a-cursor',
      changes: {
        patients: [patient],
        appointments: [appointment],
        clinics: [],
        doctors: [doctor],
        slots: [],
      },
      deleted: [],
    });
    const epoch = await s.store.getEpoch();
    const session = new Map([['consult.bookingDraft', '{"reason":"private"}']]);
    const tab = { clear: () => session.clear() };
    globalThis.sessionStorage = tab as unknown as Storage;
    try {
      expect(await signOut(s)).toEqual({ done: true });
    } finally {
      Reflect.deleteProperty(globalThis, 'sessionStorage');
    }
    expect(await s.store.listRows('patients')).toEqual([]);
    expect(await s.store.listRows('appointments')).toEqual([]);
    expect(await s.store.getCursor()).toBeNull();
    expect(await s.store.getEpoch()).toBe(epoch + 1);
    expect(session.size).toBe(0);
    // Reference data is nobody's: it stays for offline booking.
    expect(await s.store.listRows('doctors')).toHaveLength(1);
    // No drain runs with the old session while the device is cleared; syncing resumes after.
    expect(events).toEqual(['stop', 'signOut', 'start']);
  });
});
