/**
 * "Today at this clinic": the day's appointments of the clinic's patients, read from the server when
 * a staff member opens the screen, and kept in memory only (the device keeps no patient's rows).
 * Read-only: the check-in, no-show and staff transitions belong to the server's state machine.
 */
import { clinicToday } from './consult-request.ts';
import type { Services } from './services.ts';

export interface TodayItem {
  id: string;
  doctorId: string | null;
  startsAt: string | null;
  status: string;
  mode: string;
  patientName: string;
}

/** Clinic-time midnight to midnight, as UTC instants (India has no daylight saving). */
export function clinicDayBounds(now: Date): { from: string; to: string } {
  const day = clinicToday(now);
  const from = new Date(`${day}T00:00:00+05:30`);
  return { from: from.toISOString(), to: new Date(from.getTime() + 86_400_000).toISOString() };
}

export async function loadToday(
  services: Pick<Services, 'supabase'>,
  doctorIds: readonly string[],
  now: Date,
): Promise<TodayItem[]> {
  if (doctorIds.length === 0) return [];
  const { from, to } = clinicDayBounds(now);
  const client = await services.supabase();
  const { data, error } = await client
    .from('appointments')
    .select('id, doctor_id, starts_at, status, mode, patients(full_name)')
    .in('doctor_id', [...doctorIds])
    .gte('starts_at', from)
    .lt('starts_at', to)
    .order('starts_at');
  if (error) throw new Error(error.message);
  return (data ?? []).map((r) => {
    const row = r as Record<string, unknown>;
    const patient = row.patients as { full_name?: unknown } | null;
    return {
      id: String(row.id),
      doctorId: typeof row.doctor_id === 'string' ? row.doctor_id : null,
      startsAt: typeof row.starts_at === 'string' ? row.starts_at : null,
      status: String(row.status),
      mode: String(row.mode),
      patientName: typeof patient?.full_name === 'string' ? patient.full_name : '—',
    };
  });
}
