import { describe, expect, it } from 'vitest';
import type { Appointment } from '../../sync/entities.ts';
import { appointmentRow, DOCTOR_IDS, patientRow } from '../../sync/testing/fixtures.ts';
import { MemoryStore } from '../../sync/testing/memory-store.ts';
import { writeEntity } from './entity-writes.ts';
import { setStaffStatus } from './kiosk-status.ts';
import type { TodayItem } from './kiosk-today.ts';
import { leftOutbox, sentWrites, withQueuedWrites } from './kiosk-today-merge.ts';

const NOW = new Date('2026-12-01T06:00:00Z'); // 11:30 in India
const CLINIC_DOCTORS = [DOCTOR_IDS[0] as string];
const P = '00000000-0000-4000-8000-0000000000a1';
const WALK_IN = '00000000-0000-4000-8000-0000000000a2';
const A1 = '00000000-0000-4000-8000-0000000000b1';
const A2 = '00000000-0000-4000-8000-0000000000b2';

function at(startsAt: string, over: Partial<Appointment> = {}): Partial<Appointment> {
  return { starts_at: startsAt, ends_at: new Date(Date.parse(startsAt) + 900_000).toISOString(), ...over };
}

function item(row: Appointment, patientName: string): TodayItem {
  const { id, doctor_id, starts_at, status, mode } = row;
  return { id, doctorId: doctor_id, startsAt: starts_at, status, mode, patientName, row };
}

const booked = appointmentRow(A1, P, { ...at('2026-12-01T08:00:00Z'), status: 'confirmed' });
const loaded = [item(booked, 'Asha Devi')];

describe("today's list with the tablet's unsent writes", () => {
  it('is the list as loaded when nothing waits to be sent', async () => {
    expect(withQueuedWrites(loaded, await new MemoryStore().listOutbox(), CLINIC_DOCTORS, NOW)).toEqual(
      loaded,
    );
  });

  it('shows a check-in not yet sent with its new status, and the actions follow from it', async () => {
    const store = new MemoryStore();
    await setStaffStatus({ store }, booked, 'checked_in');
    const [shown] = withQueuedWrites(loaded, await store.listOutbox(), CLINIC_DOCTORS, NOW);
    expect(shown).toMatchObject({ id: A1, status: 'checked_in', patientName: 'Asha Devi' });
    expect(shown?.row?.status).toBe('checked_in');
  });

  it('adds a walk-in registered and booked offline today, by name and in time order', async () => {
    const store = new MemoryStore();
    await writeEntity(store, 'patients', patientRow(WALK_IN, { full_name: 'Kamla Bai' }));
    await writeEntity(store, 'appointments', appointmentRow(A2, WALK_IN, at('2026-12-01T05:00:00Z')));
    const list = withQueuedWrites(loaded, await store.listOutbox(), CLINIC_DOCTORS, NOW);
    expect(list.map((i) => [i.patientName, i.status])).toEqual([
      ['Kamla Bai', 'requested'],
      ['Asha Devi', 'confirmed'],
    ]);
  });

  it("leaves out another day's, another clinic's, and a moved appointment", async () => {
    const store = new MemoryStore();
    await writeEntity(store, 'patients', patientRow(WALK_IN, { full_name: 'Kamla Bai' }));
    // 18:30 UTC on the 1st is midnight of the 2nd in India: tomorrow.
    await writeEntity(store, 'appointments', appointmentRow(A2, WALK_IN, at('2026-12-01T18:30:00Z')));
    const otherClinic = { ...at('2026-12-01T07:00:00Z'), doctor_id: DOCTOR_IDS[1] as string };
    await writeEntity(store, 'appointments', appointmentRow(crypto.randomUUID(), WALK_IN, otherClinic));
    // The loaded appointment, moved to tomorrow on this tablet.
    await writeEntity(store, 'appointments', { ...booked, ...at('2026-12-02T08:00:00Z') });
    expect(withQueuedWrites(loaded, await store.listOutbox(), CLINIC_DOCTORS, NOW)).toEqual([]);
  });

  it("keeps an appointment's name when the tablet does not know the patient, and says so when nobody does", async () => {
    const store = new MemoryStore();
    const stranger = '00000000-0000-4000-8000-0000000000a3';
    await writeEntity(store, 'appointments', appointmentRow(A2, stranger, at('2026-12-01T09:00:00Z')));
    const list = withQueuedWrites(loaded, await store.listOutbox(), CLINIC_DOCTORS, NOW);
    expect(list.map((i) => i.patientName)).toEqual(['Asha Devi', '—']);
  });

  it('keeps a walk-in booked at the tablet and already sent on the list, named, from what was dropped for staff', () => {
    const walkIn = appointmentRow(A2, WALK_IN, at('2026-12-01T09:00:00Z'));
    const drops = [
      { at: '2026-12-01T04:00:00.000Z', patient: { id: WALK_IN, name: 'Kamla Bai' } },
      { at: '2026-12-01T04:00:01.000Z', appointment: walkIn },
    ];
    const list = withQueuedWrites(loaded, [], CLINIC_DOCTORS, NOW, drops, '2026-12-01T03:00:00.000Z');
    expect(list.map((i) => [i.patientName, i.status])).toEqual([
      ['Asha Devi', 'confirmed'],
      ['Kamla Bai', 'requested'],
    ]);
  });

  it('does not let a drop older than the list undo what the list has since (another device moved it on)', () => {
    const completed = [item({ ...booked, status: 'completed' }, 'Asha Devi')];
    const drops = [{ at: '2026-12-01T04:00:00.000Z', appointment: { ...booked, status: 'checked_in' } }];
    const before = withQueuedWrites(completed, [], CLINIC_DOCTORS, NOW, drops, '2026-12-01T05:00:00.000Z');
    expect(before.map((i) => i.status)).toEqual(['completed']);
    // A drop made after the list was read is newer than it.
    const after = withQueuedWrites(completed, [], CLINIC_DOCTORS, NOW, drops, '2026-12-01T03:00:00.000Z');
    expect(after.map((i) => i.status)).toEqual(['checked_in']);
  });
});

describe('writes the server took', () => {
  it('are those that left the outbox, not those discarded after a refusal', async () => {
    const store = new MemoryStore();
    await setStaffStatus({ store }, booked, 'checked_in');
    await writeEntity(store, 'appointments', appointmentRow(A2, P, at('2026-12-01T09:00:00Z')));
    const [checkIn, booking] = await store.listOutbox();
    if (!checkIn || !booking) throw new Error('two writes expected');
    expect(sentWrites(leftOutbox([checkIn, booking], [booking]))).toEqual([checkIn]);
    expect(sentWrites(leftOutbox([checkIn, booking], [checkIn, booking]))).toEqual([]);
    const refused = { ...booking, state: 'rejected' as const };
    expect(leftOutbox([checkIn, refused], [])).toEqual([checkIn, refused]);
    expect(sentWrites(leftOutbox([checkIn, refused], []))).toEqual([checkIn]);
  });

  it('laid over a list read while they were on their way, show what the server has now', async () => {
    const store = new MemoryStore();
    await setStaffStatus({ store }, booked, 'checked_in');
    const before = await store.listOutbox();
    // Sent: the outbox is empty, and the list read before the server took it says "confirmed".
    const list = withQueuedWrites(loaded, sentWrites(leftOutbox(before, [])), CLINIC_DOCTORS, NOW);
    expect(list.map((i) => i.status)).toEqual(['checked_in']);
  });
});
