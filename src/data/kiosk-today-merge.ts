/**
 * Today's list as true as the tablet can make it: the list last read from the server (live, or
 * sealed on the device when offline), with what the tablet itself wrote laid over it in the order it
 * was written: first what the patient side dropped for staff (kiosk-drop-box.ts: its bookings and
 * check-ins, sent or not), then the outbox (writes the server has not taken yet). A walk-in booked
 * offline today appears, a status change not yet sent shows its new status, an appointment moved to
 * another day leaves. Pure, so the offline list is unit-tested.
 */

import { appointmentFields } from '../../sync/entities.ts';
import type { LocalMutation } from '../../sync/local-mutation.ts';
import type { Drop } from './kiosk-drop-box.ts';
import { clinicDayBounds, NO_NAME, type TodayItem } from './kiosk-today.ts';

/** Patient names the tablet knows: the dropped ones, the list's, then those of patients written. */
function knownNames(
  items: readonly TodayItem[],
  drops: readonly Drop[],
  outbox: readonly LocalMutation[],
): Map<string, string> {
  const names = new Map<string, string>();
  // The server's full name wins over a dropped one (a returning patient is dropped by first name).
  for (const d of drops) if (d.patient) names.set(d.patient.id, d.patient.name);
  for (const i of items) if (i.row && i.patientName !== NO_NAME) names.set(i.row.patient_id, i.patientName);
  for (const m of outbox) {
    const name = m.entity === 'patients' && m.op === 'upsert' ? m.data?.full_name : undefined;
    if (typeof name === 'string') names.set(m.key, name);
  }
  return names;
}

function byTime(a: TodayItem, b: TodayItem): number {
  return Date.parse(a.startsAt ?? '') - Date.parse(b.startsAt ?? '') || a.id.localeCompare(b.id);
}

/** One write of the tablet, as the list takes it. */
interface Write {
  key: string;
  /** null: a delete, or data this version cannot read. */
  data: unknown;
}

export function withQueuedWrites(
  items: readonly TodayItem[],
  outbox: readonly LocalMutation[],
  doctorIds: readonly string[],
  now: Date,
  drops: readonly Drop[] = [],
  /** When `items` were read from the server; null when there is no such list. */
  loadedAt: string | null = null,
): TodayItem[] {
  const { from, to } = clinicDayBounds(now);
  const [start, end] = [Date.parse(from), Date.parse(to)];
  const names = knownNames(items, drops, outbox);
  const list = new Map(items.map((i) => [i.id, i]));
  const loaded = new Set(list.keys());
  // A drop from before the list was read is in it already, newer changes from other devices
  // included; it only adds an appointment the list does not have (sent after it was read).
  const dropped: Write[] = drops.flatMap((d) => {
    const key = typeof d.appointment?.id === 'string' ? d.appointment.id : null;
    if (!key || (loadedAt !== null && d.at <= loadedAt && loaded.has(key))) return [];
    return [{ key, data: d.appointment }];
  });
  const queued: Write[] = [...outbox]
    .sort((a, b) => a.seq - b.seq)
    .filter((m) => m.entity === 'appointments')
    .map((m) => ({ key: m.key, data: m.op === 'upsert' ? m.data : null }));
  for (const w of [...dropped, ...queued]) {
    const parsed = w.data === null ? null : appointmentFields.safeParse(w.data);
    if (!parsed?.success) {
      // A delete, or data this version cannot read: it is not on today's list as the tablet sees it.
      if (w.data === null) list.delete(w.key);
      continue;
    }
    const row = parsed.data;
    const at = Date.parse(row.starts_at ?? '');
    const today = at >= start && at < end && row.doctor_id !== null && doctorIds.includes(row.doctor_id);
    if (!today) {
      list.delete(row.id);
      continue;
    }
    list.set(row.id, {
      id: row.id,
      doctorId: row.doctor_id,
      startsAt: row.starts_at,
      status: row.status,
      mode: row.mode,
      patientName: names.get(row.patient_id) ?? list.get(row.id)?.patientName ?? NO_NAME,
      row,
    });
  }
  return [...list.values()].sort(byTime);
}

/** The writes that left the outbox between two readings of it: sent, or discarded by staff. */
export function leftOutbox(
  before: readonly LocalMutation[],
  after: readonly LocalMutation[],
): LocalMutation[] {
  const still = new Set(after.map((m) => m.id));
  return before.filter((m) => !still.has(m.id));
}

/**
 * Of the writes that left the outbox (`leftOutbox`), those the server took: not those that left
 * refused (a rejected write, or one held behind it, is discarded by staff, never taken).
 */
export function sentWrites(left: readonly LocalMutation[]): LocalMutation[] {
  return left.filter((m) => m.state !== 'rejected' && m.state !== 'blocked');
}
