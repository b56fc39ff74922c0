import { describe, expect, it } from 'vitest';
import { INITIAL_STATUS } from '../../../sync/sync-status.ts';
import { appointmentRow, patientRow } from '../../../sync/testing/fixtures.ts';
import { MemoryStore } from '../../../sync/testing/memory-store.ts';
import { describeEngine } from './engine-view.ts';
import { buildQaReport } from './qa-report.ts';
import { importQueue } from './queue-import.ts';
import { redact } from './redact.ts';

const PATIENT = '00000000-0000-4000-8000-0000000000a1';
const APPOINTMENT = '00000000-0000-4000-8000-0000000000b1';

/** A device with a profile and a booking queued, as a field device would hold them. */
async function fieldDevice() {
  const store = new MemoryStore();
  await store.write({ entity: 'patients', op: 'upsert', row: patientRow(PATIENT) });
  await store.write({
    entity: 'appointments',
    op: 'upsert',
    row: appointmentRow(APPOINTMENT, PATIENT),
  });
  return store;
}

async function reportOf(store: MemoryStore, includePersonalData: boolean) {
  return buildQaReport({
    syncLog: [],
    outbox: await store.listOutbox(),
    quarantine: [],
    engine: describeEngine({ status: INITIAL_STATUS, outbox: [] }),
    clientId: await store.getClientId(),
    now: new Date('2026-01-01T00:00:00Z'),
    build: 'test',
    includePersonalData,
  });
}

const USER = '00000000-0000-4000-8000-0000000000c1';
const STAFF = '00000000-0000-4000-8000-0000000000c2';

describe('the QA report', () => {
  it("names no account by default: a write's actor, a row's user_id and registered_by become pseudonyms", async () => {
    const store = new MemoryStore();
    const row = patientRow(PATIENT, { user_id: USER, registered_by: STAFF });
    await store.write({ entity: 'patients', op: 'upsert', row, actor: USER });
    await store.write({
      entity: 'appointments',
      op: 'upsert',
      row: appointmentRow(APPOINTMENT, PATIENT),
      actor: STAFF,
    });
    const report = await reportOf(store, false);
    const text = JSON.stringify(report);
    expect(text).not.toContain(USER);
    expect(text).not.toContain(STAFF);
    // The same account is the same pseudonym throughout, so "who made which write" still reads.
    const [profile, booking] = report.queue.outbox;
    expect(profile?.actor).toBe('‹user 1›');
    expect(profile?.data).toMatchObject({ user_id: '‹user 1›', registered_by: '‹user 2›' });
    expect(booking?.actor).toBe('‹user 2›');
    expect(JSON.stringify(await reportOf(store, true))).toContain(USER);
  });

  it("keeps not even the length of a field whose length would say its value (a patient's sex)", async () => {
    const lengths = await Promise.all(
      (['female', 'male'] as const).map(async (sex) => {
        const store = new MemoryStore();
        await store.write({ entity: 'patients', op: 'upsert', row: patientRow(PATIENT, { sex }) });
        return (await reportOf(store, false)).queue.outbox[0]?.data?.sex;
      }),
    );
    expect(lengths[0]).toBe(lengths[1]);
  });

  it('holds no personal data unless QA asks for it, and keeps ids so order and deps still read', async () => {
    const store = await fieldDevice();
    const text = JSON.stringify(await reportOf(store, false));
    expect(text).not.toContain('Asha Devi');
    expect(text).not.toContain('+919812345678');
    expect(text).toContain(PATIENT);
    expect(JSON.stringify(await reportOf(store, true))).toContain('Asha Devi');
    expect(redact({ a: 'Rampur', n: 3, ok: true, id: PATIENT })).toEqual({
      a: '‹redacted: 6 characters›',
      n: 3,
      ok: true,
      id: PATIENT,
    });
  });

  it('imports an exported queue with its rows into another device, in order; refuses a redacted one', async () => {
    const field = await fieldDevice();
    const desk = new MemoryStore();
    const redacted = JSON.stringify(await reportOf(field, false));
    expect(await importQueue(desk, redacted)).toEqual({ ok: false, reason: 'redacted' });
    expect(await importQueue(desk, '{nope')).toEqual({ ok: false, reason: 'not-json' });
    expect(await importQueue(desk, JSON.stringify(await reportOf(field, true)))).toEqual({
      ok: true,
      written: 2,
    });
    const queued = await desk.listOutbox();
    expect(queued.map((m) => [m.entity, m.key])).toEqual([
      ['patients', PATIENT],
      ['appointments', APPOINTMENT],
    ]);
    expect(await desk.getRow('patients', PATIENT)).toMatchObject({ full_name: 'Asha Devi' });
  });
});
