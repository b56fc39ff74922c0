-- Row level security: a patient reads and writes only their own patient row and its appointments;
-- kiosk staff act only for patients of their clinic; anon reads nothing personal. Reference data is
-- readable by any signed-in user. One policy per command; a command with no policy is refused.
--
-- Helpers are security definer so a policy on appointments does not re-enter the policies on
-- patients per row, and `stable` so `(select …)` evaluates them once per statement.

create function private.staff_clinic_id() returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select s.clinic_id from public.staff s where s.user_id = (select auth.uid())
$$;

-- The patients the caller acts for: their own row, or every patient of their clinic.
create function private.my_patient_ids() returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select p.id from public.patients p where p.user_id = (select auth.uid())
  union all
  select p.id from public.patients p
  where p.clinic_id = (select s.clinic_id from public.staff s where s.user_id = (select auth.uid()))
$$;

-- Whether a row exists regardless of who may see it: sync_push tells "someone else's row"
-- (forbidden) from "no such row" (missing_parent / a new row).
create function private.row_exists(entity text, row_id uuid) returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if entity = 'patients' then
    return exists (select from public.patients where id = row_id);
  elsif entity = 'appointments' then
    return exists (select from public.appointments where id = row_id);
  end if;
  return false;
end;
$$;

revoke all on function private.staff_clinic_id() from public;
revoke all on function private.my_patient_ids() from public;
revoke all on function private.row_exists(text, uuid) from public;
grant execute on function private.staff_clinic_id() to authenticated, service_role;
grant execute on function private.my_patient_ids() to authenticated, service_role;
grant execute on function private.row_exists(text, uuid) to authenticated, service_role;

-- Privileges first (Supabase grants everything by default): anon gets nothing personal at all, and
-- tables that only the back office or the sync functions write are read-only for API roles.
revoke all on public.patients, public.appointments, public.staff, public.sync_ledger, public.sync_tombstones
  from anon;
revoke insert, update, delete, truncate on public.clinics, public.doctors, public.slots from anon, authenticated;
revoke insert, update, delete, truncate on public.staff, public.sync_ledger, public.sync_tombstones
  from authenticated;
revoke truncate on public.patients, public.appointments from authenticated;

alter table public.clinics enable row level security;
alter table public.doctors enable row level security;
alter table public.slots enable row level security;
alter table public.staff enable row level security;
alter table public.patients enable row level security;
alter table public.appointments enable row level security;
alter table public.sync_ledger enable row level security;
alter table public.sync_tombstones enable row level security;

-- Reference data.
create policy clinics_select on public.clinics for select to authenticated using (true);
create policy doctors_select on public.doctors for select to authenticated using (true);
create policy slots_select on public.slots for select to authenticated using (true);

-- Staff see their own membership (the app uses it to switch into kiosk mode).
create policy staff_select on public.staff for select to authenticated
  using (user_id = (select auth.uid()));

-- Patients. A patient creates only their own row; staff create only walk-ins of their clinic that
-- they registered. Ownership cannot change afterwards (trigger patients_10_guard_owner).
create policy patients_select on public.patients for select to authenticated
  using (user_id = (select auth.uid()) or clinic_id = (select private.staff_clinic_id()));

create policy patients_insert on public.patients for insert to authenticated
  with check (
    (user_id = (select auth.uid()) and registered_by is null and clinic_id is null)
    or (
      user_id is null
      and registered_by = (select auth.uid())
      and clinic_id = (select private.staff_clinic_id())
    )
  );

create policy patients_update on public.patients for update to authenticated
  using (user_id = (select auth.uid()) or clinic_id = (select private.staff_clinic_id()))
  with check (user_id = (select auth.uid()) or clinic_id = (select private.staff_clinic_id()));

create policy patients_delete on public.patients for delete to authenticated
  using (user_id = (select auth.uid()) or clinic_id = (select private.staff_clinic_id()));

-- Appointments follow their patient.
create policy appointments_select on public.appointments for select to authenticated
  using (patient_id in (select private.my_patient_ids()));

create policy appointments_insert on public.appointments for insert to authenticated
  with check (patient_id in (select private.my_patient_ids()));

create policy appointments_update on public.appointments for update to authenticated
  using (patient_id in (select private.my_patient_ids()))
  with check (patient_id in (select private.my_patient_ids()));

create policy appointments_delete on public.appointments for delete to authenticated
  using (patient_id in (select private.my_patient_ids()));

-- The ledger and tombstones are written only by sync_push and triggers (security definer).
create policy sync_ledger_select on public.sync_ledger for select to authenticated
  using (user_id = (select auth.uid()));

create policy sync_tombstones_select on public.sync_tombstones for select to authenticated
  using (owner_user_id = (select auth.uid()) or clinic_id = (select private.staff_clinic_id()));
