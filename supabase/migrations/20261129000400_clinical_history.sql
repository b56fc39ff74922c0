-- Patients cancel; they never delete clinical history (issue 8, part 5). A patient (or a kiosk)
-- could hard-delete a confirmed or completed appointment over the Data API or through sync_push,
-- and deleting their profile took its appointments with it. Now a device's delete of a confirmed
-- or completed appointment, or of a patient who has one, is refused (`forbidden`, SQLSTATE CS400):
-- cancel instead. Requested, cancelled and rejected appointments hold no clinical record and may
-- still be deleted. The back office (service role) and account erasure (deleting the auth user,
-- which cascades as the table owner) are not bound.

create function private.keep_clinical_history() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user not in ('anon', 'authenticated') then
    return old;
  end if;
  if tg_table_name = 'appointments' then
    if old.status in ('confirmed', 'completed') then
      perform private.reject('forbidden',
        pg_catalog.format('appointment %s is %s: it is part of the clinical record and cannot be deleted; cancel it instead',
          old.id, old.status));
    end if;
  elsif exists (
    select from public.appointments a where a.patient_id = old.id and a.status in ('confirmed', 'completed')
  ) then
    perform private.reject('forbidden',
      pg_catalog.format('patient %s has confirmed or completed appointments, which are part of the clinical record: '
        'the profile cannot be deleted from a device; ask the clinic', old.id));
  end if;
  return old;
end;
$$;

revoke all on function private.keep_clinical_history() from public;

create trigger patients_06_keep_history before delete on public.patients
  for each row execute function private.keep_clinical_history();
create trigger appointments_06_keep_history before delete on public.appointments
  for each row execute function private.keep_clinical_history();
