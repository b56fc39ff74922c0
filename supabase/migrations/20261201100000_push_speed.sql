-- sync_push, faster per 1,000 (issue 10: server apply <= 0.25 s per 1,000 in the bench).
--
-- Measured as backend CPU (/proc/<pid>/schedstat) of one sync_push of 1,000 creates (200 patients,
-- 800 appointments), bench/push-profile.ts: about 180 ms before. Where it went, and what changes:
--
-- 1. Regular expressions. Postgres runs a regex match in about 3 µs; push_fast's test of a plain
--    batch ran nine per mutation (uuids, clientId, seq, dates, times): 31 ms. A uuid's text is now
--    tested as uuid_out's own (the cast raises on anything that is no uuid, and push_each answers
--    then); digits with translate(); a time against the shapes devices send, with the regex only
--    for any other shape. The same batches pass, the same go to push_each. A patient's fields and a
--    booking's reason skip the plpgsql readers (a call and a trimming regex each) when already in
--    the form the reader would return (private.plain_text, private.plain_phone).
-- 2. The body parsed three times. sync_push validated the JSON again (text -> json) to read its first
--    token, and parsed it once more to measure the mutations' bytes. $1 is json already; the bytes
--    are measured only when the whole body is over the limit (the mutations cannot be otherwise).
-- 3. Row triggers that return at once for a batch push_fast checked as a whole
--    (appointments_guard, _own_booking, _booking_cap, and sync_slot_availability after insert): a
--    plpgsql trigger call costs about 5 µs even when it does nothing. On insert they now carry a
--    WHEN clause, so Postgres does not call them for such a batch; on update they fire as before
--    (a trigger's WHEN cannot tell insert from update, so each is split in two of the same function).
--
-- 4. Mixed batches. A batch with one edit went wholly to push_each (about 1 s of CPU per 1,000).
--    push_fast now applies the plain prefix of a batch (the new rows before the first mutation that
--    is not plain: an edit with its base, a delete, a request by specialty) when push_each, given
--    the whole batch, would apply that prefix as push_fast does, with the same answers: after it,
--    no mutation of a patient the prefix books for and none of a patient that depends on an
--    appointment (push_order places patient upserts and their prerequisites before every
--    appointment), no mutation of the prefix depending on one after it, no id in both parts. The
--    rest goes to push_each, after it, in the same transaction; otherwise the whole batch does, as
--    before (push-paths.test.ts).
--
-- Not a cause here: JIT. This build of Postgres has no LLVM, and on a server with it the plans of
-- sync_push are far below jit_above_cost (100,000): the largest, the appointments insert, costs ~60.

-- Whether private.read_text(…, max_length, …) would return a JSON value's string as it is: a
-- string that starts and ends with a printable ASCII character (whitespace in no locale), no longer
-- than max_length. For push_fast, to skip the reader's plpgsql call and trimming regex for the
-- values devices send; any other value still goes through the reader. SQL with no SET clause, so
-- Postgres inlines it into the query that calls it (pg_catalog functions and operators only).
create or replace function private.plain_text(p_value jsonb, p_max_length integer) returns boolean
language sql
immutable
as $$
  select jsonb_typeof(p_value) = 'string'
    and ascii(p_value #>> '{}') between 33 and 126
    and ascii(right(p_value #>> '{}', 1)) between 33 and 126
    and char_length(p_value #>> '{}') <= p_max_length
$$;

-- Whether private.read_phone would return a JSON value's string as it is: already in the form it
-- checks, ^\+?[0-9]{7,15}$ (tested without a regex: digits dropped, at most a leading + remains).
create or replace function private.plain_phone(p_value jsonb) returns boolean
language sql
immutable
as $$
  select jsonb_typeof(p_value) = 'string'
    and case translate(p_value #>> '{}', '0123456789', '')
      when '' then char_length(p_value #>> '{}') between 7 and 15
      when '+' then left(p_value #>> '{}', 1) = '+' and char_length(p_value #>> '{}') between 8 and 16
      else false end
$$;

revoke all on function private.plain_text(jsonb, integer) from public;
grant execute on function private.plain_text(jsonb, integer) to authenticated;
revoke all on function private.plain_phone(jsonb) from public;
grant execute on function private.plain_phone(jsonb) to authenticated;

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
  v_rows jsonb;
  v_more jsonb;
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
  v_rows := v_rows || v_more;

  select array_agg(jsonb_build_object('id', m ->> 'id', 'status', 'applied', 'row', v_rows -> lower(m ->> 'key'))
      order by pos)
  into v_answers
  from jsonb_array_elements(p_batch) with ordinality as e(m, pos);
  perform private.ledger_record_new(p_client, v_ids, v_answers);
  return to_jsonb(v_answers);
end;
$$;


create or replace function public.sync_push(json) returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  -- PUSH_LIMITS in sync/protocol.ts.
  c_max_mutations constant integer := 1000;
  c_max_bytes constant integer := 2000000;
  c_uuid constant text := '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
  v_client uuid;
  v_body jsonb;
  v_uid uuid := (select auth.uid());
  v_bytes integer;
  v_text text;
  v_nul text;              -- what stands for U+0000 in v_body, when the body holds one
  v_nul_count integer := 0;
  v_batch jsonb;
  v_pull jsonb;
  v_results jsonb;
  v_sqlstate text;
begin
  if v_uid is null then
    raise exception 'sync_push needs a signed-in user' using errcode = '42501';
  end if;
  -- jsonb (and every json function that decodes a string) refuses the escape \u0000 (22P05). Each
  -- one, and only a real one (after an even run of backslashes), is replaced by a marker no device
  -- can have sent, a fresh random uuid; the mutations holding it are rejected by push_each.
  v_text := $1::text;
  if strpos(v_text, '\u0000') > 0 then
    v_nul := 'U+0000:' || pg_catalog.gen_random_uuid();
    v_text := pg_catalog.regexp_replace(v_text, '(?<!\\)((?:\\\\)*)\\u0000', '\1' || v_nul, 'g');
    v_nul_count := (octet_length(v_text) - octet_length($1::text)) / (octet_length(v_nul) - 6);
  end if;
  -- $1 is valid JSON (json's input checked it) and the marker changed nothing outside its strings:
  -- json_typeof reads the first token only, where a cast to json would parse it all again.
  if json_typeof($1) <> 'object' then
    raise exception 'sync_push needs a JSON object: {"client_id": …, "mutations": […]}' using errcode = '22023';
  end if;
  -- The bytes of the mutations JSON as the device sent it (json, unlike jsonb, keeps the text).
  -- Within the whole body's bytes, so measured (one more parse) only when the body is over the limit.
  if octet_length($1::text) > c_max_bytes then
    v_bytes := octet_length((v_text::json -> 'mutations')::text)
      - v_nul_count * (octet_length(coalesce(v_nul, '')) - 6);
    if v_bytes > c_max_bytes then
      raise exception 'sync_push accepts at most % bytes of mutations JSON per call; this batch has % bytes',
        c_max_bytes, v_bytes
        using errcode = 'PT413', hint = 'Split the batch (PUSH_LIMITS.maxBytes).';
    end if;
  end if;
  v_body := v_text::jsonb;
  if (v_body ->> 'client_id') is null or (v_body ->> 'client_id') !~* c_uuid then
    raise exception 'sync_push needs a client_id (a uuid)' using errcode = '22023';
  end if;
  v_client := (v_body ->> 'client_id')::uuid;
  v_batch := v_body -> 'mutations';
  if v_batch is null or jsonb_typeof(v_batch) <> 'array' then
    raise exception 'sync_push needs mutations as a JSON array' using errcode = '22023';
  end if;
  if jsonb_array_length(v_batch) > c_max_mutations then
    raise exception 'sync_push accepts at most % mutations per call; this batch has % mutations',
      c_max_mutations, jsonb_array_length(v_batch)
      using errcode = 'PT413', hint = 'Split the batch (PUSH_LIMITS.maxMutations).';
  end if;
  -- Checked before anything is applied: a malformed request is refused whole.
  -- "pull": null asks for nothing, like no "pull" at all.
  v_pull := nullif(v_body -> 'pull', 'null'::jsonb);
  if v_pull is not null and (jsonb_typeof(v_pull) <> 'object'
    or jsonb_typeof(v_pull -> 'since') not in ('string', 'null')
    or jsonb_typeof(v_pull -> 'max_rows') not in ('number', 'null')
    or (jsonb_typeof(v_pull -> 'max_rows') = 'number' and (v_pull ->> 'max_rows') !~ '^-?[0-9]{1,9}$')
    or jsonb_typeof(v_pull -> 'max_bytes') not in ('number', 'null')
    or (jsonb_typeof(v_pull -> 'max_bytes') = 'number' and (v_pull ->> 'max_bytes') !~ '^-?[0-9]{1,9}$'))
  then
    raise exception 'sync_push: pull must be {"since": a cursor or null, "max_rows" and "max_bytes": whole numbers (optional)}'
      using errcode = '22023';
  end if;

  if jsonb_array_length(v_batch) = 0 then
    v_results := '[]';
  else
    -- Parents first, checked per statement: a missing parent fails its own insert, not the commit.
    set constraints public.appointments_patient_id_fkey immediate;
    -- consult.push_path = 'each' forces the per-mutation path (tests and bench/push-profile.ts
    -- compare the two; a device cannot set it).
    if v_nul is null and pg_catalog.current_setting('consult.push_path', true) is distinct from 'each' then
      begin
        v_results := private.push_fast(v_client, v_batch);
      exception when others then
        get stacked diagnostics v_sqlstate = returned_sqlstate;
        -- Transient failures fail the call, as in push_each; anything else is a refused row,
        -- which push_each answers mutation by mutation (the block undid the fast path's writes).
        if left(v_sqlstate, 2) in ('40', '53', '57', '58') or v_sqlstate = '55P03' then
          raise;
        end if;
        v_results := null;
      end;
    end if;
    -- Which path answered, for the contract test (stack test push-paths.test.ts): the fast path, the
    -- per-mutation path, or the fast path for a prefix and the per-mutation path for the rest.
    perform pg_catalog.set_config('consult.push_path_used', case when v_results is null then 'each'
      when jsonb_array_length(v_results) < jsonb_array_length(v_batch) then 'fast+each' else 'fast' end, true);
    if v_results is null then
      v_results := private.push_each(v_client, v_batch, v_nul);
    elsif jsonb_array_length(v_results) < jsonb_array_length(v_batch) then
      -- push_fast applied a prefix as push_each would have, first and alone; the rest is answered
      -- as push_each answers it after that prefix (push_fast says when that holds).
      perform pg_catalog.set_config('consult.client_write', '', true);
      v_results := v_results || private.push_each(v_client,
        (select jsonb_agg(e.m order by e.pos) from jsonb_array_elements(v_batch) with ordinality as e(m, pos)
         where e.pos > jsonb_array_length(v_results)),
        v_nul);
    end if;
    perform pg_catalog.set_config('consult.client_write', '', true);
  end if;
  if v_pull is null then
    return v_results;
  end if;
  -- After the batch, in its transaction (see the head of this file for why the cursor loses nothing).
  -- Without max_rows, sync_pull's own default page size.
  return jsonb_build_object(
    'results', v_results,
    'pull', case
      when jsonb_typeof(v_pull -> 'max_rows') = 'number' and jsonb_typeof(v_pull -> 'max_bytes') = 'number'
        then public.sync_pull(since => v_pull ->> 'since', max_rows => (v_pull ->> 'max_rows')::integer,
          max_bytes => (v_pull ->> 'max_bytes')::integer)
      when jsonb_typeof(v_pull -> 'max_rows') = 'number'
        then public.sync_pull(since => v_pull ->> 'since', max_rows => (v_pull ->> 'max_rows')::integer)
      when jsonb_typeof(v_pull -> 'max_bytes') = 'number'
        then public.sync_pull(since => v_pull ->> 'since', max_bytes => (v_pull ->> 'max_bytes')::integer)
      else public.sync_pull(since => v_pull ->> 'since') end
  );
end;
$$;

-- 3. Row triggers not called where they would change nothing. For an insert of a batch push_fast
-- checked as a whole ('batch:<client_id>', set by push_fast only, never by a device):
-- - appointments_guard, _own_booking, _booking_cap and sync_slot_availability return at once (the
--   functions still test it themselves);
-- - guard_client_write keeps the stamp push_fast wrote (its own client id, or none);
-- - stamp_synced_row writes what the columns' defaults already hold on insert (version 1, now(),
--   the transaction's id), as push_fast names none of those columns.
-- appointments_join_url clears join_url unless the row is a confirmed (or checked-in) video call;
-- when the row has none and is not one, there is nothing to clear, on insert or update.
-- On update (and delete) every trigger fires as before. A trigger's WHEN cannot tell an insert
-- from an update, so each is split in two of the same function: the update one keeps the name, the
-- insert one sorts right after it, so the order of the triggers of an insert is unchanged.
drop trigger patients_05_client_write on public.patients;
create trigger patients_05_client_write before update or delete on public.patients
  for each row execute function private.guard_client_write();
create trigger patients_05_client_write_insert before insert on public.patients
  for each row when (coalesce(pg_catalog.current_setting('consult.client_write', true), '') not like 'batch:%')
  execute function private.guard_client_write();

drop trigger patients_20_stamp on public.patients;
create trigger patients_20_stamp before update on public.patients
  for each row execute function private.stamp_synced_row();
create trigger patients_20_stamp_insert before insert on public.patients
  for each row when (coalesce(pg_catalog.current_setting('consult.client_write', true), '') not like 'batch:%')
  execute function private.stamp_synced_row();

drop trigger appointments_05_client_write on public.appointments;
create trigger appointments_05_client_write before update or delete on public.appointments
  for each row execute function private.guard_client_write();
create trigger appointments_05_client_write_insert before insert on public.appointments
  for each row when (coalesce(pg_catalog.current_setting('consult.client_write', true), '') not like 'batch:%')
  execute function private.guard_client_write();

drop trigger appointments_20_stamp on public.appointments;
create trigger appointments_20_stamp before update on public.appointments
  for each row execute function private.stamp_synced_row();
create trigger appointments_20_stamp_insert before insert on public.appointments
  for each row when (coalesce(pg_catalog.current_setting('consult.client_write', true), '') not like 'batch:%')
  execute function private.stamp_synced_row();

drop trigger appointments_25_join_url on public.appointments;
create trigger appointments_25_join_url before insert or update on public.appointments
  for each row when (new.join_url is not null
    or (new.status in ('confirmed', 'checked_in') and new.mode = 'video'))
  execute function private.appointments_join_url();

drop trigger appointments_10_guard on public.appointments;
create trigger appointments_10_guard before update on public.appointments
  for each row execute function private.appointments_guard();
create trigger appointments_10_guard_insert before insert on public.appointments
  for each row when (coalesce(pg_catalog.current_setting('consult.client_write', true), '') not like 'batch:%')
  execute function private.appointments_guard();

drop trigger appointments_12_own_booking on public.appointments;
create trigger appointments_12_own_booking before update of slot_id, status on public.appointments
  for each row execute function private.appointments_own_booking();
create trigger appointments_12_own_booking_insert before insert on public.appointments
  for each row when (coalesce(pg_catalog.current_setting('consult.client_write', true), '') not like 'batch:%')
  execute function private.appointments_own_booking();

drop trigger appointments_15_booking_cap on public.appointments;
create trigger appointments_15_booking_cap before update of status on public.appointments
  for each row execute function private.appointments_booking_cap();
create trigger appointments_15_booking_cap_insert before insert on public.appointments
  for each row when (coalesce(pg_catalog.current_setting('consult.client_write', true), '') not like 'batch:%')
  execute function private.appointments_booking_cap();

drop trigger appointments_30_slot_taken on public.appointments;
create trigger appointments_30_slot_taken after insert on public.appointments
  for each row when (new.status in ('requested', 'confirmed', 'checked_in')
    and coalesce(pg_catalog.current_setting('consult.client_write', true), '') not like 'batch:%')
  execute function private.sync_slot_availability();
