/**
 * Many devices on one appointment (issue 9, "Many devices"): two kiosks of one clinic and the
 * patient's own phone. The stale-write guard (seq) is per device; between devices the state
 * machine decides, and a late status change that is no longer legal is rejected with `transition`.
 * The phone learns what the clinic did through sync_pull.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PushResult } from '../../sync/protocol.ts';
import { appointmentIn, type Device, device, move, phonePatient, statusOf } from './appointment-fixtures.ts';
import { createClinic, newStaff, pull, type Row, type TestClinic, type TestSlot } from './sync-fixtures.ts';

let clinic: TestClinic;
let kiosk1: Device;
let kiosk2: Device;
let phone: Device & { patientId: string };

function nextSlot(): TestSlot {
  const slot = clinic.slots.shift();
  if (!slot) throw new Error('out of test slots');
  return slot;
}

beforeAll(async () => {
  clinic = await createClinic(20);
  kiosk1 = device(await newStaff(clinic.clinicId, 'devices-k1'));
  kiosk2 = device(await newStaff(clinic.clinicId, 'devices-k2'));
  phone = await phonePatient('devices-phone');
});

/** A confirmed booking made on the phone, as every device last saw it. */
const confirmedBooking = (): Promise<Row> => appointmentIn(phone.patientId, nextSlot(), 'confirmed');

function rejection(result: PushResult): string {
  return result.status === 'rejected' ? `${result.code}: ${result.message}` : result.status;
}

describe('between devices, the state machine decides', () => {
  it('completed wins over a late check-in from the other kiosk', async () => {
    const row = await confirmedBooking();
    expect(await move(kiosk1, row, 'checked_in')).toMatchObject({ status: 'applied' });
    expect(await move(kiosk1, { ...row, status: 'checked_in' }, 'completed')).toMatchObject({
      status: 'applied',
    });
    const late = await move(kiosk2, row, 'checked_in');
    expect(rejection(late)).toMatch(/^transition: .*completed → checked_in is not allowed/);
    expect(await statusOf(row.id)).toBe('completed');
  });

  it("the patient's cancel after the check-in is refused, and so is a check-in after the cancel", async () => {
    const checkedIn = await confirmedBooking();
    expect(await move(kiosk1, checkedIn, 'checked_in')).toMatchObject({ status: 'applied' });
    const cancel = await move(phone, checkedIn, 'cancelled');
    expect(rejection(cancel)).toMatch(/^transition: .*checked_in → cancelled is not allowed/);
    expect(await statusOf(checkedIn.id)).toBe('checked_in');

    const cancelled = await confirmedBooking();
    expect(await move(phone, cancelled, 'cancelled')).toMatchObject({ status: 'applied' });
    const checkIn = await move(kiosk2, cancelled, 'checked_in');
    expect(rejection(checkIn)).toMatch(/^transition: .*cancelled → checked_in is not allowed/);
    expect(await statusOf(cancelled.id)).toBe('cancelled');
  });

  it('a check-in wins over a no-show in either order', async () => {
    const noShowFirst = await confirmedBooking();
    expect(await move(kiosk1, noShowFirst, 'no_show')).toMatchObject({ status: 'applied' });
    expect(await move(kiosk2, noShowFirst, 'checked_in')).toMatchObject({ status: 'applied' });
    expect(await statusOf(noShowFirst.id)).toBe('checked_in');

    const checkInFirst = await confirmedBooking();
    expect(await move(kiosk2, checkInFirst, 'checked_in')).toMatchObject({ status: 'applied' });
    expect(rejection(await move(kiosk1, checkInFirst, 'no_show'))).toMatch(
      /^transition: .*checked_in → no_show is not allowed/,
    );
    expect(await statusOf(checkInFirst.id)).toBe('checked_in');
  });

  it('two kiosks writing the same status both succeed', async () => {
    const row = await confirmedBooking();
    expect(await move(kiosk1, row, 'checked_in')).toMatchObject({ status: 'applied' });
    expect(await move(kiosk2, row, 'checked_in')).toMatchObject({ status: 'applied' });
    expect(await statusOf(row.id)).toBe('checked_in');
  });

  it('at the same moment, a check-in and the patient’s cancel: exactly one is applied and the row agrees', async () => {
    const row = await confirmedBooking();
    const [checkIn, cancel] = await Promise.all([
      move(kiosk1, row, 'checked_in'),
      move(phone, row, 'cancelled'),
    ]);
    const applied = [checkIn, cancel].filter((r) => r.status === 'applied');
    expect(applied).toHaveLength(1);
    const refused = [checkIn, cancel].find((r) => r.status !== 'applied');
    expect(refused).toMatchObject({ status: 'rejected', code: 'transition' });
    expect(await statusOf(row.id)).toBe(checkIn.status === 'applied' ? 'checked_in' : 'cancelled');
  });

  it('at the same moment, a check-in and a no-show from two kiosks: the patient ends checked in', async () => {
    const row = await confirmedBooking();
    await Promise.all([move(kiosk1, row, 'no_show'), move(kiosk2, row, 'checked_in')]);
    expect(await statusOf(row.id)).toBe('checked_in');
  });
});

describe("the patient's phone learns what the clinic did through sync_pull", () => {
  it('confirmed, checked in, completed: each reaches the next pull', async () => {
    const booking = await appointmentIn(phone.patientId, nextSlot(), 'requested');
    let cursor = (await pull(phone.user.client)).cursor;
    let seen: Row = booking;
    for (const status of ['confirmed', 'checked_in', 'completed']) {
      expect(await move(kiosk1, seen, status)).toMatchObject({ status: 'applied' });
      const page = await pull(phone.user.client, cursor);
      cursor = page.cursor;
      const mine = page.changes.appointments.filter((a) => a.id === booking.id);
      expect(mine.map((a) => a.status)).toEqual([status]);
      seen = { ...booking, status };
    }
  });

  it("the kiosk's own pull carries the clinic's bookings but not the patient's profile", async () => {
    const booking = await confirmedBooking();
    const page = await pull(kiosk1.user.client);
    expect(page.changes.appointments.map((a) => a.id)).toContain(booking.id);
    expect(page.changes.patients.map((p) => p.id)).not.toContain(phone.patientId);
  });
});
