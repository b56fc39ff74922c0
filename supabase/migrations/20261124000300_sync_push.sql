-- sync_push(client_id, mutations): applies one batch of device mutations (sync/protocol.ts) in one
-- transaction and answers one PushResult per mutation, in the order they were sent.
--
-- * Limits: more than 500 mutations or more than 1,000,000 bytes of JSON text (PUSH_LIMITS) raise
--   SQLSTATE PT413 before anything is applied; PostgREST answers it with HTTP 413, so the client
--   splits the batch instead of retrying it. `mutations` is `json`, not `jsonb`, so the byte count is
--   of the text the device sent (jsonb would re-serialize it with extra spaces).
-- * Order: parents first whatever the arrival order (patient upserts, then appointments, then
--   patient deletes), and every mutation after its deps and after earlier writes of the same row.
-- * Each mutation runs in its own savepoint (a BEGIN … EXCEPTION block): a rejected mutation undoes
--   only itself.
-- * Exactly once: a mutation is first claimed in sync_ledger (insert … on conflict do nothing); only
--   the claimant applies it, and its `applied` answer is stored with the claim. A replay — the same
--   batch again, another tab, or a concurrent push that waited on the claim — gets `duplicate` with
--   that stored answer. Rejected and blocked mutations leave no trace (the savepoint rollback also
--   removes the claim), so a re-send is evaluated again: after a fix, or once its parent arrived.
-- * Security invoker: row level security applies to every write, so the explicit checks below only
--   turn what RLS would refuse into readable answers.

-- ---------------------------------------------------------------------------------------------
-- Field readers: each returns the typed value or rejects with `validation` naming the field.
-- They mirror the zod rules in sync/entities.ts (strings are trimmed first, as zod's .trim()).
-- ---------------------------------------------------------------------------------------------

create function private.read_text(data jsonb, field text, max_length integer, required boolean) returns text
language plpgsql
set search_path = ''
as $$
declare
  v jsonb := data -> field;
  s text;
begin
  if v is null or jsonb_typeof(v) = 'null' then
    if required then
      perform private.reject('validation', format('%s is required', field), field);
    end if;
    return null;
  end if;
  if jsonb_typeof(v) <> 'string' then
    perform private.reject('validation',
      format('%s must be a string, not a %s', field, jsonb_typeof(v)), field);
  end if;
  s := regexp_replace(v #>> '{}', '^\s+|\s+$', '', 'g');
  if s = '' then
    if required then
      perform private.reject('validation', format('%s is required and cannot be blank', field), field);
    end if;
    return null;
  end if;
  if char_length(s) > max_length then
    perform private.reject('validation',
      format('%s is %s characters long; the most is %s', field, char_length(s), max_length), field);
  end if;
  return s;
end;
$$;

create function private.read_enum(data jsonb, field text, allowed text[]) returns text
language plpgsql
set search_path = ''
as $$
declare
  s text := private.read_text(data, field, 100, true);
begin
  if not s = any (allowed) then
    perform private.reject('validation',
      format('%s must be one of %s, not "%s"', field, array_to_string(allowed, ', '), s), field);
  end if;
  return s;
end;
$$;

create function private.read_uuid(data jsonb, field text) returns uuid
language plpgsql
set search_path = ''
as $$
declare
  s text := private.read_text(data, field, 100, true);
begin
  if s !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    perform private.reject('validation', format('%s must be a uuid, not "%s"', field, s), field);
  end if;
  return s::uuid;
end;
$$;

-- PHONE_PATTERN, after stripping spaces and dashes.
create function private.read_phone(data jsonb, field text) returns text
language plpgsql
set search_path = ''
as $$
declare
  s text := private.read_text(data, field, 100, false);
begin
  if s is null then
    return null;
  end if;
  s := regexp_replace(s, '[\s-]', '', 'g');
  if s !~ '^\+?[0-9]{7,15}$' then
    perform private.reject('validation',
      format('%s must be 7 to 15 digits, optionally starting with +', field), field);
  end if;
  return s;
end;
$$;

create function private.read_birth_date(data jsonb, field text) returns date
language plpgsql
set search_path = ''
as $$
declare
  s text := private.read_text(data, field, 100, true);
  d date;
begin
  if s !~ '^\d{4}-\d{2}-\d{2}$' then
    perform private.reject('validation', format('%s must be a date in the form YYYY-MM-DD, not "%s"', field, s),
      field);
  end if;
  begin
    d := s::date;
  exception when datetime_field_overflow or invalid_datetime_format then
    perform private.reject('validation', format('%s is not a real date: "%s"', field, s), field);
  end;
  if d < date '1900-01-01' then
    perform private.reject('validation', format('%s must be on or after 1900-01-01', field), field);
  end if;
  -- The device checks against today's UTC date (todayIso); so does the check constraint.
  if d > (pg_catalog.now() at time zone 'utc')::date then
    perform private.reject('validation', format('%s cannot be in the future', field), field);
  end if;
  return d;
end;
$$;

create function private.read_timestamp(data jsonb, field text) returns timestamptz
language plpgsql
set search_path = ''
as $$
declare
  s text := private.read_text(data, field, 100, true);
begin
  return s::timestamptz;
exception when datetime_field_overflow or invalid_datetime_format then
  perform private.reject('validation', format('%s must be an ISO 8601 timestamp, not "%s"', field, s), field);
  return null;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- Per-entity apply: returns the canonical row (null after a delete) or raises.
-- ---------------------------------------------------------------------------------------------

create function private.apply_patient(p_op text, p_key uuid, p_data jsonb) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_staff_clinic uuid := private.staff_clinic_id();
  v_in public.patients;
  v_row public.patients;
begin
  if p_op = 'delete' then
    delete from public.patients where id = p_key returning * into v_row;
    if not found and private.row_exists('patients', p_key) then
      perform private.reject('forbidden', format('patient %s belongs to another account or clinic', p_key));
    end if;
    -- Deleting what is already gone is a success: the device wanted it gone.
    return null;
  end if;

  v_in.full_name := private.read_text(p_data, 'full_name', 120, true);
  v_in.date_of_birth := private.read_birth_date(p_data, 'date_of_birth');
  v_in.sex := private.read_enum(p_data, 'sex', array['female', 'male', 'other', 'undisclosed']);
  v_in.phone := private.read_phone(p_data, 'phone');
  v_in.address := private.read_text(p_data, 'address', 200, false);
  v_in.preferred_language := private.read_enum(p_data, 'preferred_language', array['en', 'hi']);
  v_in.emergency_contact_name := private.read_text(p_data, 'emergency_contact_name', 120, false);
  v_in.emergency_contact_phone := private.read_phone(p_data, 'emergency_contact_phone');

  select * into v_row from public.patients where id = p_key for update;
  if not found then
    -- Ownership comes from the session, never from the device: staff register walk-ins for their
    -- clinic; anyone else creates their own profile.
    insert into public.patients (
      id, user_id, registered_by, clinic_id, full_name, date_of_birth, sex, phone, address,
      preferred_language, emergency_contact_name, emergency_contact_phone
    ) values (
      p_key,
      case when v_staff_clinic is null then v_uid end,
      case when v_staff_clinic is not null then v_uid end,
      v_staff_clinic,
      v_in.full_name, v_in.date_of_birth, v_in.sex, v_in.phone, v_in.address,
      v_in.preferred_language, v_in.emergency_contact_name, v_in.emergency_contact_phone
    )
    on conflict (id) do nothing
    returning * into v_row;
    if found then
      return to_jsonb(v_row) - 'txid';
    end if;
    -- The id exists: either another of the caller's pushes created it a moment ago (now visible,
    -- so update it), or it is someone else's row (invisible under RLS).
    select * into v_row from public.patients where id = p_key for update;
    if not found then
      perform private.reject('forbidden', format('patient %s belongs to another account or clinic', p_key));
    end if;
  end if;

  update public.patients set
    full_name = v_in.full_name,
    date_of_birth = v_in.date_of_birth,
    sex = v_in.sex,
    phone = v_in.phone,
    address = v_in.address,
    preferred_language = v_in.preferred_language,
    emergency_contact_name = v_in.emergency_contact_name,
    emergency_contact_phone = v_in.emergency_contact_phone
  where id = p_key
  returning * into v_row;
  if not found then
    perform private.reject('forbidden', format('patient %s belongs to another account or clinic', p_key));
  end if;
  return to_jsonb(v_row) - 'txid';
end;
$$;

-- Status rules, slot matching and past-slot checks live in the appointments_guard trigger so they
-- hold for Data API writes too; this function adds the parent check and the forbidden cases.
create function private.apply_appointment(p_op text, p_key uuid, p_data jsonb) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_in public.appointments;
  v_row public.appointments;
begin
  if p_op = 'delete' then
    delete from public.appointments where id = p_key returning * into v_row;
    if not found and private.row_exists('appointments', p_key) then
      perform private.reject('forbidden', format('appointment %s belongs to another account or clinic', p_key));
    end if;
    return null;
  end if;

  v_in.patient_id := private.read_uuid(p_data, 'patient_id');
  v_in.doctor_id := private.read_uuid(p_data, 'doctor_id');
  v_in.slot_id := private.read_uuid(p_data, 'slot_id');
  v_in.starts_at := private.read_timestamp(p_data, 'starts_at');
  v_in.ends_at := private.read_timestamp(p_data, 'ends_at');
  v_in.mode := private.read_enum(p_data, 'mode', array['video', 'in_person']);
  v_in.reason := private.read_text(p_data, 'reason', 500, true);
  v_in.status := private.read_enum(p_data, 'status',
    array['requested', 'confirmed', 'rejected', 'cancelled', 'completed']);

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

  select * into v_row from public.appointments where id = p_key for update;
  if not found then
    insert into public.appointments (
      id, patient_id, doctor_id, slot_id, starts_at, ends_at, mode, reason, status
    ) values (
      p_key, v_in.patient_id, v_in.doctor_id, v_in.slot_id, v_in.starts_at, v_in.ends_at, v_in.mode,
      v_in.reason, v_in.status
    )
    on conflict (id) do nothing
    returning * into v_row;
    if found then
      return to_jsonb(v_row) - 'txid';
    end if;
    select * into v_row from public.appointments where id = p_key for update;
    if not found then
      perform private.reject('forbidden', format('appointment %s belongs to another account or clinic', p_key));
    end if;
  end if;

  update public.appointments set
    patient_id = v_in.patient_id,
    doctor_id = v_in.doctor_id,
    slot_id = v_in.slot_id,
    starts_at = v_in.starts_at,
    ends_at = v_in.ends_at,
    mode = v_in.mode,
    reason = v_in.reason,
    status = v_in.status
  where id = p_key
  returning * into v_row;
  if not found then
    perform private.reject('forbidden', format('appointment %s belongs to another account or clinic', p_key));
  end if;
  return to_jsonb(v_row) - 'txid';
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- Ledger access. Security definer: devices may read their own ledger rows but never write them.
-- ---------------------------------------------------------------------------------------------

create function private.ledger_claim(p_client uuid, p_mutation uuid) returns boolean
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- Waits while another transaction holds an uncommitted claim on the same mutation; then either
  -- claims it (that one rolled back) or does nothing (it committed).
  insert into public.sync_ledger (client_id, mutation_id, user_id)
  values (p_client, p_mutation, (select auth.uid()))
  on conflict (client_id, mutation_id) do nothing;
  return found;
end;
$$;

create function private.ledger_record(p_client uuid, p_mutation uuid, p_answer jsonb) returns void
language sql
security definer
set search_path = ''
as $$
  update public.sync_ledger set answer = p_answer
  where client_id = p_client and mutation_id = p_mutation and user_id = (select auth.uid())
$$;

-- The stored first answer, or null when the mutation was claimed by another user.
create function private.ledger_answer(p_client uuid, p_mutation uuid) returns jsonb
language sql
security definer
set search_path = ''
as $$
  select l.answer from public.sync_ledger l
  where l.client_id = p_client and l.mutation_id = p_mutation and l.user_id = (select auth.uid())
$$;

revoke all on function private.ledger_claim(uuid, uuid) from public;
revoke all on function private.ledger_record(uuid, uuid, jsonb) from public;
revoke all on function private.ledger_answer(uuid, uuid) from public;
grant execute on function private.ledger_claim(uuid, uuid) to authenticated;
grant execute on function private.ledger_record(uuid, uuid, jsonb) to authenticated;
grant execute on function private.ledger_answer(uuid, uuid) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Batch order
-- ---------------------------------------------------------------------------------------------

-- The order to apply a batch in, as 1-based positions: a depth-first topological sort that visits
-- mutations by (rank, arrival) and puts each one's prerequisites first. Prerequisites: its deps in
-- the batch, the previous write of the same row, and for an appointment the last upsert of its
-- patient. Ranks put parents first: patient upserts, appointments, patient deletes (after the
-- appointments they would cascade to). A dependency cycle is cut where it is found.
create function private.push_order(p_mutations jsonb) returns integer[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  n integer := jsonb_array_length(p_mutations);
  v_m jsonb;
  v_pos_by_id jsonb := '{}';
  v_last_by_row jsonb := '{}';
  v_last_patient_upsert jsonb := '{}';
  v_prev_same_row integer[] := array_fill(0, array[n]);
  v_parent_upsert integer[] := array_fill(0, array[n]);
  v_state integer[] := array_fill(0, array[n]);
  v_start integer[];
  v_stack integer[] := '{}';
  v_order integer[] := '{}';
  v_row_key text;
  v_dep jsonb;
  v_dep_pos integer;
  v_top integer;
  i integer;
begin
  for i in 1..n loop
    v_m := p_mutations -> (i - 1);
    if jsonb_typeof(v_m) <> 'object' then
      continue;
    end if;
    if jsonb_typeof(v_m -> 'id') = 'string' and not v_pos_by_id ? (v_m ->> 'id') then
      v_pos_by_id := v_pos_by_id || jsonb_build_object(v_m ->> 'id', i);
    end if;
    v_row_key := coalesce(v_m ->> 'entity', '') || ':' || coalesce(v_m ->> 'key', '');
    v_prev_same_row[i] := coalesce((v_last_by_row ->> v_row_key)::integer, 0);
    v_last_by_row := v_last_by_row || jsonb_build_object(v_row_key, i);
    if v_m ->> 'entity' = 'patients' and v_m ->> 'op' = 'upsert' and v_m ? 'key' then
      v_last_patient_upsert := v_last_patient_upsert || jsonb_build_object(v_m ->> 'key', i);
    end if;
  end loop;

  for i in 1..n loop
    v_m := p_mutations -> (i - 1);
    if jsonb_typeof(v_m) = 'object' and v_m ->> 'entity' = 'appointments'
      and jsonb_typeof(v_m -> 'data') = 'object'
    then
      v_parent_upsert[i] := coalesce((v_last_patient_upsert ->> (v_m -> 'data' ->> 'patient_id'))::integer, 0);
    end if;
  end loop;

  select coalesce(array_agg(t.pos order by t.rank, t.pos), '{}') into v_start
  from (
    select e.pos::integer as pos,
      case
        when e.m ->> 'entity' = 'patients' and e.m ->> 'op' = 'upsert' then 0
        when e.m ->> 'entity' = 'appointments' then 1
        when e.m ->> 'entity' = 'patients' then 2
        else 3
      end as rank
    from jsonb_array_elements(p_mutations) with ordinality as e(m, pos)
  ) t;

  -- v_state: 0 unvisited, 1 prerequisites pending, 2 placed.
  foreach i in array v_start loop
    if v_state[i] <> 0 then
      continue;
    end if;
    v_stack := array[i];
    while cardinality(v_stack) > 0 loop
      v_top := v_stack[cardinality(v_stack)];
      if v_state[v_top] = 0 then
        v_state[v_top] := 1;
        v_m := p_mutations -> (v_top - 1);
        if v_prev_same_row[v_top] > 0 and v_state[v_prev_same_row[v_top]] = 0 then
          v_stack := v_stack || v_prev_same_row[v_top];
        end if;
        if v_parent_upsert[v_top] > 0 and v_state[v_parent_upsert[v_top]] = 0 then
          v_stack := v_stack || v_parent_upsert[v_top];
        end if;
        if jsonb_typeof(v_m -> 'deps') = 'array' then
          for v_dep in select value from jsonb_array_elements(v_m -> 'deps') loop
            v_dep_pos := (v_pos_by_id ->> (v_dep #>> '{}'))::integer;
            if v_dep_pos is not null and v_state[v_dep_pos] = 0 then
              v_stack := v_stack || v_dep_pos;
            end if;
          end loop;
        end if;
      else
        v_stack := v_stack[1:cardinality(v_stack) - 1];
        if v_state[v_top] = 1 then
          v_state[v_top] := 2;
          v_order := v_order || v_top;
        end if;
      end if;
    end loop;
  end loop;
  return v_order;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- Error mapping
-- ---------------------------------------------------------------------------------------------

-- The field a check constraint guards, from the constraint's name (<table>_<field>_<rule>).
create function private.constraint_field(p_constraint text) returns text
language sql
immutable
set search_path = ''
as $$
  select f from unnest(array[
    'emergency_contact_phone', 'emergency_contact_name', 'preferred_language', 'date_of_birth',
    'full_name', 'patient_id', 'doctor_id', 'slot_id', 'starts_at', 'ends_at', 'phone', 'address',
    'sex', 'reason', 'mode', 'status'
  ]) with ordinality as t(f, n)
  where p_constraint like '%\_' || f || '\_%'
  order by n
  limit 1
$$;

-- ---------------------------------------------------------------------------------------------
-- The RPC
-- ---------------------------------------------------------------------------------------------

create function public.sync_push(client_id uuid, mutations json) returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  c_max_mutations constant integer := 500;
  c_max_bytes constant integer := 1000000;
  v_uid uuid := (select auth.uid());
  v_bytes integer;
  v_batch jsonb;
  v_count integer;
  v_results jsonb[];
  v_failed jsonb := '{}';      -- mutation id -> the rejected mutation it traces back to
  v_failed_rows jsonb := '{}'; -- entity:key -> the rejected mutation that last wrote that row
  v_pos integer;
  v_m jsonb;
  v_id text;
  v_entity text;
  v_op text;
  v_key uuid;
  v_data jsonb;
  v_blocker text;
  v_dep jsonb;
  v_stored jsonb;
  v_row jsonb;
  v_answer jsonb;
  v_sqlstate text;
  v_message text;
  v_detail text;
  v_column text;
  v_constraint text;
  v_code text;
  v_field text;
begin
  if v_uid is null then
    raise exception 'sync_push needs a signed-in user' using errcode = '42501';
  end if;
  if client_id is null then
    raise exception 'sync_push needs a client_id' using errcode = '22023';
  end if;
  if mutations is null or json_typeof(mutations) <> 'array' then
    raise exception 'sync_push needs mutations as a JSON array' using errcode = '22023';
  end if;
  v_bytes := octet_length(mutations::text);
  if v_bytes > c_max_bytes then
    raise exception 'sync_push accepts at most % bytes of mutations JSON per call; this batch has % bytes',
      c_max_bytes, v_bytes
      using errcode = 'PT413', hint = 'Split the batch (PUSH_LIMITS.maxBytes).';
  end if;
  v_count := json_array_length(mutations);
  if v_count > c_max_mutations then
    raise exception 'sync_push accepts at most % mutations per call; this batch has % mutations',
      c_max_mutations, v_count
      using errcode = 'PT413', hint = 'Split the batch (PUSH_LIMITS.maxMutations).';
  end if;

  v_batch := mutations::jsonb;
  v_results := array_fill(null::jsonb, array[greatest(v_count, 1)]);
  -- Parents are applied first; checking the FK per statement turns a missing parent into one
  -- rejected mutation (caught below) instead of a failed commit.
  set constraints public.appointments_patient_id_fkey immediate;

  foreach v_pos in array private.push_order(v_batch) loop
    v_m := v_batch -> (v_pos - 1);
    v_id := case when jsonb_typeof(v_m) = 'object' then v_m ->> 'id' end;
    v_answer := null;
    v_data := null;

    -- Blocked: a prerequisite in this batch was rejected (or blocked itself).
    v_blocker := null;
    if jsonb_typeof(v_m) = 'object' then
      if jsonb_typeof(v_m -> 'deps') = 'array' then
        for v_dep in select value from jsonb_array_elements(v_m -> 'deps') loop
          v_blocker := v_failed ->> (v_dep #>> '{}');
          exit when v_blocker is not null;
        end loop;
      end if;
      v_blocker := coalesce(
        v_blocker,
        v_failed_rows ->> ((v_m ->> 'entity') || ':' || (v_m ->> 'key')),
        case when v_m ->> 'entity' = 'appointments' then
          v_failed_rows ->> ('patients:' || (v_m -> 'data' ->> 'patient_id'))
        end
      );
    end if;
    if v_blocker is not null then
      v_results[v_pos] := jsonb_build_object(
        'id', v_id,
        'status', 'blocked',
        'blockedBy', v_blocker,
        'message', format('waits behind mutation %s, which was rejected', v_blocker)
      );
    else
      begin
        if jsonb_typeof(v_m) <> 'object' then
          perform private.reject('validation', 'a mutation must be a JSON object');
        end if;
        perform private.read_uuid(v_m, 'id');
        if private.read_uuid(v_m, 'clientId') <> client_id then
          perform private.reject('validation',
            format('clientId %s does not match the client_id of this push (%s)', v_m ->> 'clientId', client_id),
            'clientId');
        end if;
        v_entity := private.read_enum(v_m, 'entity', array['patients', 'appointments']);
        v_op := private.read_enum(v_m, 'op', array['upsert', 'delete']);
        v_key := private.read_uuid(v_m, 'key');
        if v_m ? 'deps' and jsonb_typeof(v_m -> 'deps') not in ('array', 'null') then
          perform private.reject('validation', 'deps must be an array of mutation ids', 'deps');
        end if;
        v_data := v_m -> 'data';
        if v_op = 'upsert' then
          if v_data is null or jsonb_typeof(v_data) <> 'object' then
            perform private.reject('validation', 'an upsert needs data: the full row as an object', 'data');
          end if;
          if v_data ? 'id' and v_data ->> 'id' is distinct from v_key::text then
            perform private.reject('validation',
              format('data.id (%s) does not match key (%s)', v_data ->> 'id', v_key), 'id');
          end if;
        end if;

        if private.ledger_claim(client_id, v_id::uuid) then
          if v_entity = 'patients' then
            v_row := private.apply_patient(v_op, v_key, v_data);
          else
            v_row := private.apply_appointment(v_op, v_key, v_data);
          end if;
          v_answer := jsonb_build_object('id', v_id, 'status', 'applied', 'row', v_row);
          perform private.ledger_record(client_id, v_id::uuid, v_answer);
        else
          v_stored := private.ledger_answer(client_id, v_id::uuid);
          if v_stored is null then
            perform private.reject('forbidden',
              format('mutation %s was already pushed by another user', v_id));
          end if;
          v_answer := jsonb_build_object('id', v_id, 'status', 'duplicate', 'first', v_stored);
        end if;
      exception
        -- Class 23 (integrity), 22 (bad data), 42501 (RLS) and our own rejections become answers;
        -- anything else (deadlock, serialization failure, cancel) fails the whole call so the client
        -- retries the batch.
        when sqlstate 'CS400' or integrity_constraint_violation or data_exception or insufficient_privilege then
          get stacked diagnostics
            v_sqlstate = returned_sqlstate,
            v_message = message_text,
            v_detail = pg_exception_detail,
            v_column = column_name,
            v_constraint = constraint_name;
          v_field := nullif(v_column, '');
          if v_sqlstate = 'CS400' then
            v_code := v_detail;
          elsif v_sqlstate = '23505' and v_constraint = 'appointments_one_active_per_slot' then
            v_code := 'slot_taken';
            v_field := 'slot_id';
            v_message := format('slot %s is already booked; pick another slot', v_data ->> 'slot_id');
          elsif v_sqlstate = '23505' and v_constraint = 'patients_user_id_key' then
            v_code := 'conflict';
            v_message := 'this account already has a patient profile; update that one instead';
          elsif v_sqlstate = '23503' and v_constraint = 'appointments_patient_id_fkey' then
            v_code := 'missing_parent';
            v_field := 'patient_id';
            v_message := format('patient %s does not exist on the server', v_data ->> 'patient_id');
          elsif v_sqlstate = '23503' then
            v_code := 'validation';
            v_field := coalesce(private.constraint_field(v_constraint), v_field);
            v_message := format('%s refers to a row that does not exist', coalesce(v_field, 'a reference'));
          elsif v_sqlstate in ('23514', '23502') then
            v_code := 'validation';
            v_field := coalesce(v_field, private.constraint_field(v_constraint));
          elsif v_sqlstate = '42501' then
            v_code := 'forbidden';
          elsif v_sqlstate like '23%' then
            v_code := 'conflict';
          else
            v_code := 'validation';
          end if;
          v_answer := jsonb_build_object(
            'id', v_id, 'status', 'rejected', 'code', v_code, 'message', v_message, 'field', v_field
          );
      end;

      v_results[v_pos] := v_answer;
    end if;

    if v_results[v_pos] ->> 'status' in ('rejected', 'blocked') and jsonb_typeof(v_m) = 'object' then
      v_blocker := coalesce(v_results[v_pos] ->> 'blockedBy', v_id);
      if v_id is not null then
        v_failed := v_failed || jsonb_build_object(v_id, v_blocker);
      end if;
      if v_m ? 'entity' and v_m ? 'key' then
        v_failed_rows := v_failed_rows
          || jsonb_build_object((v_m ->> 'entity') || ':' || (v_m ->> 'key'), v_blocker);
      end if;
    end if;
  end loop;

  if v_count = 0 then
    return '[]'::jsonb;
  end if;
  return to_jsonb(v_results);
end;
$$;

comment on function public.sync_push(uuid, json) is
  'Applies a batch of device mutations exactly once; see sync/protocol.ts. Over PUSH_LIMITS: SQLSTATE PT413 (HTTP 413).';

revoke all on function public.sync_push(uuid, json) from public, anon;
grant execute on function public.sync_push(uuid, json) to authenticated;
