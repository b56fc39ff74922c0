-- Offline requests by specialty. A phone that has never received availability (first use, offline)
-- cannot name a slot; it sends an appointment with slot_id, doctor_id, starts_at and ends_at null and
-- instead requested_specialty, preferred_date and preferred_window (plus mode and reason). sync_push
-- books the first free matching slot and answers the canonical row with slot, doctor and times
-- filled in, or rejects the mutation with `no_slot` (sync/protocol.ts REJECT_CODES).
--
-- Matching: a doctor with that specialty (offering video when the mode is video), a slot of that
-- mode that is free and has not started, starting on preferred_date within the window in clinic
-- time (Asia/Kolkata, the only time zone the clinics are in): morning 06:00–12:00, afternoon
-- 12:00–17:00, evening 17:00–21:00, any = the whole day; the earliest start wins (ties by slot id).
-- Doctors of every clinic are candidates: the request carries no clinic.
--
-- The request fields stay on the row after booking (what was asked for). The specialty and window
-- lists mirror sync/entities.ts SPECIALTIES and PREFERRED_WINDOWS; keep them in step.

alter table public.appointments
  add column requested_specialty text
    constraint appointments_requested_specialty_enum check (
      requested_specialty in ('general medicine', 'paediatrics', 'gynaecology', 'dermatology', 'cardiology',
        'ENT', 'orthopaedics')
    ),
  add column preferred_date date,
  add column preferred_window text
    constraint appointments_preferred_window_enum check (
      preferred_window in ('morning', 'afternoon', 'evening', 'any')
    ),
  -- A request is all three fields or none.
  add constraint appointments_requested_specialty_complete check (
    (requested_specialty is null) = (preferred_date is null)
    and (requested_specialty is null) = (preferred_window is null)
  );

-- A row has its slot (doctor, slot and times together), or is a request that holds nothing: one
-- sync_push never booked because it was cancelled before it reached the server (a create and a
-- cancel merged on the device). An active appointment always has its slot.
alter table public.appointments
  alter column doctor_id drop not null,
  alter column slot_id drop not null,
  alter column starts_at drop not null,
  alter column ends_at drop not null,
  add constraint appointments_slot_id_or_request check (
    (slot_id is not null and doctor_id is not null and starts_at is not null and ends_at is not null)
    or (slot_id is null and doctor_id is null and starts_at is null and ends_at is null
      and requested_specialty is not null and status not in ('requested', 'confirmed'))
  );

-- ---------------------------------------------------------------------------------------------
-- Guard: as in the schema migration, plus: a slot-less (unbooked, inactive) row has no slot to
-- check, and the request fields of a confirmed appointment are as fixed as its slot.
-- ---------------------------------------------------------------------------------------------

create or replace function private.appointments_guard() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_slot public.slots;
  v_slot_changed boolean := tg_op = 'INSERT' or new.slot_id is distinct from old.slot_id;
begin
  if current_user not in ('anon', 'authenticated') then
    return new;
  end if;

  if tg_op = 'UPDATE' then
    if new.patient_id is distinct from old.patient_id then
      perform private.reject('validation', 'an appointment cannot move to another patient', 'patient_id');
    end if;
    if new.status is distinct from old.status then
      if new.status in ('confirmed', 'rejected', 'completed') then
        perform private.reject('forbidden',
          format('only the clinic can mark an appointment %s', new.status), 'status');
      elsif new.status = 'requested' then
        perform private.reject('conflict',
          format('the appointment is already %s; it cannot be requested again', old.status), 'status');
      elsif old.status in ('rejected', 'completed') then
        perform private.reject('conflict',
          format('the appointment is already %s; it cannot be cancelled', old.status), 'status');
      end if;
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
  elsif new.status in ('confirmed', 'rejected', 'completed') then
    perform private.reject('forbidden',
      format('only the clinic can mark an appointment %s; a new booking is requested', new.status), 'status');
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

-- ---------------------------------------------------------------------------------------------
-- Readers and error mapping
-- ---------------------------------------------------------------------------------------------

create function private.read_date(data jsonb, field text) returns date
language plpgsql
set search_path = ''
as $$
declare
  s text := private.read_text(data, field, 100, true);
begin
  if s !~ '^\d{4}-\d{2}-\d{2}$' then
    perform private.reject('validation', format('%s must be a date in the form YYYY-MM-DD, not "%s"', field, s),
      field);
  end if;
  return s::date;
exception when datetime_field_overflow or invalid_datetime_format then
  perform private.reject('validation', format('%s is not a real date: "%s"', field, s), field);
  return null;
end;
$$;

-- As before, with the request fields (longest names first: a name that contains another wins).
create or replace function private.constraint_field(p_constraint text) returns text
language sql
immutable
set search_path = ''
as $$
  select f from unnest(array[
    'emergency_contact_phone', 'emergency_contact_name', 'requested_specialty', 'preferred_language',
    'preferred_window', 'preferred_date', 'date_of_birth', 'full_name', 'patient_id', 'doctor_id', 'slot_id',
    'starts_at', 'ends_at', 'phone', 'address', 'sex', 'reason', 'mode', 'status'
  ]) with ordinality as t(f, n)
  where p_constraint like '%\_' || f || '\_%'
  order by n
  limit 1
$$;

-- ---------------------------------------------------------------------------------------------
-- Picking a slot for a request
-- ---------------------------------------------------------------------------------------------

-- The first free slot matching a request, locked for this transaction; null when none is left.
-- SKIP LOCKED: a slot another transaction is booking right now (its row is locked from the
-- moment it is picked or booked until that transaction ends) is passed over instead of waited
-- for, so two racing requests take different slots. Security definer: devices may not lock slots.
create function private.pick_requested_slot(
  p_specialty text,
  p_mode text,
  p_date date,
  p_window text,
  p_skip uuid[]
) returns public.slots
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_from time := case p_window when 'morning' then time '06:00' when 'afternoon' then time '12:00'
    when 'evening' then time '17:00' else time '00:00' end;
  v_hours integer := case p_window when 'morning' then 6 when 'afternoon' then 5 when 'evening' then 4
    else 24 end;
  v_slot public.slots;
begin
  select s.* into v_slot
  from public.slots s
  join public.doctors d on d.id = s.doctor_id
  where s.starts_at >= (p_date + v_from) at time zone 'Asia/Kolkata'
    and s.starts_at < (p_date + v_from + make_interval(hours => v_hours)) at time zone 'Asia/Kolkata'
    and s.starts_at > pg_catalog.now()
    and s.available
    and s.mode = p_mode
    and d.specialty = p_specialty
    and (p_mode <> 'video' or d.offers_video)
    and s.id <> all (p_skip)
  order by s.starts_at, s.id
  limit 1
  for update of s skip locked;
  if not found then
    return null;
  end if;
  return v_slot;
end;
$$;

revoke all on function private.pick_requested_slot(text, text, date, text, uuid[]) from public;
grant execute on function private.pick_requested_slot(text, text, date, text, uuid[]) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Writing an appointment
-- ---------------------------------------------------------------------------------------------

-- Inserts or updates the row `p_in` describes; returns the canonical row. `p_exists`: the caller
-- found (and locked) the row already.
create function private.write_appointment(p_key uuid, p_in public.appointments, p_exists boolean) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_row public.appointments;
begin
  if not p_exists then
    insert into public.appointments (
      id, patient_id, doctor_id, slot_id, starts_at, ends_at, mode, reason, status,
      requested_specialty, preferred_date, preferred_window
    ) values (
      p_key, p_in.patient_id, p_in.doctor_id, p_in.slot_id, p_in.starts_at, p_in.ends_at, p_in.mode,
      p_in.reason, p_in.status, p_in.requested_specialty, p_in.preferred_date, p_in.preferred_window
    )
    on conflict (id) do nothing
    returning * into v_row;
    if found then
      return to_jsonb(v_row) - 'txid';
    end if;
    perform from public.appointments where id = p_key for update;
    if not found then
      perform private.reject('forbidden', format('appointment %s belongs to another account or clinic', p_key));
    end if;
  end if;

  update public.appointments set
    patient_id = p_in.patient_id,
    doctor_id = p_in.doctor_id,
    slot_id = p_in.slot_id,
    starts_at = p_in.starts_at,
    ends_at = p_in.ends_at,
    mode = p_in.mode,
    reason = p_in.reason,
    status = p_in.status,
    requested_specialty = p_in.requested_specialty,
    preferred_date = p_in.preferred_date,
    preferred_window = p_in.preferred_window
  where id = p_key
  returning * into v_row;
  if not found then
    perform private.reject('forbidden', format('appointment %s belongs to another account or clinic', p_key));
  end if;
  return to_jsonb(v_row) - 'txid';
end;
$$;

-- Status rules, slot matching and past-slot checks live in the appointments_guard trigger so they
-- hold for Data API writes too; this function reads the device's row, adds the parent check and the
-- forbidden cases, and books a request. join_url is the server's and is not read.
create or replace function private.apply_appointment(p_op text, p_key uuid, p_data jsonb) returns jsonb
language plpgsql
set search_path = ''
as $$
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
  v_in.status := case when (p_data ->> 'status') in ('requested', 'confirmed', 'rejected', 'cancelled', 'completed')
    then p_data ->> 'status'
    else private.read_enum(p_data, 'status', array['requested', 'confirmed', 'rejected', 'cancelled', 'completed']) end;
  if v_has_request then
    v_in.requested_specialty := private.read_enum(p_data, 'requested_specialty', c_specialties);
    v_in.preferred_date := private.read_date(p_data, 'preferred_date');
    v_in.preferred_window := private.read_enum(p_data, 'preferred_window',
      array['morning', 'afternoon', 'evening', 'any']);
  end if;

  perform from public.patients where id = v_in.patient_id;
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
    elsif v_in.status in ('requested', 'confirmed') then
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
$$;
