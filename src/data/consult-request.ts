/**
 * A consultation requested by specialty, for a phone that has never received availability (first use
 * offline): an appointment row with no slot, doctor or times, and instead the specialty, mode and the
 * preferred day and time window (clinic time, Asia/Kolkata). When it syncs, the server books the first
 * free matching slot and fills slot, doctor and times in the canonical row, or refuses it with
 * `no_slot` and a reason; the patient then picks another day or window (re-queued) or discards it.
 *
 * The row is validated by the appointment entity's own schema (sync/entities.ts), through the one
 * write path; the only rule added here is one the schema cannot know: the preferred day is not
 * already past in the clinic.
 */
import type { z } from 'zod/mini';
import {
  type APPOINTMENT_MODES,
  type Appointment,
  PREFERRED_WINDOWS,
  SPECIALTIES,
} from '../../sync/entities.ts';
import type { MutationError } from '../../sync/local-mutation.ts';
import { CLINIC_TIME_ZONE, clinicDayKey } from '../i18n/clinic-time.ts';
import { newUuid } from '../lib/uuid.ts';
import type { AppointmentRow } from './appointment-view.ts';
import { editableFields } from './appointment-writes.ts';
import { writeEntity } from './entity-writes.ts';
import type { Services } from './services.ts';
import type { WriteResult } from './write-result.ts';

export { CLINIC_TIME_ZONE, PREFERRED_WINDOWS };
export type PreferredWindow = (typeof PREFERRED_WINDOWS)[number];

/** The specialties a request may name: the server's list. */
export const REQUEST_SPECIALTIES: readonly string[] = SPECIALTIES;

/** Today in the clinic's time zone, as YYYY-MM-DD. */
export function clinicToday(now: Date): string {
  return clinicDayKey(now);
}

/** When each window ends, in minutes after midnight on the clinic's clock (sync/entities.ts). */
const WINDOW_END: Readonly<Record<PreferredWindow, number>> = {
  morning: 12 * 60,
  afternoon: 17 * 60,
  evening: 21 * 60,
  any: 24 * 60,
};
/** When the day's last window ends (evening, 17:00–21:00 clinic time). */
const LAST_WINDOW_END = WINDOW_END.evening;

/** Minutes after midnight on the clinic's clock. */
function clinicMinutes(now: Date): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: CLINIC_TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return part('hour') * 60 + part('minute');
}

/**
 * The days a patient may prefer: today (clinic time) and the `count - 1` after it. Today only until
 * its last window ends: the server books a time after now within the window, so a request for
 * "today" made at 23:30 at the clinic could only be refused ("no free time matched").
 */
export function requestDays(now: Date, count = 14): string[] {
  const [y, m, d] = clinicToday(now).split('-').map(Number);
  const today = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
  const first = clinicMinutes(now) >= LAST_WINDOW_END ? today + 86_400_000 : today;
  return Array.from({ length: count }, (_, i) => new Date(first + i * 86_400_000).toISOString().slice(0, 10));
}

export interface RequestInput {
  patientId: string;
  specialty: string;
  mode: (typeof APPOINTMENT_MODES)[number];
  preferredDate: string;
  preferredWindow: PreferredWindow;
  reason: string;
}

/** A request as built from the patient's choices, before the entity schema checks the specialty. */
export type RequestCandidate = Omit<Appointment, 'requested_specialty'> & { requested_specialty: string };

export function newConsultationRequest(input: RequestInput, id: string = newUuid()): RequestCandidate {
  return {
    id,
    patient_id: input.patientId,
    doctor_id: null,
    slot_id: null,
    starts_at: null,
    ends_at: null,
    requested_specialty: input.specialty,
    preferred_date: input.preferredDate,
    preferred_window: input.preferredWindow,
    mode: input.mode,
    reason: input.reason,
    status: 'requested',
  };
}

/**
 * The times of day a request for `day` can still be met in: all of them, but on the clinic's today
 * only those not over yet. The server books a free time after now within the window: "today,
 * morning" asked at 15:00 at the clinic could only be refused ("no free time matched").
 */
export function openWindows(day: string | null | undefined, now: Date): PreferredWindow[] {
  if (day !== clinicToday(now)) return [...PREFERRED_WINDOWS];
  const minutes = clinicMinutes(now);
  return PREFERRED_WINDOWS.filter((w) => WINDOW_END[w] > minutes);
}

/** A window already over on the clinic's today (a form left open, or its choice made earlier). */
export function windowOverIssue(
  candidate: { preferred_date?: string | null; preferred_window?: PreferredWindow | null },
  now: Date,
): z.core.$ZodIssue | null {
  const { preferred_date: day, preferred_window: window } = candidate;
  if (!day || !window || openWindows(day, now).includes(window)) return null;
  return { code: 'custom', path: ['preferred_window'], message: 'is already over today', input: window };
}

/** The preferred day must not be already past in the clinic (the entity schema has no clock). */
export function pastDayIssue(
  candidate: { preferred_date?: string | null },
  now: Date,
): z.core.$ZodIssue | null {
  const day = candidate.preferred_date;
  if (!day || day >= clinicToday(now)) return null;
  return { code: 'custom', path: ['preferred_date'], message: 'cannot be in the past', input: day };
}

/** What the server still has to do: a request no slot has been found for yet. */
export function isOpenRequest<T extends { slot_id?: string | null; requested_specialty?: string | null }>(
  row: T,
): row is T & { requested_specialty: string } {
  return !row.slot_id && typeof row.requested_specialty === 'string';
}

/** The server's "no free slot matched" refusal (`no_slot` in sync/protocol.ts). */
export function isNoSlot(error: MutationError | null | undefined): boolean {
  return error?.code === 'no_slot';
}

function writeRequest(
  services: Pick<Services, 'store'>,
  candidate: { preferred_date?: string | null; preferred_window?: PreferredWindow | null },
  now: Date,
  replacesRejected: boolean,
): Promise<WriteResult<Appointment>> {
  const past = pastDayIssue(candidate, now) ?? windowOverIssue(candidate, now);
  if (past) return Promise.resolve({ ok: false, issues: [past] });
  return writeEntity(services.store, 'appointments', candidate, { replacesRejected });
}

export function requestConsultation(
  services: Pick<Services, 'store'>,
  input: RequestInput,
  now: Date = new Date(),
): Promise<WriteResult<Appointment>> {
  return writeRequest(services, newConsultationRequest(input), now, false);
}

/**
 * Fixes a request the server could not book (`no_slot`): the same appointment, for another day or
 * window, takes the place of the refused write, keeping its id and place in the list.
 */
export function requestAgain(
  services: Pick<Services, 'store'>,
  row: AppointmentRow,
  change: { preferredDate: string; preferredWindow: PreferredWindow },
  now: Date = new Date(),
): Promise<WriteResult<Appointment>> {
  const candidate = {
    ...editableFields(row),
    preferred_date: change.preferredDate,
    preferred_window: change.preferredWindow,
  };
  return writeRequest(services, candidate, now, true);
}
