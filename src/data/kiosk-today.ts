/**
 * "Today at this clinic": the day's appointments with the clinic's doctors, read from the server when
 * a staff member opens the screen (kept on the device only sealed under the PIN: kiosk-day-vault.ts).
 * The names come from `clinic_day_names`, which names to the clinic's staff the patients who
 * registered on their own phones too (RLS hides those profiles from staff, and should).
 * Each item carries the row as read, so staff can move it along the state machine (kiosk-status.ts).
 * Also: a returning patient's appointment today, for checking in at the tablet.
 */
import { type Appointment, appointmentFields } from '../../sync/entities.ts';
import { withoutHiddenCharacters } from '../../sync/free-text.ts';
import { parseStored } from '../../sync/stored-row.ts';
import { clinicToday } from './consult-request.ts';
import type { Services } from './services.ts';

export interface TodayItem {
  id: string;
  doctorId: string | null;
  startsAt: string | null;
  status: string;
  mode: string;
  patientName: string;
  /**
   * The row as the server sent it, read by its shape (stored-row.ts: a reason kept from before a
   * rule is still an appointment); null when this version cannot read it (then shown, not moved).
   */
  row: Appointment | null;
}

/** The columns a status write needs (the entity's own fields). */
const COLUMNS =
  'id, patient_id, doctor_id, slot_id, starts_at, ends_at, mode, reason, status, requested_specialty, ' +
  'preferred_date, preferred_window, version';

/** Clinic-time midnight to midnight, as UTC instants (India has no daylight saving). */
export function clinicDayBounds(now: Date): { from: string; to: string } {
  const day = clinicToday(now);
  const from = new Date(`${day}T00:00:00+05:30`);
  return { from: from.toISOString(), to: new Date(from.getTime() + 86_400_000).toISOString() };
}

/** Shown when the server names nobody for the appointment (the patient row is gone, say). */
export const NO_NAME = '—';

export function todayItem(raw: unknown, names: ReadonlyMap<string, string>): TodayItem {
  const row = raw as Record<string, unknown>;
  const parsed = parseStored(appointmentFields, row);
  const name = typeof row.patient_id === 'string' ? names.get(row.patient_id) : undefined;
  return {
    id: String(row.id),
    doctorId: typeof row.doctor_id === 'string' ? row.doctor_id : null,
    startsAt: typeof row.starts_at === 'string' ? row.starts_at : null,
    status: String(row.status),
    mode: String(row.mode),
    patientName: name ?? NO_NAME,
    row: parsed ?? null,
  };
}

/** `clinic_day_names`'s answer as a map from patient id to name; rows of another shape are skipped. */
export function namesOf(data: unknown): Map<string, string> {
  const names = new Map<string, string>();
  for (const r of Array.isArray(data) ? (data as Record<string, unknown>[]) : []) {
    // A name stored before the hidden-character rules is shown as its characters are, not as they pose.
    if (typeof r.patient_id === 'string' && typeof r.full_name === 'string')
      names.set(r.patient_id, withoutHiddenCharacters(r.full_name));
  }
  return names;
}

/**
 * Whether the device says it is online. Offline, the server is not asked at all: supabase-js retries
 * a failed GET three times, 1 + 2 + 4 s apart, so Today said "Loading…" and a returning patient saw
 * "Looking for your appointment today…" for seven seconds before the tablet's own copy showed.
 */
export const deviceOnline = (): boolean => typeof navigator === 'undefined' || navigator.onLine;

export async function loadToday(
  services: Pick<Services, 'supabase'>,
  doctorIds: readonly string[],
  now: Date,
  online: () => boolean = deviceOnline,
): Promise<TodayItem[]> {
  if (doctorIds.length === 0) return [];
  if (!online()) throw new Error('offline');
  const { from, to } = clinicDayBounds(now);
  const client = await services.supabase();
  const [appointments, names] = await Promise.all([
    client
      .from('appointments')
      .select(COLUMNS)
      .in('doctor_id', [...doctorIds])
      .gte('starts_at', from)
      .lt('starts_at', to)
      .order('starts_at'),
    client.rpc('clinic_day_names', { p_day: clinicToday(now) }),
  ]);
  if (appointments.error) throw new Error(appointments.error.message);
  if (names.error) throw new Error(names.error.message);
  const byId = namesOf(names.data);
  return (appointments.data ?? []).map((row) => todayItem(row, byId));
}

/** What staff may check in to: moved on from `requested` by the clinic (sync/entities.ts). */
export function canCheckIn(row: Appointment): boolean {
  return row.status === 'confirmed' || row.status === 'no_show';
}

/**
 * Today's appointment of a patient: one staff may still check in to, first by time; else one still
 * waiting for the clinic to confirm (a walk-in booked at the tablet this morning), so the patient
 * hears of it instead of "no appointment, book one" and a second booking.
 */
export function checkInCandidate(
  rows: readonly Appointment[],
  patientId: string,
  now: Date,
): Appointment | null {
  const { from, to } = clinicDayBounds(now);
  // As instants: the server writes "+00:00" where the bounds say "Z", so the texts do not compare.
  const [start, end] = [Date.parse(from), Date.parse(to)];
  const at = (r: Appointment) => Date.parse(r.starts_at ?? '');
  const fits = rows.filter(
    (r) =>
      r.patient_id === patientId &&
      at(r) >= start &&
      at(r) < end &&
      (canCheckIn(r) || r.status === 'requested'),
  );
  fits.sort((a, b) => Number(canCheckIn(b)) - Number(canCheckIn(a)) || at(a) - at(b));
  return fits[0] ?? null;
}

/**
 * A returning patient's appointment today: from the device (a booking it still holds), else from
 * the server when online; null when neither knows one (offline, the device holds none). Check
 * `canCheckIn`: it may be one still waiting for the clinic.
 */
export async function findTodayAppointment(
  services: Pick<Services, 'store' | 'supabase'>,
  patientId: string,
  now: Date,
  online: () => boolean = deviceOnline,
): Promise<Appointment | null> {
  const stored = (await services.store.listRows('appointments')).flatMap((r) => {
    const parsed = parseStored(appointmentFields, r);
    return parsed ? [parsed] : [];
  });
  const local = checkInCandidate(stored, patientId, now);
  // One still waiting here may have been confirmed since: the server, when online, knows.
  if ((local && canCheckIn(local)) || !online()) return local;
  try {
    const client = await services.supabase();
    const { from, to } = clinicDayBounds(now);
    const { data, error } = await client
      .from('appointments')
      .select(COLUMNS)
      .eq('patient_id', patientId)
      .gte('starts_at', from)
      .lt('starts_at', to);
    if (error) return local;
    const rows = (data ?? []).flatMap((r) => {
      const parsed = parseStored(appointmentFields, r);
      return parsed ? [parsed] : [];
    });
    return checkInCandidate([...rows, ...(local ? [local] : [])], patientId, now);
  } catch {
    // Offline: what the device holds, if anything; the screen says plainly when that is none.
    return local;
  }
}
