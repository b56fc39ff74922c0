import { afterEach, describe, expect, it } from 'vitest';
import { ConsultDb } from '../../sync/stores/dexie-db.ts';
import { loadDoctorSlots } from './doctor-slots.ts';
import { freeSlots } from './use-reference-data.ts';

const dbs: ConsultDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

const doctor = '00000000-0000-4000-8000-00000000d0c1';
const other = '00000000-0000-4000-8000-00000000d0c2';
const slot = (n: number, doctorId = doctor) => ({
  id: `00000000-0000-4000-8000-00000000005${n}`,
  doctor_id: doctorId,
  starts_at: `2030-01-0${n}T04:30:00Z`,
  ends_at: `2030-01-0${n}T04:45:00Z`,
  mode: 'video',
  available: true,
});
const appointment = (n: number, slotId: string, status: string, doctorId = doctor) => ({
  id: `00000000-0000-4000-8000-0000000000a${n}`,
  patient_id: '00000000-0000-4000-8000-0000000000f1',
  doctor_id: doctorId,
  slot_id: slotId,
  starts_at: null,
  ends_at: null,
  mode: 'video',
  reason: 'Fever',
  status,
});

describe('loadDoctorSlots: a time this device already booked is not offered again', () => {
  it('marks taken the slots held by the device’s own requested or confirmed appointments, sent or not', async () => {
    const db = new ConsultDb(`doctor-slots-${crypto.randomUUID()}`);
    dbs.push(db);
    await db.slots.bulkPut([slot(1), slot(2), slot(3), slot(4), slot(5, other)]);
    await db.appointments.bulkPut([
      appointment(1, slot(1).id, 'requested'), // booked offline a minute ago
      appointment(2, slot(2).id, 'confirmed'),
      appointment(3, slot(3).id, 'cancelled'), // a cancelled booking frees its slot
      appointment(5, slot(5, other).id, 'requested', other),
    ]);
    const slots = await loadDoctorSlots(db, doctor);
    const free = freeSlots(slots, new Date('2029-12-31T00:00:00Z')).map((s) => s.id);
    expect(free).toEqual([slot(3).id, slot(4).id]);
  });
});
