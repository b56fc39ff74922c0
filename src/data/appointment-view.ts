/**
 * An appointment as the screens show it: the row, its doctor and clinic, and where it stands on its
 * way to the clinic. Pure, so the list logic is tested without React or IndexedDB.
 */
import { z } from 'zod/mini';
import { appointmentFields } from '../../sync/entities.ts';
import type { LocalMutation } from '../../sync/local-mutation.ts';
import { clinicToday, isOpenRequest, PREFERRED_WINDOWS } from './consult-request.ts';
import { type ItemSyncState, rowSyncStates } from './item-sync-state.ts';
import type { Clinic, Doctor } from './reference-rows.ts';

/**
 * The synced row plus what the server may add (the video room link of a confirmed consultation). A
 * request by specialty (consult-request.ts) has no slot, doctor or times until the server books it.
 */
export const appointmentRow = z.extend(appointmentFields, {
  doctor_id: z.nullable(z.uuid()),
  slot_id: z.nullable(z.uuid()),
  starts_at: z.nullable(z.string()),
  ends_at: z.nullable(z.string()),
  requested_specialty: z.optional(z.nullable(z.string())),
  preferred_date: z.optional(z.nullable(z.string())),
  preferred_window: z.optional(z.nullable(z.enum(PREFERRED_WINDOWS))),
  join_url: z.optional(z.nullable(z.string())),
});
export type AppointmentRow = z.infer<typeof appointmentRow>;

export interface AppointmentView {
  row: AppointmentRow;
  doctor: Doctor | null;
  clinic: Clinic | null;
  sync: ItemSyncState;
  upcoming: boolean;
  /** A request by specialty that the server has not booked yet (no doctor or time to show). */
  openRequest: boolean;
}

/** When it happens, for ordering: the start, else the preferred day (a request not booked yet). */
function sortKey(row: AppointmentRow): number {
  if (row.starts_at) return Date.parse(row.starts_at);
  return row.preferred_date ? Date.parse(`${row.preferred_date}T00:00:00+05:30`) : Number.MAX_SAFE_INTEGER;
}

/** Still ahead: before its end, or for an open request, its preferred day not past (clinic time). */
function isUpcoming(row: AppointmentRow, now: Date): boolean {
  // Checked in at the clinic: no longer cancellable, but the visit is still ahead until it ends.
  if (!isActive(row) && row.status !== 'checked_in') return false;
  if (row.ends_at) return Date.parse(row.ends_at) > now.getTime();
  return !row.preferred_date || row.preferred_date >= clinicToday(now);
}

/** Join opens this long before the start, and stays while the consultation runs. */
export const JOIN_OPENS_MS = 10 * 60 * 1000;

export function isActive(row: AppointmentRow): boolean {
  return row.status === 'requested' || row.status === 'confirmed';
}

export function buildAppointmentViews(input: {
  rows: readonly AppointmentRow[];
  doctors: readonly Doctor[];
  clinics: readonly Clinic[];
  outbox: readonly LocalMutation[];
  now: Date;
}): AppointmentView[] {
  const doctors = new Map(input.doctors.map((d) => [d.id, d]));
  const clinics = new Map(input.clinics.map((c) => [c.id, c]));
  const syncOf = rowSyncStates(input.outbox);
  return input.rows
    .map((row) => {
      const doctor = row.doctor_id ? (doctors.get(row.doctor_id) ?? null) : null;
      const sync = syncOf('appointments', row);
      return {
        row,
        doctor,
        clinic: doctor ? (clinics.get(doctor.clinic_id) ?? null) : null,
        sync,
        upcoming: isUpcoming(row, input.now),
        openRequest: isOpenRequest(row),
      };
    })
    .sort((a, b) => sortKey(a.row) - sortKey(b.row));
}

/** When the Join link may show: from 10 minutes before the start to the end (ms since epoch). */
export function joinWindow(row: AppointmentRow): { opens: number; closes: number } | null {
  // The server keeps a video room through the check-in (trigger appointments_25_join_url).
  if (row.mode !== 'video' || (row.status !== 'confirmed' && row.status !== 'checked_in') || !row.join_url)
    return null;
  if (!row.starts_at || !row.ends_at) return null;
  const start = Date.parse(row.starts_at);
  const end = Date.parse(row.ends_at);
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  return { opens: start - JOIN_OPENS_MS, closes: end };
}

/** The Join link, only for a confirmed (or checked-in) video consultation from 10 minutes before it starts to its end. */
export function joinLink(row: AppointmentRow, now: Date): string | null {
  const w = joinWindow(row);
  const t = now.getTime();
  return w && t >= w.opens && t < w.closes ? webAddress(row.join_url) : null;
}

/**
 * Only a web address becomes a link. The server sets `join_url`, but the row is read from the
 * device's database, which a bug or a hand edit can change: a `javascript:` or `data:` address
 * there would run in the app's origin when tapped.
 */
function webAddress(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

/** The next moment the link appears or goes (for a timer), or null when it never changes again. */
export function nextJoinChange(row: AppointmentRow, now: Date): number | null {
  const w = joinWindow(row);
  const t = now.getTime();
  if (!w || t >= w.closes) return null;
  return t < w.opens ? w.opens : w.closes;
}
