/** The patient's appointments with their sync state, live; undefined while anything is loading. */
import { useEffect, useState } from 'react';
import { type AppointmentView, appointmentRow, buildAppointmentViews } from './appointment-view.ts';
import { otherAccountRows, ownAppointments } from './own-rows.ts';
import { useOwnPatient } from './use-patient.ts';
import { useClinics, useDoctors } from './use-reference-data.ts';
import { useRowsWithOutbox } from './use-rows-with-outbox.ts';
import { useSessionUser } from './use-session-user.ts';

/** The current time, refreshed every `everyMs`, for things that change with the clock (Join, past). */
export function useNow(everyMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function useAppointments(): AppointmentView[] | undefined {
  // Rows and outbox from one read, so a row never shows "sent" before its queued write is seen.
  const read = useRowsWithOutbox('appointments', appointmentRow);
  const doctors = useDoctors();
  const clinics = useClinics();
  const own = useOwnPatient();
  const now = useNow();
  const user = useSessionUser();
  if (!read || !doctors || !clinics || own === undefined) return undefined;
  const queued = new Set(read.outbox.filter((m) => m.entity === 'appointments').map((m) => m.key));
  // Another account's queued bookings are not the user's: listed apart (attention-elsewhere.tsx).
  const others = otherAccountRows(read.outbox, user);
  const rows = ownAppointments(read.rows, own?.id ?? null, queued).filter(
    (a) => !others.has(`appointments:${a.id}`),
  );
  return buildAppointmentViews({ rows, doctors, clinics, outbox: read.outbox, now });
}
