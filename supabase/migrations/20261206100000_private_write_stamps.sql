-- Nobody reads another person's account or device through the Data API. Clinic staff read
-- appointments.last_client_user (the stale-write guard's account: a patient's auth user id) and
-- sync_tombstones.owner_user_id with `select=*`, a patient read the last_client_user of the staff
-- member who moved their booking, and both read the device (last_client_id) and seq of the other's
-- writes. None of it is anything a device needs: the pull never sends it (wire_row).
--
-- * The stamp of a row (patients, appointments) moves to private.row_stamps, keyed by entity and
--   id: the private schema is not served by the API, so `select=*` keeps working and shows only the
--   row's own fields. The guard (guard_client_write) and the fast path (push_fast) read and write
--   it there; a deleted row's stamp goes with it (record_tombstone), as the column did.
-- * sync_tombstones keeps its columns (its owner and clinic are what its policy reads), but the API
--   roles may select only what a deletion marker tells a device: entity, id, clinic_id,
--   doctor_clinic_id, deleted_at, txid. Nothing but sync_pull (as the caller) reads it; the
--   policy's own columns need no privilege; the functions that stamp it run as its owner.

create table private.row_stamps (
  entity text not null check (entity in ('patients', 'appointments')),
  id uuid not null,
  -- Device (sync client_id) and seq of the last write applied through sync_push with a seq.
  client_id uuid,
  seq bigint,
  -- The account that sent it: the guard holds between one account's writes only.
  user_id uuid,
  primary key (entity, id)
);
comment on table private.row_stamps is
  'The stale-write stamp of a patient or appointment (was last_client_id/seq/user on the row): an older write from the same device and account is superseded (private.guard_client_write). Not served by the API.';
-- The guard runs as whoever writes (a device, or the back office).
grant select, insert, update, delete on private.row_stamps to authenticated, service_role;

insert into private.row_stamps (entity, id, client_id, seq, user_id)
select 'patients', p.id, p.last_client_id, p.last_client_seq, p.last_client_user
from public.patients p where p.last_client_id is not null
union all
select 'appointments', a.id, a.last_client_id, a.last_client_seq, a.last_client_user
from public.appointments a where a.last_client_id is not null;

alter table public.patients
  drop column last_client_id, drop column last_client_seq, drop column last_client_user;
alter table public.appointments
  drop column last_client_id, drop column last_client_seq, drop column last_client_user;

revoke select on public.sync_tombstones from anon, authenticated;
grant select (entity, id, clinic_id, doctor_clinic_id, deleted_at, txid)
  on public.sync_tombstones to authenticated;

create or replace function private.guard_client_write() returns trigger
language plpgsql
set search_path to ''
as $$
declare
  v_stamp text := pg_catalog.current_setting('consult.client_write', true);
  v_parts text[];
  v_id uuid;
  v_client uuid;
  v_seq bigint;
  v_uid uuid := (select auth.uid());
  v_old private.row_stamps;
  -- The row's stamp is this device's under this account (one without an account is older than
  -- that field: it goes by the device alone, as it did).
  v_same_writer boolean;
begin
  if tg_op = 'DELETE' then
    v_id := old.id;
  else
    v_id := new.id;
  end if;
  if v_stamp like 'batch:%' then
    if tg_op = 'INSERT' then
      -- push_fast writes the batch's stamps itself, in one statement.
      return new;
    end if;
    v_stamp := null;
  end if;
  if v_stamp is not null and v_stamp <> '' then
    v_parts := pg_catalog.string_to_array(v_stamp, ':');
    if v_parts[3] = tg_table_name and v_parts[4] = v_id::text then
      v_client := v_parts[1]::uuid;
      v_seq := v_parts[2]::bigint;
    end if;
  end if;

  if v_client is null then
    -- Not the row a device's mutation names: the stamp stays as it was, and a new row has none (a
    -- deleted row's went with it, record_tombstone).
    if tg_op = 'DELETE' then
      return old;
    end if;
    return new;
  end if;

  if tg_op in ('DELETE', 'UPDATE') then
    select * into v_old from private.row_stamps s where s.entity = tg_table_name and s.id = v_id;
    v_same_writer := v_old.client_id = v_client and (v_old.user_id is null or v_old.user_id = v_uid);
    if v_same_writer and v_old.seq > v_seq then
      raise exception 'superseded: this device wrote % % again later (seq % after %)',
        tg_table_name, v_id, v_old.seq, v_seq using errcode = 'CS409';
    end if;
    if tg_op = 'DELETE' then
      return old;
    end if;
  elsif private.deleted_later(tg_table_name, v_id, v_client, v_seq) then
    raise exception 'superseded: this device deleted % % later', tg_table_name, v_id using errcode = 'CS409';
  end if;
  insert into private.row_stamps as s (entity, id, client_id, seq, user_id)
  values (tg_table_name, v_id, v_client, v_seq, v_uid)
  on conflict (entity, id) do update
    set client_id = excluded.client_id, seq = excluded.seq, user_id = excluded.user_id;
  return new;
end;
$$;

-- As in 20261204100000, and the row's stamp goes with the row.
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
  delete from private.row_stamps s where s.entity = tg_table_name and s.id = old.id;
  return old;
end;
$$;

-- The rows' stamps went to private.row_stamps; only the transaction id is left to take off.
create or replace function private.wire_row(p_row jsonb) returns jsonb
language sql immutable
as $$
  select p_row - 'txid'
$$;

-- As in 20261203100000_push_fast_hostile_batches.sql, but the rows are inserted without a stamp
-- and the stamps go to private.row_stamps in one statement after them.
create or replace function private.push_fast(p_client uuid, p_batch jsonb) returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  c_timestamp constant text := '^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}(:?\d{2})?)$';
  -- The shapes of a time devices send (toISOString, Postgres's JSON), digits as 9: each one
  -- c_timestamp matches, tested without a regex; any other shape is tested with c_timestamp.
  c_time_shapes constant text[] := array['9999-99-99T99:99:99Z', '9999-99-99T99:99:99.999Z',
    '9999-99-99T99:99:99+99:99', '9999-99-99T99:99:99.999999+99:99'];
  v_uid uuid := (select auth.uid());
  v_staff_clinic uuid := private.staff_clinic_id();
  v_n integer := jsonb_array_length(p_batch);
  v_k integer;               -- mutations 1 .. v_k are plain: the prefix this path applies
  v_ids uuid[];
  v_patients uuid[];
  v_appointments uuid[];
  v_rows jsonb;              -- the patients written, by id
  v_more jsonb;              -- the appointments written, by id
  v_answers jsonb[];
  v_apps private.push_appointment[];
  v_cap integer;
begin
  -- Every mutation an upsert in the form push_each reads without a reader function, no base, no
  -- request by specialty, each id and each row once; dates and times as push_each's readers take
  -- them untouched (a value they would trim or refuse sends the batch to push_each).
  -- A uuid is in that form (push_each's ~* c_uuid) when its text is uuid_out's, in either case;
  -- a value that is no uuid at all makes the cast raise, and push_each answers the batch then.
  -- translate() maps digits to 9 (or drops them): a shape test with no regex.
  -- The first mutation that is not plain ends the prefix this path applies (all of the batch, as
  -- a device drains new rows); the rest goes to push_each (see below for when that may be).
  select coalesce(max(x.first_other) - 1, v_n),
    array_agg(lower(x.m ->> 'id')::uuid order by x.pos) filter (where x.pos < coalesce(x.first_other, v_n + 1)),
    array_agg(lower(x.m ->> 'key')::uuid order by x.pos)
      filter (where x.pos < coalesce(x.first_other, v_n + 1) and x.m ->> 'entity' = 'patients'),
    array_agg(lower(x.m ->> 'key')::uuid order by x.pos)
      filter (where x.pos < coalesce(x.first_other, v_n + 1) and x.m ->> 'entity' = 'appointments')
  into v_k, v_ids, v_patients, v_appointments
  from (
  select e.m, e.pos, min(e.pos) filter (where not coalesce(
    jsonb_typeof(m) = 'object'
    and (m ->> 'id')::uuid::text = lower(m ->> 'id')
    and lower(m ->> 'clientId') = p_client::text
    and m ->> 'entity' in ('patients', 'appointments')
    and m ->> 'op' = 'upsert'
    and (m ->> 'key')::uuid::text = lower(m ->> 'key')
    and (coalesce(jsonb_typeof(m -> 'seq'), 'null') = 'null'
      or (jsonb_typeof(m -> 'seq') = 'number' and char_length(m ->> 'seq') between 1 and 18
        and translate(m ->> 'seq', '0123456789', '') = ''))
    and coalesce(jsonb_typeof(m -> 'deps'), 'null') in ('array', 'null')
    and coalesce(jsonb_typeof(m -> 'base'), 'null') = 'null'
    and jsonb_typeof(m -> 'data') = 'object'
    and (not (m -> 'data') ? 'id' or lower(m -> 'data' ->> 'id') is not distinct from lower(m ->> 'key'))
    and case when m ->> 'entity' = 'patients' then
        jsonb_typeof(m -> 'data' -> 'date_of_birth') = 'string'
        and (translate(m -> 'data' ->> 'date_of_birth', '0123456789', '9999999999') = '9999-99-99'
          or (m -> 'data' ->> 'date_of_birth') ~ '^\d{4}-\d{2}-\d{2}$')
      else
        (m -> 'data' ->> 'patient_id')::uuid::text = lower(m -> 'data' ->> 'patient_id')
        and (m -> 'data' ->> 'doctor_id')::uuid::text = lower(m -> 'data' ->> 'doctor_id')
        and (m -> 'data' ->> 'slot_id')::uuid::text = lower(m -> 'data' ->> 'slot_id')
        and jsonb_typeof(m -> 'data' -> 'starts_at') = 'string'
        and (translate(m -> 'data' ->> 'starts_at', '0123456789', '9999999999') = any (c_time_shapes)
          or (m -> 'data' ->> 'starts_at') ~ c_timestamp)
        and jsonb_typeof(m -> 'data' -> 'ends_at') = 'string'
        and (translate(m -> 'data' ->> 'ends_at', '0123456789', '9999999999') = any (c_time_shapes)
          or (m -> 'data' ->> 'ends_at') ~ c_timestamp)
        and m -> 'data' ->> 'requested_specialty' is null
        and m -> 'data' ->> 'preferred_date' is null
        and m -> 'data' ->> 'preferred_window' is null
      end, false)) over () as first_other
  from jsonb_array_elements(p_batch) with ordinality as e(m, pos)
  ) x;
  if v_k = 0 then
    return null;
  end if;
  -- A prefix only when push_each, given the whole batch, would apply it as here: its order
  -- (private.push_order) places patient upserts, and what they depend on, before every
  -- appointment, so a patient's mutation after the prefix may be neither of a patient the prefix
  -- books for nor depend on anything but patients' mutations; no mutation of the prefix may depend
  -- on one after it; and no id may be in both parts (a duplicate answers from the same call's
  -- answers).
  if v_k < v_n then
    if exists (
      select from jsonb_array_elements(p_batch) with ordinality as q(m, pos)
      where q.pos > v_k and q.m ->> 'entity' = 'patients'
        and (lower(q.m ->> 'key') in (
            select lower(e.m -> 'data' ->> 'patient_id')
            from jsonb_array_elements(p_batch) with ordinality as e(m, pos)
            where e.pos <= v_k and e.m ->> 'entity' = 'appointments')
          or exists (
            select from jsonb_array_elements(
                case when jsonb_typeof(q.m -> 'deps') = 'array' then q.m -> 'deps' end) as d(dep)
            join jsonb_array_elements(p_batch) with ordinality as r(m, pos)
              on r.pos > v_k and lower(r.m ->> 'id') = lower(d.dep #>> '{}')
            where r.m ->> 'entity' is distinct from 'patients'))
    ) or exists (
      select from jsonb_array_elements(p_batch) with ordinality as rest(m, pos)
      where rest.pos > v_k and lower(rest.m ->> 'id') = any (
        select i::text from unnest(v_ids) as i
        union all
        select lower(d.dep #>> '{}')
        from jsonb_array_elements(p_batch) with ordinality as e(m, pos)
        cross join lateral jsonb_array_elements(e.m -> 'deps') as d(dep)
        where e.pos <= v_k and jsonb_typeof(e.m -> 'deps') = 'array')
    ) then
      return null;
    end if;
    select jsonb_agg(e.m order by e.pos) into p_batch
    from jsonb_array_elements(p_batch) with ordinality as e(m, pos)
    where e.pos <= v_k;
    v_n := v_k;
  end if;
  -- A patient that depends on an appointment of the batch: push_order follows that dependency
  -- first, into a cycle (the appointment's patient is the one waiting on it), and places the
  -- appointment before its patient, where it is refused (missing_parent) and the patient blocked;
  -- this path would apply both. No device sends it (a patient references nothing): the batch is
  -- read further only for a patient whose deps are not empty.
  if exists (
    select from jsonb_array_elements(p_batch) as e(m)
    where e.m ->> 'entity' = 'patients' and jsonb_typeof(e.m -> 'deps') = 'array' and e.m -> 'deps' <> '[]'
      and exists (
        select from jsonb_array_elements(e.m -> 'deps') as d(dep)
        join jsonb_array_elements(p_batch) as r(m) on lower(r.m ->> 'id') = lower(d.dep #>> '{}')
        where r.m ->> 'entity' = 'appointments')
  ) then
    return null;
  end if;
  if (select count(distinct i) from unnest(v_ids) as i) < v_n
    or (select count(distinct k) from unnest(v_patients) as k) < cardinality(coalesce(v_patients, '{}'))
    or (select count(distinct k) from unnest(v_appointments) as k) < cardinality(coalesce(v_appointments, '{}'))
    or not private.push_fresh(p_client, v_ids, coalesce(v_patients, '{}'), coalesce(v_appointments, '{}'))
  then
    return null;
  end if;

  -- The appointments as apply_appointment reads them (a value its readers would refuse raises,
  -- and push_each answers it).
  select coalesce(array_agg(row(
      e.pos, lower(m ->> 'key')::uuid, (m -> 'data' ->> 'patient_id')::uuid, (m -> 'data' ->> 'doctor_id')::uuid,
      (m -> 'data' ->> 'slot_id')::uuid, (m -> 'data' ->> 'starts_at')::timestamptz,
      (m -> 'data' ->> 'ends_at')::timestamptz,
      case when (m -> 'data' ->> 'mode') in ('video', 'in_person') then m -> 'data' ->> 'mode'
        else private.read_enum(m -> 'data', 'mode', array['video', 'in_person']) end,
      case when private.plain_text(m -> 'data' -> 'reason', 500) then m -> 'data' ->> 'reason'
        else private.read_text(m -> 'data', 'reason', 500, true) end,
      case when (m -> 'data' ->> 'status') in ('requested', 'confirmed', 'checked_in', 'completed',
          'cancelled', 'no_show', 'rejected')
        then m -> 'data' ->> 'status'
        else private.read_enum(m -> 'data', 'status', array['requested', 'confirmed', 'checked_in', 'completed',
          'cancelled', 'no_show', 'rejected']) end,
      case when jsonb_typeof(m -> 'seq') = 'number' then (m ->> 'seq')::bigint end
    )::private.push_appointment order by e.pos), '{}')
  into v_apps
  from jsonb_array_elements(p_batch) with ordinality as e(m, pos)
  where m ->> 'entity' = 'appointments';

  -- appointments_guard on a new row, for the whole batch: the slot exists and matches doctor,
  -- mode and times; a request is for a slot not started; the status is one the caller may create.
  if exists (
    select from unnest(v_apps) as a
    left join public.slots s on s.id = a.slot_id
    where s.id is null
      or a.doctor_id is distinct from s.doctor_id
      or a.mode is distinct from s.mode
      or a.starts_at is distinct from s.starts_at
      or a.ends_at is distinct from s.ends_at
      or (a.status = 'requested' and s.starts_at <= pg_catalog.now())
  ) or exists (
    -- Once per doctor and status, not per row (offset 0 keeps the test from being pushed below
    -- the distinct).
    select from (select distinct a.doctor_id, a.status from unnest(v_apps) as a offset 0) k
    where not private.appointment_transition_allowed(null, k.status,
      case when private.is_clinic_doctor(k.doctor_id) then 'clinic' else 'patient' end)
  ) then
    return null;
  end if;
  -- appointments_booking_cap, for the whole batch: each patient's active bookings, those stored
  -- and those in the batch, within the cap. Locked first, as the trigger locks, so that two pushes
  -- for one patient count one after the other. (appointments_own_booking needs no check here: a
  -- slot the same patient already holds fails the insert on appointments_one_active_per_slot.)
  perform from public.patients p
  where p.id in (select a.patient_id from unnest(v_apps) as a)
  order by p.id
  for no key update;
  v_cap := case when coalesce((auth.jwt() ->> 'is_anonymous')::boolean, false)
    then private.setting_int('max_active_bookings_anonymous', 2)
    else private.setting_int('max_active_bookings', 5) end;
  if exists (
    select from (
      select a.patient_id, count(*) as n
      from unnest(v_apps) as a
      where a.status in ('requested', 'confirmed')
      group by a.patient_id
    ) b
    where b.n + (
      select count(*) from public.appointments x
      where x.patient_id = b.patient_id and x.status in ('requested', 'confirmed')
        and (x.starts_at is null or x.starts_at > pg_catalog.now())
    ) > v_cap
  ) then
    return null;
  end if;

  perform pg_catalog.set_config('consult.client_write', 'batch:' || p_client, true);
  -- As apply_patient: ownership from the session, fields through the same readers.
  with written as (
    insert into public.patients (
      id, user_id, registered_by, clinic_id, full_name, date_of_birth, sex, phone, address,
      preferred_language, emergency_contact_name, emergency_contact_phone
    )
    select
      lower(m ->> 'key')::uuid,
      case when v_staff_clinic is null then v_uid end,
      case when v_staff_clinic is not null then v_uid end,
      v_staff_clinic,
      -- The readers only for a value not in its plain form (plain_text, plain_phone).
      case when private.plain_text(m -> 'data' -> 'full_name', 120) then m -> 'data' ->> 'full_name'
        else private.read_text(m -> 'data', 'full_name', 120, true) end,
      -- Its form checked above; out of range, the table's check constraint refuses it.
      (m -> 'data' ->> 'date_of_birth')::date,
      case when (m -> 'data' ->> 'sex') in ('female', 'male', 'other', 'undisclosed') then m -> 'data' ->> 'sex'
        else private.read_enum(m -> 'data', 'sex', array['female', 'male', 'other', 'undisclosed']) end,
      case when coalesce(jsonb_typeof(m -> 'data' -> 'phone'), 'null') = 'null' then null
        when private.plain_phone(m -> 'data' -> 'phone') then m -> 'data' ->> 'phone'
        else private.read_phone(m -> 'data', 'phone') end,
      case when coalesce(jsonb_typeof(m -> 'data' -> 'address'), 'null') = 'null' then null
        when private.plain_text(m -> 'data' -> 'address', 200) then m -> 'data' ->> 'address'
        else private.read_text(m -> 'data', 'address', 200, false) end,
      case when (m -> 'data' ->> 'preferred_language') in ('en', 'hi') then m -> 'data' ->> 'preferred_language'
        else private.read_enum(m -> 'data', 'preferred_language', array['en', 'hi']) end,
      case when coalesce(jsonb_typeof(m -> 'data' -> 'emergency_contact_name'), 'null') = 'null' then null
        when private.plain_text(m -> 'data' -> 'emergency_contact_name', 120) then m -> 'data' ->> 'emergency_contact_name'
        else private.read_text(m -> 'data', 'emergency_contact_name', 120, false) end,
      case when coalesce(jsonb_typeof(m -> 'data' -> 'emergency_contact_phone'), 'null') = 'null' then null
        when private.plain_phone(m -> 'data' -> 'emergency_contact_phone') then m -> 'data' ->> 'emergency_contact_phone'
        else private.read_phone(m -> 'data', 'emergency_contact_phone') end
    from jsonb_array_elements(p_batch) with ordinality as e(m, pos)
    where m ->> 'entity' = 'patients'
    order by pos
    returning patients.id, private.wire_row(to_jsonb(patients.*)) as row
  )
  select coalesce(jsonb_object_agg(w.id, w.row), '{}') into v_rows from written w;

  -- As apply_appointment for a named slot. Checked above as the row triggers would check each
  -- row (appointments_guard, _own_booking, _booking_cap skip a 'batch:' insert); the slots are
  -- marked taken in one statement after it (sync_slot_availability skips it too).
  with written as (
    insert into public.appointments (
      id, patient_id, doctor_id, slot_id, starts_at, ends_at, mode, reason, status,
      requested_specialty, preferred_date, preferred_window
    )
    select a.id, a.patient_id, a.doctor_id, a.slot_id, a.starts_at, a.ends_at, a.mode, a.reason, a.status,
      null, null, null
    from unnest(v_apps) as a
    order by a.pos
    returning appointments.id, private.wire_row(to_jsonb(appointments.*)) as row
  )
  select coalesce(jsonb_object_agg(w.id, w.row), '{}') into v_more from written w;
  perform private.take_slots(array(
    select a.slot_id from unnest(v_apps) as a where a.status in ('requested', 'confirmed', 'checked_in')));

  -- The stamps of the rows written with a seq, in one statement (the guard skips a 'batch:' insert).
  insert into private.row_stamps as s (entity, id, client_id, seq, user_id)
  select 'patients', lower(m ->> 'key')::uuid, p_client, (m ->> 'seq')::bigint, v_uid
  from jsonb_array_elements(p_batch) as e(m)
  where m ->> 'entity' = 'patients' and jsonb_typeof(m -> 'seq') = 'number'
  union all
  select 'appointments', a.id, p_client, a.seq, v_uid from unnest(v_apps) as a where a.seq is not null
  on conflict (entity, id) do update
    set client_id = excluded.client_id, seq = excluded.seq, user_id = excluded.user_id;

  -- Each answer's row from its own table: a patient and an appointment may share an id.
  select array_agg(jsonb_build_object('id', m ->> 'id', 'status', 'applied',
      'row', case when m ->> 'entity' = 'patients' then v_rows else v_more end -> lower(m ->> 'key'))
      order by pos)
  into v_answers
  from jsonb_array_elements(p_batch) with ordinality as e(m, pos);
  perform private.ledger_record_new(p_client, v_ids, v_answers);
  return to_jsonb(v_answers);
end;
$$;
