import { describe, expect, it } from 'vitest';
import { isTransportError } from '../errors.ts';
import type { Row } from '../local-mutation.ts';
import type { Mutation } from '../protocol.ts';
import { appointmentRow, CLINIC_ID, patientRow, REFERENCE_DATA, SLOTS } from './fixtures.ts';
import { type Fault, InProcessServer } from './in-process-server.ts';
import { pushOrder } from './push-order.ts';
import { seededIds } from './seeded-random.ts';
import { describeTransportContract } from './transport-contract.ts';

// As the contract says: the slots' doctors practise general medicine and offer video.
const CONTRACT_REFERENCE = {
  ...REFERENCE_DATA,
  doctors: REFERENCE_DATA.doctors.map((d) => ({ ...d, specialty: 'general medicine', offers_video: true })),
};

describeTransportContract('in-process server', async () => {
  const server = new InProcessServer(CONTRACT_REFERENCE);
  const newId = seededIds(Math.floor(Math.random() * 1e9));
  return {
    device: async () => ({ transport: server.transport({ userId: newId() }), clientId: newId() }),
    slots: SLOTS,
    newId,
  };
});

describe('in-process server faults', () => {
  const ids = seededIds(5);
  const clientId = ids();
  const mutation = (): Mutation => {
    const p = patientRow(ids());
    return {
      id: ids(),
      clientId,
      entity: 'patients',
      op: 'upsert',
      key: p.id,
      data: p,
      deps: [],
      actor: null,
      createdAt: '2030-01-01T00:00:00Z',
    };
  };
  const withFault = (fault: Fault) => {
    const server = new InProcessServer(REFERENCE_DATA);
    return {
      server,
      transport: server.transport({ userId: ids(), staffClinicId: 'c' }, ({ n }) => (n === 0 ? fault : null)),
    };
  };

  it.each([
    [{ type: 'offline' }, 'network', false],
    [{ type: 'timeout', afterCommit: false }, 'timeout', false],
    [{ type: 'timeout', afterCommit: true }, 'timeout', true],
    [{ type: 'server-error', status: 503, retryAfterMs: 2000 }, 'server', false],
    [{ type: 'rate-limited', retryAfterMs: 1000 }, 'rate_limited', false],
    [{ type: 'unauthorized' }, 'unauthorized', false],
    [{ type: 'lost-after-commit' }, 'network', true],
  ] as const)('%o → %s, committed: %s', async (fault, kind, committed) => {
    const { server, transport } = withFault(fault);
    const m = mutation();
    const err = await transport.push(clientId, [m]).catch((e: unknown) => e);
    expect(isTransportError(err) && err.kind).toBe(kind);
    expect(server.applyCount.get(m.id) ?? 0).toBe(committed ? 1 : 0);
    const retry = await transport.push(clientId, [m]);
    expect(retry[0]?.status).toBe(committed ? 'duplicate' : 'applied');
    expect(server.applyCount.get(m.id)).toBe(1);
  });

  it('orders a batch parents first, then by deps and earlier writes of the same row', () => {
    const p = mutation();
    const q = mutation();
    const a: Mutation = { ...mutation(), entity: 'appointments', data: { patient_id: p.key } };
    const qDelete: Mutation = { ...mutation(), key: q.key, op: 'delete', data: null };
    expect(pushOrder([qDelete, a, p])).toEqual([2, 1, 0]);
    const p2: Mutation = { ...mutation(), key: p.key };
    const b: Mutation = { ...mutation(), deps: [p2.id] };
    expect(pushOrder([p2, p, b])).toEqual([0, 1, 2]);
    expect(pushOrder([b, p2])).toEqual([1, 0]);
  });
});

describe('in-process server: requests by specialty', () => {
  const ids = seededIds(9);
  const clientId = ids();
  const doctors = REFERENCE_DATA.doctors.map((d, i) => ({
    ...d,
    specialty: i === 0 ? 'general medicine' : 'paediatrics',
    offers_video: true,
  }));
  // Doctor 0 (general medicine) has the video slots 0, 2 and 4: 09:00, 11:00 and 13:00 UTC on
  // 2030-01-07, i.e. 14:30 and 16:30 (afternoon) and 18:30 (evening) in Kolkata. The in-clinic
  // slots belong to doctor 1 (paediatrics).
  const server = () => new InProcessServer({ ...REFERENCE_DATA, doctors });
  const write = (entity: Mutation['entity'], data: Record<string, unknown>): Mutation => ({
    id: ids(),
    clientId,
    entity,
    op: 'upsert',
    key: String(data.id),
    data,
    deps: [],
    actor: null,
    createdAt: '2030-01-01T00:00:00Z',
  });
  const request = (patientId: string, extra: Record<string, unknown> = {}) => ({
    id: ids(),
    patient_id: patientId,
    slot_id: null,
    doctor_id: null,
    starts_at: null,
    ends_at: null,
    mode: 'video',
    reason: 'fever',
    status: 'requested',
    requested_specialty: 'general medicine',
    preferred_date: '2030-01-07',
    preferred_window: 'afternoon',
    ...extra,
  });

  it('books the earliest free matching slot, then the next, then answers no_slot', () => {
    const s = server();
    const p = patientRow(ids());
    const results = s.push({ userId: 'u' }, clientId, [
      write('patients', p),
      write('appointments', request(p.id)),
      write('appointments', request(p.id)),
      write('appointments', request(p.id)),
      write('appointments', request(p.id, { preferred_window: 'morning', mode: 'in_person' })),
    ]);
    const rows = results.map((r) =>
      r.status === 'applied' ? r.row?.slot_id : r.status === 'rejected' && r.message,
    );
    expect(rows.slice(1)).toEqual([
      SLOTS[0]?.id,
      SLOTS[2]?.id,
      'no free general medicine video slot on 2030-01-07 in the afternoon',
      'no free general medicine in-clinic slot on 2030-01-07 in the morning',
    ]);
  });

  it('stores a request cancelled before it synced without a slot, and names a bad field', () => {
    const s = server();
    const p = patientRow(ids());
    const [, cancelled, bad] = s.push({ userId: 'u' }, clientId, [
      write('patients', p),
      write('appointments', request(p.id, { status: 'cancelled' })),
      write('appointments', request(p.id, { preferred_window: 'night' })),
    ]);
    expect(cancelled?.status === 'applied' && cancelled.row).toMatchObject({
      slot_id: null,
      status: 'cancelled',
    });
    expect(bad?.status === 'rejected' && [bad.code, bad.field]).toEqual(['validation', 'preferred_window']);
  });
});

describe('in-process server: the appointment state machine', () => {
  const ids = seededIds(9);
  let clock = new Date('2030-01-01T00:00:00Z');
  const server = new InProcessServer(REFERENCE_DATA, () => clock);
  const kiosk1 = {
    transport: server.transport({ userId: ids(), staffClinicId: CLINIC_ID }),
    clientId: ids(),
  };
  const kiosk2 = {
    transport: server.transport({ userId: ids(), staffClinicId: CLINIC_ID }),
    clientId: ids(),
  };
  const write = (clientId: string, entity: Mutation['entity'], data: Row): Mutation => ({
    id: ids(),
    clientId,
    entity,
    op: 'upsert',
    key: String(data.id),
    data,
    deps: [],
    actor: null,
    createdAt: clock.toISOString(),
  });
  const send = async (k: typeof kiosk1, entity: Mutation['entity'], data: Row) => {
    const [result] = await k.transport.push(k.clientId, [write(k.clientId, entity, data)]);
    return result;
  };

  it('lets a kiosk book, check in and complete; a late check-in from the other kiosk is refused', async () => {
    const walkIn = patientRow(ids());
    expect(await send(kiosk1, 'patients', walkIn)).toMatchObject({ status: 'applied' });
    const a = appointmentRow(ids(), walkIn.id, {}, SLOTS[0]);
    expect(await send(kiosk1, 'appointments', { ...a, status: 'checked_in' })).toMatchObject({
      status: 'applied',
      row: { status: 'checked_in' },
    });
    expect(await send(kiosk1, 'appointments', { ...a, status: 'completed' })).toMatchObject({
      status: 'applied',
    });
    expect(await send(kiosk2, 'appointments', { ...a, status: 'checked_in' })).toMatchObject({
      status: 'rejected',
      code: 'transition',
      field: 'status',
      message: expect.stringContaining('completed → checked_in is not allowed'),
    });
  });

  it('refuses a cancel after the start, and a checked-in slot stays held', async () => {
    const walkIn = patientRow(ids());
    await send(kiosk1, 'patients', walkIn);
    const a = appointmentRow(ids(), walkIn.id, {}, SLOTS[1]);
    await send(kiosk1, 'appointments', { ...a, status: 'checked_in' });
    const other = appointmentRow(ids(), walkIn.id, {}, SLOTS[1]);
    expect(await send(kiosk2, 'appointments', other)).toMatchObject({
      status: 'rejected',
      code: 'own_booking',
    });
    const b = appointmentRow(ids(), walkIn.id, {}, SLOTS[2]);
    await send(kiosk1, 'appointments', { ...b, status: 'confirmed' });
    clock = new Date(Date.parse(String(SLOTS[2]?.starts_at)) + 60_000);
    expect(await send(kiosk2, 'appointments', { ...b, status: 'cancelled' })).toMatchObject({
      status: 'rejected',
      code: 'transition',
      message: expect.stringContaining('confirmed → cancelled is not allowed; it started at'),
    });
  });
});

describe('in-process server: a kiosk’s pull', () => {
  it('carries the clinic’s patients but no appointment rows, as sync_pull(kiosk => true)', async () => {
    const ids = seededIds(11);
    const server = new InProcessServer(REFERENCE_DATA);
    const transport = server.transport({ userId: ids(), staffClinicId: CLINIC_ID });
    const clientId = ids();
    const walkIn = patientRow(ids());
    const booking = appointmentRow(ids(), walkIn.id, {}, SLOTS[0]);
    const upsert = (entity: Mutation['entity'], data: Row): Mutation => ({
      id: ids(),
      clientId,
      entity,
      op: 'upsert',
      key: String(data.id),
      data,
      deps: [],
      actor: null,
      createdAt: new Date().toISOString(),
    });
    await transport.push(clientId, [upsert('patients', walkIn), upsert('appointments', booking)]);
    const kiosk = await transport.pull(null, { kiosk: true });
    expect(kiosk.changes.patients.map((r) => r.id)).toEqual([walkIn.id]);
    expect(kiosk.changes.patients[0]).not.toHaveProperty('address');
    expect(kiosk.changes.appointments).toEqual([]);
    expect((await transport.pull(null)).changes.appointments.map((r) => r.id)).toEqual([booking.id]);
  });
});
