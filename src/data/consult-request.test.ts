import { afterEach, describe, expect, it } from 'vitest';
import type { LocalMutation } from '../../sync/local-mutation.ts';
import { ConsultDb } from '../../sync/stores/dexie-db.ts';
import { DexieStore } from '../../sync/stores/dexie-store.ts';
import { type AppointmentRow, buildAppointmentViews, joinLink } from './appointment-view.ts';
import {
  clinicToday,
  isNoSlot,
  isOpenRequest,
  newConsultationRequest,
  openWindows,
  pastDayIssue,
  REQUEST_SPECIALTIES,
  requestAgain,
  requestConsultation,
  requestDays,
} from './consult-request.ts';
import { writeEntity } from './entity-writes.ts';

const dbs: ConsultDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

function newStore(): DexieStore {
  const db = new ConsultDb(`consult-request-${crypto.randomUUID()}`);
  dbs.push(db);
  return new DexieStore(db);
}

const P = '11111111-1111-4111-8111-111111111111';
const A = '22222222-2222-4222-8222-222222222222';
const D = '33333333-3333-4333-8333-333333333333';
const S = '44444444-4444-4444-8444-444444444444';
// 20:00 UTC on the 24th is 01:30 on the 25th in the clinic (Asia/Kolkata).
const lateEvening = new Date('2026-11-24T20:00:00Z');

const input = {
  patientId: P,
  specialty: 'general medicine',
  mode: 'video' as const,
  preferredDate: '2026-11-26',
  preferredWindow: 'morning' as const,
  reason: 'fever for three days',
};

describe('request by specialty', () => {
  it('is an appointment with no slot, doctor or times, and the preferences instead', () => {
    const row = newConsultationRequest(input, A);
    expect(row).toEqual({
      id: A,
      patient_id: P,
      doctor_id: null,
      slot_id: null,
      starts_at: null,
      ends_at: null,
      requested_specialty: 'general medicine',
      preferred_date: '2026-11-26',
      preferred_window: 'morning',
      mode: 'video',
      reason: 'fever for three days',
      status: 'requested',
    });
    expect(pastDayIssue(row, lateEvening)).toBeNull();
    expect(isOpenRequest(row)).toBe(true);
  });

  it('counts days in clinic time, and refuses a day already past there, writing nothing', async () => {
    expect(clinicToday(lateEvening)).toBe('2026-11-25');
    expect(requestDays(lateEvening, 3)).toEqual(['2026-11-25', '2026-11-26', '2026-11-27']);
    // 20:59 at the clinic, today's evening is still open; from 21:00 (and at 23:30) today is over.
    expect(requestDays(new Date('2026-11-24T15:29:00Z'), 2)).toEqual(['2026-11-24', '2026-11-25']);
    expect(requestDays(new Date('2026-11-24T15:30:00Z'), 2)).toEqual(['2026-11-25', '2026-11-26']);
    expect(requestDays(new Date('2026-11-24T18:00:00Z'), 2)).toEqual(['2026-11-25', '2026-11-26']);
    const store = newStore();
    const result = await requestConsultation(
      { store },
      { ...input, preferredDate: '2026-11-24' },
      lateEvening,
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((i) => i.path)).toEqual([['preferred_date']]);
    expect(await store.listOutbox()).toEqual([]);
  });

  it("offers on the clinic's today only the times of day not over yet, and refuses one that is", async () => {
    // 15:00 at the clinic on the 24th: morning is over, afternoon (to 17:00) is not.
    const afternoon = new Date('2026-11-24T09:30:00Z');
    expect(openWindows('2026-11-24', afternoon)).toEqual(['afternoon', 'evening', 'any']);
    expect(openWindows('2026-11-25', afternoon)).toEqual(['morning', 'afternoon', 'evening', 'any']);
    // 11:59: morning still open.
    expect(openWindows('2026-11-24', new Date('2026-11-24T06:29:00Z'))).toContain('morning');
    const store = newStore();
    const refused = await requestConsultation(
      { store },
      { ...input, preferredDate: '2026-11-24' },
      afternoon,
    );
    expect(!refused.ok && refused.issues.map((i) => i.path)).toEqual([['preferred_window']]);
    expect(await store.listOutbox()).toEqual([]);
    const kept = await requestConsultation(
      { store },
      { ...input, preferredDate: '2026-11-24', preferredWindow: 'afternoon' },
      afternoon,
    );
    expect(kept.ok).toBe(true);
  });

  it("refuses an unknown specialty, window or an empty reason, field by field (the entity's schema)", async () => {
    const bad = {
      ...newConsultationRequest(input, A),
      requested_specialty: 'astrology',
      preferred_window: 'night',
    };
    const result = await writeEntity(newStore(), 'appointments', { ...bad, reason: ' ' });
    expect(!result.ok && result.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'preferred_window',
      'reason',
      'requested_specialty',
    ]);
    expect(REQUEST_SPECIALTIES).toContain('general medicine');
  });

  it('recognises the no_slot refusal only', () => {
    const noSlot = JSON.parse('{"code":"no_slot","message":"no free slot","field":null}');
    expect(isNoSlot(noSlot)).toBe(true);
    expect(isNoSlot({ code: 'slot_taken', message: 'taken', field: null })).toBe(false);
    expect(isNoSlot(null)).toBe(false);
  });
});

describe('requesting again after no_slot', () => {
  it('puts the new day and window in place of the refused write, keeping the id', async () => {
    const store = newStore();
    const first = await requestConsultation({ store }, input, lateEvening);
    if (!first.ok) throw new Error('the request was refused');
    const [refused] = await store.listOutbox();
    const error = { code: 'no_slot' as const, message: 'nothing free', field: null };
    await store.apply({ patch: [{ id: refused?.id ?? '', state: 'rejected', error, attempted: true }] });

    const change = { preferredDate: '2026-11-27', preferredWindow: 'any' as const };
    const again = await requestAgain({ store }, first.row, change, lateEvening);
    expect(again).toMatchObject({ ok: true, row: { id: first.row.id, preferred_date: '2026-11-27' } });
    const outbox = await store.listOutbox();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({
      key: first.row.id,
      state: 'pending',
      data: { preferred_window: 'any' },
    });
  });
});

const entry = (over: Partial<LocalMutation>): LocalMutation => ({
  id: crypto.randomUUID(),
  clientId: crypto.randomUUID(),
  entity: 'appointments',
  op: 'upsert',
  key: A,
  data: {},
  deps: [],
  actor: null,
  createdAt: lateEvening.toISOString(),
  state: 'pending',
  seq: 1,
  after: [],
  refKeys: [],
  before: null,
  createsRow: true,
  attempted: false,
  ...over,
});

describe('a request in My appointments', () => {
  const request = newConsultationRequest(input, A) as AppointmentRow;
  const views = (rows: AppointmentRow[], outbox: LocalMutation[] = []) =>
    buildAppointmentViews({ rows, doctors: [], clinics: [], outbox, now: lateEvening });

  it('is open and upcoming while pending, ordered by its preferred day', () => {
    const booked: AppointmentRow = {
      ...request,
      id: '55555555-5555-4555-8555-555555555555',
      doctor_id: D,
      slot_id: S,
      starts_at: '2026-11-27T04:00:00Z',
      ends_at: '2026-11-27T04:15:00Z',
    };
    const [first, second] = views([booked, request], [entry({})]);
    expect(first).toMatchObject({ openRequest: true, upcoming: true, sync: { kind: 'saved' } });
    expect(second).toMatchObject({ openRequest: false, upcoming: true });
  });

  it('once the server booked it, shows as a normal appointment', () => {
    const applied: AppointmentRow = {
      ...request,
      doctor_id: D,
      slot_id: S,
      starts_at: '2026-11-26T03:30:00Z',
      ends_at: '2026-11-26T03:45:00Z',
      status: 'confirmed',
    };
    expect(views([applied])[0]).toMatchObject({
      openRequest: false,
      upcoming: true,
      sync: { kind: 'synced' },
    });
  });

  it('needs attention with the no_slot reason when the server could not book it', () => {
    const refused = entry({
      state: 'rejected',
      error: JSON.parse('{"code":"no_slot","message":"none","field":null}'),
    });
    const view = views([request], [refused])[0];
    expect(view?.sync).toMatchObject({ kind: 'attention', mutationId: refused.id });
    expect(view?.sync.kind === 'attention' && isNoSlot(view.sync.error)).toBe(true);
  });

  it('is past once its preferred day has gone by in the clinic', () => {
    expect(views([{ ...request, preferred_date: '2026-11-24' }])[0]?.upcoming).toBe(false);
  });

  it('never offers a Join link without times', () => {
    const linked = { ...request, status: 'confirmed' as const, join_url: 'https://meet.example/r' };
    expect(joinLink(linked, lateEvening)).toBeNull();
  });
});
