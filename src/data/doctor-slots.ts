/**
 * A doctor's slots as this device knows them. The server's copy of a slot says free until a booking
 * reaches it, so the slots this device's own appointments hold (booked, or still waiting to be sent)
 * are marked taken here: offering the time again would only end in a refusal of the patient's own
 * second booking.
 */
import { SLOT_HOLDING_STATUSES } from '../../sync/entities.ts';
import type { ConsultDb } from '../../sync/stores/dexie-db.ts';
import { parseRows, type Slot, slotRow } from './reference-rows.ts';

export function withHeldSlots(slots: readonly Slot[], appointments: readonly unknown[]): Slot[] {
  const held = new Set<string>();
  for (const a of appointments) {
    const row = a as { slot_id?: unknown; status?: unknown };
    if (typeof row.slot_id === 'string' && SLOT_HOLDING_STATUSES.some((s) => s === row.status))
      held.add(row.slot_id);
  }
  return slots.map((s) => (held.has(s.id) ? { ...s, available: false } : s));
}

export async function loadDoctorSlots(db: ConsultDb, doctorId: string): Promise<Slot[]> {
  const [slots, appointments] = await Promise.all([
    db.slots.where('doctor_id').equals(doctorId).toArray(),
    db.appointments.where('[doctor_id+slot_id]').between([doctorId, ''], [doctorId, '\uffff']).toArray(),
  ]);
  return withHeldSlots(parseRows(slotRow, slots), appointments);
}
