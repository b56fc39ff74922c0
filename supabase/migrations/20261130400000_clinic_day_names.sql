-- "Today at this clinic" on a kiosk (issue 9) names each appointment's patient. A patient who
-- registered on their own phone and booked a doctor of the clinic is not the clinic's patient
-- (patients.clinic_id is null), so RLS hides their row from the clinic's staff and the list showed
-- "—". Opening the profile to staff would give them far more than the list needs; instead this
-- function gives exactly what Today shows: the full name of each patient with an appointment on that
-- day (midnight to midnight in India, as the tablet counts it) with a doctor of the caller's own
-- clinic. A patient, staff of another clinic, or anyone who is not staff gets no rows; anon cannot
-- call it. One day per call: a list of everyone the clinic ever saw is not what Today needs.
create function public.clinic_day_names(p_day date)
returns table (patient_id uuid, full_name text)
language sql stable security definer
set search_path = ''
as $$
  select distinct p.id, p.full_name
    from public.appointments a
    join public.doctors d on d.id = a.doctor_id
    join public.patients p on p.id = a.patient_id
   where d.clinic_id = (select private.staff_clinic_id())
     and a.starts_at >= (p_day::timestamp at time zone 'Asia/Kolkata')
     and a.starts_at < ((p_day + 1)::timestamp at time zone 'Asia/Kolkata')
$$;

revoke all on function public.clinic_day_names(date) from public, anon;
grant execute on function public.clinic_day_names(date) to authenticated;
