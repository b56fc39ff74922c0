import { describe, expect, it } from 'vitest';
import type { LocalMutation } from '../../sync/local-mutation.ts';
import { type AppointmentRow, buildAppointmentViews, joinLink, nextJoinChange } from './appointment-view.ts';

const P = '11111111-1111-4111-8111-111111111111';
const A = '22222222-2222-4222-8222-222222222222';
const D = '33333333-3333-4333-8333-333333333333';
const S = '44444444-4444-4444-8444-444444444444';
const now = new Date('2026-11-24T10:00:00Z');

const row = (over: Partial<AppointmentRow> = {}): AppointmentRow => ({
  id: A,
  patient_id: P,
  doctor_id: D,
  slot_id: S,
  starts_at: '2026-11-24T12:00:00Z',
  ends_at: '2026-11-24T12:30:00Z',
  mode: 'video',
  reason: 'fever',
  status: 'requested',
  ...over,
});

let seq = 0;
const entry = (over: Partial<LocalMutation>): LocalMutation => ({
  id: crypto.randomUUID(),
  clientId: crypto.randomUUID(),
  entity: 'appointments',
  op: 'upsert',
  key: A,
  data: {},
  deps: [],
  actor: null,
  createdAt: now.toISOString(),
  state: 'pending',
  seq: seq++,
  after: [],
  refKeys: [],
  before: null,
  createsRow: true,
  attempted: false,
  ...over,
});

const view = (outbox: LocalMutation[], r = row()) =>
  buildAppointmentViews({ rows: [r], doctors: [], clinics: [], outbox, now })[0];

describe('appointment sync state', () => {
  it('is booked with nothing queued, saved when queued, sending when in flight', () => {
    expect(view([])?.sync.kind).toBe('synced');
    expect(view([entry({})])?.sync.kind).toBe('saved');
    expect(view([entry({ state: 'sending' })])?.sync.kind).toBe('sending');
  });

  it("needs attention with the server's reason when rejected", () => {
    const rejected = entry({
      state: 'rejected',
      error: { code: 'slot_taken', message: 'taken', field: 'slot_id' },
    });
    const sync = view([rejected])?.sync;
    expect(sync).toMatchObject({ kind: 'attention', mutationId: rejected.id, error: { code: 'slot_taken' } });
  });

  it("shows the profile's refusal on a booking waiting behind it", () => {
    const profile = entry({
      entity: 'patients',
      key: P,
      state: 'rejected',
      error: { code: 'validation', message: 'bad phone', field: 'phone' },
    });
    const booking = entry({ state: 'blocked', blockedBy: profile.id });
    const sync = view([profile, booking])?.sync;
    expect(sync).toMatchObject({ kind: 'attention', mutationId: booking.id, error: { code: 'validation' } });
    // Even before the engine marks the booking blocked, the profile's problem shows on it.
    expect(view([profile, entry({})])?.sync).toMatchObject({ kind: 'attention', mutationId: profile.id });
  });

  it('splits upcoming from past and cancelled', () => {
    expect(view([])?.upcoming).toBe(true);
    expect(view([], row({ status: 'cancelled' }))?.upcoming).toBe(false);
    expect(view([], row({ status: 'checked_in' }))?.upcoming).toBe(true);
    expect(view([], row({ status: 'no_show' }))?.upcoming).toBe(false);
    expect(view([], row({ status: 'completed' }))?.upcoming).toBe(false);
    expect(
      view([], row({ starts_at: '2026-11-23T12:00:00Z', ends_at: '2026-11-23T12:30:00Z' }))?.upcoming,
    ).toBe(false);
  });
});

describe('join link', () => {
  const confirmed = row({ status: 'confirmed', join_url: 'https://meet.example/room-1' });
  it('appears from ten minutes before the start of a confirmed video consultation until its end', () => {
    expect(joinLink(confirmed, new Date('2026-11-24T11:49:59Z'))).toBeNull();
    expect(joinLink(confirmed, new Date('2026-11-24T11:50:00Z'))).toBe('https://meet.example/room-1');
    expect(joinLink(confirmed, new Date('2026-11-24T12:29:59Z'))).toBe('https://meet.example/room-1');
    expect(joinLink(confirmed, new Date('2026-11-24T12:30:00Z'))).toBeNull();
    expect(joinLink({ ...confirmed, status: 'checked_in' }, new Date('2026-11-24T12:00:00Z'))).toBe(
      'https://meet.example/room-1',
    );
  });
  it('never appears for a requested, in-clinic or link-less appointment', () => {
    const at = new Date('2026-11-24T12:00:00Z');
    expect(joinLink({ ...confirmed, status: 'requested' }, at)).toBeNull();
    expect(joinLink({ ...confirmed, mode: 'in_person' }, at)).toBeNull();
    expect(joinLink({ ...confirmed, join_url: null }, at)).toBeNull();
  });
  it('switches exactly at the window edges, which a timer can wait for', () => {
    expect(nextJoinChange(confirmed, new Date('2026-11-24T11:00:00Z'))).toBe(
      Date.parse('2026-11-24T11:50:00Z'),
    );
    expect(nextJoinChange(confirmed, new Date('2026-11-24T11:50:00Z'))).toBe(
      Date.parse('2026-11-24T12:30:00Z'),
    );
    expect(nextJoinChange(confirmed, new Date('2026-11-24T12:30:00Z'))).toBeNull();
    expect(nextJoinChange({ ...confirmed, mode: 'in_person' }, new Date('2026-11-24T11:00:00Z'))).toBeNull();
  });
  it('is only ever a web address', () => {
    const at = new Date('2026-11-24T12:00:00Z');
    for (const url of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:text/html,<script>1</script>',
      'room-1',
    ])
      expect(joinLink({ ...confirmed, join_url: url }, at), url).toBeNull();
    expect(joinLink({ ...confirmed, join_url: 'http://127.0.0.1:9000/room/x' }, at)).toBe(
      'http://127.0.0.1:9000/room/x',
    );
  });
  it('never appears for times it cannot read', () => {
    const at = new Date('2026-11-24T12:00:00Z');
    expect(joinLink({ ...confirmed, starts_at: 'soon' }, at)).toBeNull();
    expect(joinLink({ ...confirmed, starts_at: null, ends_at: null }, at)).toBeNull();
  });
});
