-- Appointment status is a state machine (issue 9, "Server"). Two statuses are added, checked_in
-- (the patient arrived) and no_show (they did not come), and every status change by a device goes
-- through one table of allowed transitions, enforced by trigger appointments_10_guard for the Data
-- API and sync_push alike. The back office (service role, SQL as the owner) is not bound.
--
--   from        to           who                  when
--   (new)       requested    patient, clinic
--   (new)       cancelled    patient, clinic      (a booking cancelled before it was ever sent)
--   requested   confirmed    clinic
--   requested   rejected     clinic
--   requested   cancelled    patient, clinic      before the start
--   confirmed   checked_in   clinic
--   confirmed   no_show      clinic
--   confirmed   cancelled    patient, clinic      before the start
--   checked_in  completed    clinic
--   no_show     checked_in   clinic               (the patient came late after all)
--   rejected, cancelled, completed: final.
--
-- "patient" is whoever sees the appointment through its patient (the patient's own account, or the
-- staff of the clinic that registered a walk-in); "clinic" is the staff (public.staff) of the clinic
-- of the appointment's doctor. A clinic's staff now read and update their doctors' appointments
-- (policies appointments_select and appointments_update), including those booked from a patient's
-- own phone, but never insert or delete them for a patient they did not register.
--
-- A write may skip steps along the machine: a status is allowed when it is reachable from the
-- stored one by the writer's own transitions (a tablet that confirms, checks in and completes a
-- visit offline sends one write saying "completed", because the device merges a row's queued
-- writes). A device may also create an appointment in any status its writer could reach from
-- "requested" (a walk-in booked and checked in offline). Cancelling is the one step with a time
-- limit: only before the start, by anyone.
--
-- Many devices. Two kiosks of a clinic and the patient's phone may act on one appointment. The
-- stale-write guard (seq, private.guard_client_write) is per device; between devices the state
-- machine decides, whichever write arrives first: a write whose status is not reachable from what
-- the server holds by then is rejected with code `transition`, naming from → to. So:
--   - completed wins over a late check-in (completed → checked_in is refused);
--   - a check-in wins over a no-show in either order (confirmed → no_show is refused once checked
--     in; no_show → checked_in is allowed: the patient came);
--   - a patient's cancel after the check-in (or the start) is refused, and so is a check-in after
--     the cancel, and a confirm after a rejection;
--   - two devices writing the same status both succeed (no change is not a transition).
-- The patient's phone learns the clinic's transitions through sync_pull, like any change.
--
-- A checked-in appointment keeps holding its slot (index appointments_one_active_per_slot) and its
-- video room; checked_in, completed and no_show appointments are clinical record and cannot be
-- deleted from a device.

alter table public.appointments drop constraint appointments_status_enum;
alter table public.appointments add constraint appointments_status_enum check (status in
  ('requested', 'confirmed', 'checked_in', 'completed', 'cancelled', 'no_show', 'rejected'));

alter table public.appointments drop constraint appointments_slot_id_or_request;
alter table public.appointments add constraint appointments_slot_id_or_request check (
  (slot_id is not null and doctor_id is not null and starts_at is not null and ends_at is not null)
  or (slot_id is null and doctor_id is null and starts_at is null and ends_at is null
    and requested_specialty is not null and status not in ('requested', 'confirmed', 'checked_in')));

drop index public.appointments_one_active_per_slot;
create unique index appointments_one_active_per_slot on public.appointments (slot_id)
  where status in ('requested', 'confirmed', 'checked_in');

-- The machine above, once, as data: whether `p_actor` ('patient' or 'clinic') may move an
-- appointment from `p_from` (null: a new row) to `p_to` in one or more of their own steps.
create function private.appointment_transition_allowed(p_from text, p_to text, p_actor text)
returns boolean
language sql
immutable
set search_path = ''
as $$
  with recursive edge(from_status, to_status, actor) as (
    values
      ('new', 'requested', 'patient'), ('new', 'requested', 'clinic'),
      ('new', 'cancelled', 'patient'), ('new', 'cancelled', 'clinic'),
      ('requested', 'confirmed', 'clinic'),
      ('requested', 'rejected', 'clinic'),
      ('requested', 'cancelled', 'patient'), ('requested', 'cancelled', 'clinic'),
      ('confirmed', 'checked_in', 'clinic'),
      ('confirmed', 'no_show', 'clinic'),
      ('confirmed', 'cancelled', 'patient'), ('confirmed', 'cancelled', 'clinic'),
      ('checked_in', 'completed', 'clinic'),
      ('no_show', 'checked_in', 'clinic')
  ),
  reach(status) as (
    select e.to_status from edge e where e.from_status = coalesce(p_from, 'new') and e.actor = p_actor
    union
    select e.to_status from reach r join edge e on e.from_status = r.status and e.actor = p_actor
  )
  select exists (select from reach where status = p_to)
$$;

revoke all on function private.appointment_transition_allowed(text, text, text) from public;
grant execute on function private.appointment_transition_allowed(text, text, text) to authenticated;

-- Whether the caller is staff of the clinic of doctor `p_doctor` (for the guard, row by row).
create function private.is_clinic_doctor(p_doctor uuid)
returns boolean
language sql
stable
set search_path = ''
as $$
  select p_doctor is not null and exists (
    select from public.doctors d where d.id = p_doctor and d.clinic_id = (select private.staff_clinic_id()))
$$;

revoke all on function private.is_clinic_doctor(uuid) from public;
grant execute on function private.is_clinic_doctor(uuid) to authenticated;

-- The clinic's doctors as one uncorrelated subquery: computed once per statement (a hashed subplan),
-- not once per row, so a patient's pull pays nothing for it.
drop policy appointments_select on public.appointments;
create policy appointments_select on public.appointments for select to authenticated using (
  exists (select from public.patients p where p.id = appointments.patient_id)
  or appointments.doctor_id in (
    select d.id from public.doctors d where d.clinic_id = (select private.staff_clinic_id())));

drop policy appointments_update on public.appointments;
create policy appointments_update on public.appointments for update to authenticated using (
  exists (select from public.patients p where p.id = appointments.patient_id)
  or appointments.doctor_id in (
    select d.id from public.doctors d where d.clinic_id = (select private.staff_clinic_id()))
) with check (
  exists (select from public.patients p where p.id = appointments.patient_id)
  or appointments.doctor_id in (
    select d.id from public.doctors d where d.clinic_id = (select private.staff_clinic_id())));

-- The status rules move from this guard's own list to the machine; the rest is as before.
create or replace function private.appointments_guard() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_slot public.slots;
  v_slot_changed boolean := tg_op = 'INSERT' or new.slot_id is distinct from old.slot_id;
  v_from text;
  v_actor text;
begin
  if current_user not in ('anon', 'authenticated') then
    return new;
  end if;

  if tg_op = 'UPDATE' then
    if new.patient_id is distinct from old.patient_id then
      perform private.reject('validation', 'an appointment cannot move to another patient', 'patient_id');
    end if;
    v_from := old.status;
  end if;
  -- The clinic is the one of the appointment as stored (a new row: as written).
  v_actor := case when private.is_clinic_doctor(case when tg_op = 'UPDATE' then old.doctor_id
    else new.doctor_id end) then 'clinic' else 'patient' end;
  if new.status is distinct from v_from then
    if not private.appointment_transition_allowed(v_from, new.status, v_actor) then
      perform private.reject('transition', pg_catalog.format('appointment %s: %s → %s is not allowed; %s',
        new.id, coalesce(v_from, 'new'), new.status,
        case
          when private.appointment_transition_allowed(v_from, new.status, 'clinic')
            then pg_catalog.format('only the clinic can mark an appointment %s', new.status)
          when v_from is null then 'a new booking is requested'
          else pg_catalog.format('the appointment is already %s', v_from)
        end), 'status');
    end if;
    if tg_op = 'UPDATE' and new.status = 'cancelled' and old.starts_at <= pg_catalog.now() then
      perform private.reject('transition', pg_catalog.format(
        'appointment %s: %s → cancelled is not allowed; it started at %s', new.id, v_from, old.starts_at),
        'status');
    end if;
  end if;

  if tg_op = 'UPDATE' then
    if v_actor = 'clinic' and not exists (select from public.patients p where p.id = new.patient_id)
      and (v_slot_changed or new.reason is distinct from old.reason
        or new.doctor_id is distinct from old.doctor_id or new.mode is distinct from old.mode
        or new.requested_specialty is distinct from old.requested_specialty
        or new.preferred_date is distinct from old.preferred_date
        or new.preferred_window is distinct from old.preferred_window)
    then
      -- The booking is the patient's; the clinic moves its status only.
      perform private.reject('forbidden',
        pg_catalog.format('appointment %s was booked by its patient: the clinic changes only its status', new.id));
    end if;
    if old.status <> 'requested'
      and (v_slot_changed or new.reason is distinct from old.reason
        or new.doctor_id is distinct from old.doctor_id or new.mode is distinct from old.mode
        or new.requested_specialty is distinct from old.requested_specialty
        or new.preferred_date is distinct from old.preferred_date
        or new.preferred_window is distinct from old.preferred_window)
    then
      perform private.reject('conflict',
        format('the appointment is already %s; only a requested appointment can be changed', old.status));
    end if;
  end if;

  if new.slot_id is null then
    -- Nothing booked, nothing to match (appointments_slot_id_or_request keeps it inactive).
    return new;
  end if;

  if not v_slot_changed then
    -- Times belong to the slot; a device's copy may predate a change by the clinic.
    if new.doctor_id is distinct from old.doctor_id then
      perform private.reject('validation', 'doctor_id does not match the booked slot''s doctor', 'doctor_id');
    end if;
    if new.mode is distinct from old.mode then
      perform private.reject('validation', 'mode does not match the booked slot''s mode', 'mode');
    end if;
    new.starts_at := old.starts_at;
    new.ends_at := old.ends_at;
    return new;
  end if;

  select * into v_slot from public.slots where id = new.slot_id;
  if not found then
    perform private.reject('validation', format('there is no slot %s', new.slot_id), 'slot_id');
  end if;
  if new.doctor_id is distinct from v_slot.doctor_id then
    perform private.reject('validation',
      format('slot %s belongs to doctor %s, not %s', v_slot.id, v_slot.doctor_id, new.doctor_id), 'doctor_id');
  end if;
  if new.mode is distinct from v_slot.mode then
    perform private.reject('validation',
      format('slot %s is for %s consultations, not %s', v_slot.id, v_slot.mode, new.mode), 'mode');
  end if;
  if new.starts_at is distinct from v_slot.starts_at or new.ends_at is distinct from v_slot.ends_at then
    perform private.reject('conflict',
      format('slot %s now runs from %s to %s; check the new time and book again',
        v_slot.id, v_slot.starts_at, v_slot.ends_at), 'starts_at');
  end if;
  if new.status = 'requested' and v_slot.starts_at <= pg_catalog.now() then
    perform private.reject('validation',
      format('slot %s started at %s; pick a later slot', v_slot.id, v_slot.starts_at), 'slot_id');
  end if;
  return new;
end;
$$;

create or replace function private.keep_clinical_history() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user not in ('anon', 'authenticated') then
    return old;
  end if;
  if tg_table_name = 'appointments' then
    if old.status in ('confirmed', 'checked_in', 'completed', 'no_show') then
      perform private.reject('forbidden',
        pg_catalog.format('appointment %s is %s: it is part of the clinical record and cannot be deleted; cancel it instead',
          old.id, old.status));
    end if;
  elsif exists (
    select from public.appointments a where a.patient_id = old.id
      and a.status in ('confirmed', 'checked_in', 'completed', 'no_show')
  ) then
    perform private.reject('forbidden',
      pg_catalog.format('patient %s has confirmed or completed appointments, which are part of the clinical record: '
        'the profile cannot be deleted from a device; ask the clinic', old.id));
  end if;
  return old;
end;
$$;

-- A checked-in video consultation keeps its room.
create or replace function private.appointments_join_url() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.status not in ('confirmed', 'checked_in') or new.mode <> 'video' then
    new.join_url := null;
  elsif tg_op = 'UPDATE' and old.status in ('confirmed', 'checked_in') and old.mode = 'video'
    and old.join_url is not null then
    new.join_url := old.join_url;
  else
    new.join_url := coalesce(
      (select s.value from private.settings s where s.key = 'video_room_base'),
      'https://meet.consult.example/room/'
    ) || replace(pg_catalog.gen_random_uuid()::text, '-', '');
  end if;
  return new;
end;
$$;

create or replace function private.sync_slot_availability() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    update public.slots set available = false where id = new.slot_id and available;
    return null;
  end if;
  update public.slots s
  set available = not exists (
    select from public.appointments a
    where a.slot_id = s.id and a.status in ('requested', 'confirmed', 'checked_in')
  )
  where s.id in (old.slot_id, case when tg_op = 'UPDATE' then new.slot_id end)
    and s.available is distinct from not exists (
      select from public.appointments a
      where a.slot_id = s.id and a.status in ('requested', 'confirmed', 'checked_in')
    );
  return null;
end;
$$;

drop trigger appointments_30_slot_taken on public.appointments;
create trigger appointments_30_slot_taken after insert on public.appointments
  for each row when (new.status in ('requested', 'confirmed', 'checked_in'))
  execute function private.sync_slot_availability();

drop trigger appointments_32_slot_freed on public.appointments;
create trigger appointments_32_slot_freed after delete on public.appointments
  for each row when (old.status in ('requested', 'confirmed', 'checked_in'))
  execute function private.sync_slot_availability();

-- sync_push's reader of appointments: it accepts the new statuses, books a request by specialty in
-- any slot-holding status, and lets a clinic's staff write an appointment of theirs whose patient
-- they cannot read (booked from the patient's own phone).
create or replace function private.apply_appointment(p_op text, p_key uuid, p_data jsonb) returns jsonb
language plpgsql
set search_path = ''
as $_$
declare
  c_uuid constant text := '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
  c_specialties constant text[] := array['general medicine', 'paediatrics', 'gynaecology', 'dermatology',
    'cardiology', 'ENT', 'orthopaedics'];
  v_in public.appointments;
  v_old public.appointments;
  v_exists boolean;
  v_request boolean;
  v_has_request boolean;
  v_slot public.slots;
  v_skip uuid[] := '{}';
  v_constraint text;
begin
  if p_op = 'delete' then
    delete from public.appointments where id = p_key returning * into v_old;
    if not found and private.row_exists('appointments', p_key) then
      perform private.reject('forbidden', format('appointment %s belongs to another account or clinic', p_key));
    end if;
    return null;
  end if;

  -- The common, well-formed values pass inline tests; anything else goes to the readers, which trim,
  -- or reject naming the field.
  v_in.patient_id := case when (p_data ->> 'patient_id') ~* c_uuid then (p_data ->> 'patient_id')::uuid
    else private.read_uuid(p_data, 'patient_id') end;
  -- A request leaves every slot field out (or null); naming any of them means naming a slot.
  v_request := p_data ->> 'doctor_id' is null and p_data ->> 'slot_id' is null
    and p_data ->> 'starts_at' is null and p_data ->> 'ends_at' is null;
  v_has_request := p_data ->> 'requested_specialty' is not null or p_data ->> 'preferred_date' is not null
    or p_data ->> 'preferred_window' is not null;
  if v_request and not v_has_request then
    perform private.reject('validation',
      'slot_id is required, or requested_specialty, preferred_date and preferred_window for the clinic to pick a slot',
      'slot_id');
  end if;
  if not v_request then
    v_in.doctor_id := case when (p_data ->> 'doctor_id') ~* c_uuid then (p_data ->> 'doctor_id')::uuid
      else private.read_uuid(p_data, 'doctor_id') end;
    v_in.slot_id := case when (p_data ->> 'slot_id') ~* c_uuid then (p_data ->> 'slot_id')::uuid
      else private.read_uuid(p_data, 'slot_id') end;
    v_in.starts_at := private.read_timestamp(p_data, 'starts_at');
    v_in.ends_at := private.read_timestamp(p_data, 'ends_at');
  end if;
  v_in.mode := case when (p_data ->> 'mode') in ('video', 'in_person') then p_data ->> 'mode'
    else private.read_enum(p_data, 'mode', array['video', 'in_person']) end;
  v_in.reason := private.read_text(p_data, 'reason', 500, true);
  v_in.status := case when (p_data ->> 'status') in ('requested', 'confirmed', 'checked_in', 'completed',
      'cancelled', 'no_show', 'rejected')
    then p_data ->> 'status'
    else private.read_enum(p_data, 'status', array['requested', 'confirmed', 'checked_in', 'completed',
      'cancelled', 'no_show', 'rejected']) end;
  if v_has_request then
    v_in.requested_specialty := private.read_enum(p_data, 'requested_specialty', c_specialties);
    v_in.preferred_date := private.read_date(p_data, 'preferred_date');
    v_in.preferred_window := private.read_enum(p_data, 'preferred_window',
      array['morning', 'afternoon', 'evening', 'any']);
  end if;

  perform from public.patients where id = v_in.patient_id;
  if not found then
    -- A clinic's staff move their doctors' appointments without reading the patient's profile.
    perform from public.appointments a where a.id = p_key and a.patient_id = v_in.patient_id;
  end if;
  if not found then
    if private.row_exists('patients', v_in.patient_id) then
      perform private.reject('forbidden',
        format('patient %s belongs to another account or clinic', v_in.patient_id), 'patient_id');
    end if;
    perform private.reject('missing_parent',
      format('patient %s does not exist on the server and was not created in this batch', v_in.patient_id),
      'patient_id');
  end if;

  select * into v_old from public.appointments where id = p_key for update;
  v_exists := found;

  if v_request then
    if v_exists and v_old.slot_id is not null
      and v_old.requested_specialty is not distinct from v_in.requested_specialty
      and v_old.preferred_date is not distinct from v_in.preferred_date
      and v_old.preferred_window is not distinct from v_in.preferred_window
      and v_old.mode = v_in.mode
    then
      -- This request was booked already; the device wrote again before it saw the booking.
      v_in.doctor_id := v_old.doctor_id;
      v_in.slot_id := v_old.slot_id;
      v_in.starts_at := v_old.starts_at;
      v_in.ends_at := v_old.ends_at;
    elsif v_in.status in ('requested', 'confirmed', 'checked_in') then
      loop
        v_slot := private.pick_requested_slot(v_in.requested_specialty, v_in.mode, v_in.preferred_date,
          v_in.preferred_window, v_skip);
        if v_slot.id is null then
          perform private.reject('no_slot',
            format('no free %s %s slot on %s %s', v_in.requested_specialty,
              case v_in.mode when 'video' then 'video' else 'in-clinic' end,
              v_in.preferred_date,
              case v_in.preferred_window when 'any' then 'at any time' else 'in the ' || v_in.preferred_window end));
        end if;
        v_in.doctor_id := v_slot.doctor_id;
        v_in.slot_id := v_slot.id;
        v_in.starts_at := v_slot.starts_at;
        v_in.ends_at := v_slot.ends_at;
        begin
          return private.write_appointment(p_key, v_in, v_exists);
        exception when unique_violation then
          -- Held by an appointment the availability flag did not show yet: try the next slot.
          get stacked diagnostics v_constraint = constraint_name;
          if v_constraint is distinct from 'appointments_one_active_per_slot' then
            raise;
          end if;
          v_skip := v_skip || v_slot.id;
        end;
      end loop;
    end if;
    -- Otherwise the request is already cancelled: it holds nothing and stays unbooked.
  end if;

  return private.write_appointment(p_key, v_in, v_exists);
end;
$_$;
