/**
 * Today's list as true as the tablet can make it: the list last read from the server (live, or
 * sealed on the device when offline), with this tablet's own writes that the server has not taken
 * yet laid over it in the order they were made: a walk-in booked offline today appears, a status
 * change not yet sent shows its new status, an appointment moved to another day or cancelled away
 * leaves. Pure, so the offline list is unit-tested.
 */

import { appointmentFields } from '../../sync/entities.ts';
import type { LocalMutation } from '../../sync/local-mutation.ts';
import { clinicDayBounds, NO_NAME, type TodayItem } from './kiosk-today.ts';

/** Patient names the tablet knows: those of the list, then those of patients written on it. */
function knownNames(items: readonly TodayItem[], outbox: readonly LocalMutation[]): Map<string, string> {
  const names = new Map<string, string>();
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

export function withQueuedWrites(
  items: readonly TodayItem[],
  outbox: readonly LocalMutation[],
  doctorIds: readonly string[],
  now: Date,
): TodayItem[] {
  const { from, to } = clinicDayBounds(now);
  const [start, end] = [Date.parse(from), Date.parse(to)];
  const names = knownNames(items, outbox);
  const list = new Map(items.map((i) => [i.id, i]));
  for (const m of [...outbox].sort((a, b) => a.seq - b.seq)) {
    if (m.entity !== 'appointments') continue;
    const parsed = m.op === 'upsert' ? appointmentFields.safeParse(m.data) : null;
    if (!parsed?.success) {
      // A delete, or data this version cannot read: it is not on today's list as the tablet sees it.
      if (m.op === 'delete') list.delete(m.key);
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
