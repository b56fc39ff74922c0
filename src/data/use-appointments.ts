/** The patient's appointments with their sync state, live; undefined while anything is loading. */
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { type AppointmentView, appointmentRow, buildAppointmentViews } from './appointment-view.ts';
import { parseRows } from './reference-rows.ts';
import { useServices } from './services-context.tsx';
import { useOutbox } from './use-outbox.ts';
import { useClinics, useDoctors } from './use-reference-data.ts';

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
  const { db } = useServices();
  const rows = useLiveQuery(async () => parseRows(appointmentRow, await db.appointments.toArray()), [db]);
  const doctors = useDoctors();
  const clinics = useClinics();
  const outbox = useOutbox();
  const now = useNow();
  if (!rows || !doctors || !clinics || !outbox) return undefined;
  return buildAppointmentViews({ rows, doctors, clinics, outbox, now });
}
