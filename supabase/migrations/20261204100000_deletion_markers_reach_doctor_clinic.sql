-- A deletion marker reaches every account that could see the row, and nobody else.
--
-- Before: an appointment's tombstone carried its patient's user and the patient's clinic only, yet
-- the appointment is also visible (appointments_select) to the staff of its doctor's clinic. A
-- patient who deleted a booking with clinic B's doctor left clinic B's devices with a copy of a
-- booking that no longer existed: their pulls never carried its marker.
--
-- Who sees what (the row's policies) and who now sees its marker:
-- * a patient: its user, the staff of its clinic: owner_user_id, clinic_id (unchanged);
-- * an appointment: its patient's user and the patient's clinic (owner_user_id, clinic_id, as
--   before), and the staff of its doctor's clinic: the new doctor_clinic_id, read from the doctor
--   when the row goes (a patient's delete cascading to their appointments included).
-- No wider: another clinic's staff see neither the row nor its marker.
--
-- doctor_clinic_id widens who may READ a marker, never who may act on it: private.owns_tombstone
-- (stamp_delete's authorisation) and private.clear_tombstone (re-creating a deleted id) still look
-- at owner_user_id and clinic_id only, so the doctor's clinic gains no new right. It could not
-- delete the booking before either (appointments_delete follows the patient).
--
-- Markers written before this migration have no doctor_clinic_id: the deleted rows' doctors are
-- gone with them. A staff device that still holds such a row drops it on its next full resync.

alter table public.sync_tombstones add column doctor_clinic_id uuid;

-- sync_pull reads markers by txid and filters them by this policy; the index serves a clinic's
-- own markers when the planner goes by clinic.
create index sync_tombstones_doctor_clinic_id_idx on public.sync_tombstones (doctor_clinic_id);

alter policy sync_tombstones_select on public.sync_tombstones
  using (
    owner_user_id = (select auth.uid())
    or clinic_id = (select private.staff_clinic_id())
    or doctor_clinic_id = (select private.staff_clinic_id())
  );

create or replace function private.record_tombstone() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_owner uuid;
  v_clinic uuid;
  v_doctor_clinic uuid;
begin
  if tg_table_name = 'patients' then
    v_owner := old.user_id;
    v_clinic := old.clinic_id;
  else
    select p.user_id, p.clinic_id into v_owner, v_clinic from public.patients p where p.id = old.patient_id;
    if not found then
      -- A patient's delete cascading: the patient's own marker is written first (BEFORE DELETE).
      select t.owner_user_id, t.clinic_id into v_owner, v_clinic
      from public.sync_tombstones t where t.entity = 'patients' and t.id = old.patient_id;
    end if;
    -- The doctor's clinic saw the booking (appointments_select): it must see it go.
    v_doctor_clinic := (select d.clinic_id from public.doctors d where d.id = old.doctor_id);
  end if;
  insert into public.sync_tombstones as t (entity, id, owner_user_id, clinic_id, doctor_clinic_id)
  values (tg_table_name, old.id, v_owner, v_clinic, v_doctor_clinic)
  on conflict (entity, id) do update
    set owner_user_id = excluded.owner_user_id,
        clinic_id = excluded.clinic_id,
        doctor_clinic_id = excluded.doctor_clinic_id,
        deleted_at = pg_catalog.now(),
        txid = pg_catalog.pg_current_xact_id();
  return old;
end;
$$;
