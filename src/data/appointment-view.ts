/**
 * An appointment as the screens show it: the row, its doctor and clinic, and where it stands on its
 * way to the clinic. Pure, so the list logic is tested without React or IndexedDB.
 */
import { z } from 'zod';
import { appointmentFields } from '../../sync/entities.ts';
import type { LocalMutation } from '../../sync/local-mutation.ts';
import { groupByRow, type ItemSyncState, itemSyncState } from './item-sync-state.ts';
import type { Clinic, Doctor } from './reference-rows.ts';

/** The synced row plus what the server may add (the video room link of a confirmed consultation). */
export const appointmentRow = appointmentFields.extend({
  join_url: z.string().nullable().optional(),
});
export type AppointmentRow = z.infer<typeof appointmentRow>;

export interface AppointmentView {
  row: AppointmentRow;
  doctor: Doctor | null;
  clinic: Clinic | null;
  sync: ItemSyncState;
  upcoming: boolean;
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
  const groups = groupByRow(input.outbox);
  return input.rows
    .map((row) => {
      const doctor = doctors.get(row.doctor_id) ?? null;
      const entries = groups.get(`appointments:${row.id}`) ?? [];
      const patientEntries = groups.get(`patients:${row.patient_id}`) ?? [];
      let sync = itemSyncState(entries, input.outbox);
      // A booking whose profile was refused cannot be sent either: show the profile's problem here.
      const patientSync = itemSyncState(patientEntries, input.outbox);
      if (sync.kind !== 'attention' && sync.kind !== 'synced' && patientSync.kind === 'attention')
        sync = patientSync;
      return {
        row,
        doctor,
        clinic: doctor ? (clinics.get(doctor.clinic_id) ?? null) : null,
        sync,
        upcoming: isActive(row) && Date.parse(row.ends_at) > input.now.getTime(),
      };
    })
    .sort((a, b) => Date.parse(a.row.starts_at) - Date.parse(b.row.starts_at));
}

/** The Join link, only for a confirmed video consultation from 10 minutes before it starts to its end. */
export function joinLink(row: AppointmentRow, now: Date): string | null {
  if (row.mode !== 'video' || row.status !== 'confirmed' || !row.join_url) return null;
  const start = Date.parse(row.starts_at);
  const end = Date.parse(row.ends_at);
  const t = now.getTime();
  return t >= start - JOIN_OPENS_MS && t < end ? row.join_url : null;
}
