-- The fast path answers two kinds of hostile batch as push_each does (issue 10, found attacking
-- sync_push with seeded mixes of hostile mutations, supabase/tests/push-paths.test.ts).
--
-- 1. A dependency cycle through a patient.
-- A batch of new rows in which a patient's deps name the booking of that same patient (sent after
-- it, or before): push_order (push_each's order) follows the patient's dependency first, reaches the
-- booking, whose own prerequisite, the patient, is already on its way in, and so places the booking
-- before its patient. push_each then refuses the booking (missing_parent) and blocks the patient
-- behind it, while push_fast, which does not read deps, applied both. No device sends such a batch
-- (a patient references nothing, sync/entities.ts), but anyone with an account can, and the two
-- paths must give the same answers for any batch. push_fast now leaves a batch to push_each when a
-- patient of its prefix depends on an appointment of the batch. A longer cycle runs through such a
-- dependency too: a patient's prerequisites are only its deps, and deps that lead from patients
-- to patients alone never reach an appointment. (A dependency on a mutation after the prefix
-- already sent the batch to push_each.)
--
-- 2. One id for two rows. A patient and an appointment may share an id (different tables; no
-- device makes such ids, they are random, but anyone can send them). push_fast answered each
-- mutation from one map of the rows it wrote, by id, where the appointment's row replaced the
-- patient's: the patient's mutation was answered `applied` with the appointment's row (which the
-- device would have stored as its patient). Each answer now takes its row from its own table's map.
--
-- The rest of private.push_fast is unchanged from 20261201100000_push_speed.sql.

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
      preferred_language, emergency_contact_name, emergency_contact_phone, last_client_id, last_client_seq
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
        else private.read_phone(m -> 'data', 'emergency_contact_phone') end,
      case when jsonb_typeof(m -> 'seq') = 'number' then p_client end,
      case when jsonb_typeof(m -> 'seq') = 'number' then (m ->> 'seq')::bigint end
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
      requested_specialty, preferred_date, preferred_window, last_client_id, last_client_seq
    )
    select a.id, a.patient_id, a.doctor_id, a.slot_id, a.starts_at, a.ends_at, a.mode, a.reason, a.status,
      null, null, null,
      case when a.seq is not null then p_client end, a.seq
    from unnest(v_apps) as a
    order by a.pos
    returning appointments.id, private.wire_row(to_jsonb(appointments.*)) as row
  )
  select coalesce(jsonb_object_agg(w.id, w.row), '{}') into v_more from written w;
  perform private.take_slots(array(
    select a.slot_id from unnest(v_apps) as a where a.status in ('requested', 'confirmed', 'checked_in')));

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
