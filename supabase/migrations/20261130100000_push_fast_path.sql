-- sync_push at full speed (issue 10).
--
-- 1. The pull delta in the push answer: a body with a "pull" key, {"since": cursor or null,
--    "max_rows": int, optional}, is answered {"results": [the answers], "pull": what
--    public.sync_pull(since, max_rows) returns}, read after the batch applied, in the same
--    transaction; without "pull" the answer is the bare array, as before. The pull's bound is the
--    oldest transaction running when it reads, this one included (pg_snapshot_xmin counts the
--    caller's own transaction id): neither the rows this push wrote nor those of a concurrent
--    uncommitted writer fall below the cursor it hands out, so the next pull carries them (the
--    push's own rows come back once more: a duplicate, never a loss). An error of the pull
--    (PT410, a cursor this server never gave out) fails the whole call, nothing applied, as the
--    device must handle it before it can trust any page.
--
-- 2. Batches of 1,000 mutations, and of 2,000,000 bytes (PUSH_LIMITS): a drain of 1,000 is one call.
--
-- 3. A set-based fast path (private.push_fast) for a batch of creates, the drain of a kiosk or a
--    phone that was offline: one statement per table, one ledger statement, no savepoint per
--    mutation; any refusal falls back to the per-mutation path with the same answers.
--
-- The per-mutation loop moves, unchanged, into private.push_each; public.sync_push keeps the
-- envelope (limits, U+0000, client_id), chooses the path, and reads the pull.

create or replace function private.push_each(p_client uuid, p_batch jsonb, p_nul text) returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  c_uuid constant text := '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
  -- Named as in sync_push before the split, so the loop below reads as it did there.
  client_id uuid := p_client;
  v_nul text := p_nul;     -- what stands for U+0000 in the batch, when the body held one
  v_batch jsonb := p_batch;
  v_ms jsonb[];
  v_count integer := jsonb_array_length(p_batch);
  v_results jsonb[];
  v_failed jsonb := '{}';      -- mutation id -> the rejected mutation it traces back to
  v_failed_rows jsonb := '{}'; -- entity:key -> the rejected mutation that last wrote that row
  v_any_failed boolean := false;
  -- Answered in this call (applied, or refused), written to the ledger at the end (same transaction).
  v_applied_ids uuid[] := '{}';
  v_applied_answers jsonb[] := '{}';
  v_seen integer;
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
  v_seq bigint;
  v_field_level jsonb;
  v_conflicts jsonb;
begin
  select array_agg(e.m order by e.pos) into v_ms
  from jsonb_array_elements(v_batch) with ordinality as e(m, pos);
  v_results := array_fill(null::jsonb, array[v_count]);
  -- Parents are applied first; checking the FK per statement turns a missing parent into one
  -- rejected mutation (caught below) instead of a failed commit.
  set constraints public.appointments_patient_id_fkey immediate;

  foreach v_pos in array private.push_order(v_batch) loop
    v_m := v_ms[v_pos];
    v_id := case when jsonb_typeof(v_m) = 'object' then v_m ->> 'id' end;
    v_answer := null;
    v_data := null;

    -- Blocked: a prerequisite in this batch was rejected (or blocked itself).
    v_blocker := null;
    if v_any_failed and jsonb_typeof(v_m) = 'object' then
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
        if v_nul is not null and strpos(v_m::text, v_nul) > 0 then
          v_field := private.field_holding(v_m, v_nul);
          perform private.reject('validation',
            pg_catalog.format('%s holds the character U+0000 (NUL), which the server cannot store; remove it',
              coalesce(v_field, 'a value')),
            v_field);
        end if;
        if jsonb_typeof(v_m) <> 'object' then
          perform private.reject('validation', 'a mutation must be a JSON object');
        end if;
        -- The envelope as every device sends it passes these inline tests; anything else goes to the
        -- readers, which trim, or reject naming the field.
        if (v_m ->> 'id') is null or (v_m ->> 'id') !~* c_uuid then
          perform private.read_uuid(v_m, 'id');
        end if;
        if (case when (v_m ->> 'clientId') ~* c_uuid then (v_m ->> 'clientId')::uuid
            else private.read_uuid(v_m, 'clientId') end) <> client_id
        then
          perform private.reject('validation',
            format('clientId %s does not match the client_id of this push (%s)', v_m ->> 'clientId', client_id),
            'clientId');
        end if;
        v_entity := case when (v_m ->> 'entity') in ('patients', 'appointments') then v_m ->> 'entity'
          else private.read_enum(v_m, 'entity', array['patients', 'appointments']) end;
        v_op := case when (v_m ->> 'op') in ('upsert', 'delete') then v_m ->> 'op'
          else private.read_enum(v_m, 'op', array['upsert', 'delete']) end;
        v_key := case when (v_m ->> 'key') ~* c_uuid then (v_m ->> 'key')::uuid
          else private.read_uuid(v_m, 'key') end;
        -- The device's enqueue order (optional: older clients send none and are not guarded).
        v_seq := null;
        if jsonb_typeof(v_m -> 'seq') is distinct from 'null' and v_m ? 'seq' then
          if jsonb_typeof(v_m -> 'seq') <> 'number' or (v_m ->> 'seq') !~ '^[0-9]{1,18}$' then
            perform private.reject('validation', 'seq must be a whole number, 0 or more', 'seq');
          end if;
          v_seq := (v_m ->> 'seq')::bigint;
        end if;
        if v_m ? 'deps' and jsonb_typeof(v_m -> 'deps') not in ('array', 'null') then
          perform private.reject('validation', 'deps must be an array of mutation ids', 'deps');
        end if;
        if v_m ? 'base' and jsonb_typeof(v_m -> 'base') not in ('object', 'null') then
          perform private.reject('validation', 'base must be an object: the changed fields and their values before', 'base');
        end if;
        v_data := v_m -> 'data';
        if v_op = 'upsert' then
          if v_data is null or jsonb_typeof(v_data) <> 'object' then
            perform private.reject('validation', 'an upsert needs data: the full row as an object', 'data');
          end if;
          -- Compared as UUIDs: an upper-case key names the same row as its lower-case data.id.
          if v_data ? 'id' and lower(v_data ->> 'id') is distinct from v_key::text then
            perform private.reject('validation',
              format('data.id (%s) does not match key (%s)', v_data ->> 'id', v_key), 'id');
          end if;
        end if;

        if private.ledger_claim(client_id, v_id::uuid) then
          -- Names the one row this mutation writes, for trigger guard_client_write (which stamps it,
          -- or raises CS409 when a later write of this device got there first).
          perform pg_catalog.set_config('consult.client_write',
            case when v_seq is null then ''
              else pg_catalog.format('%s:%s:%s:%s', client_id, v_seq, v_entity, v_key) end,
            true);
          -- A field-level edit: the row as stored, with the fields in base that nobody changed first.
          v_conflicts := '[]';
          if v_op = 'upsert' and jsonb_typeof(v_m -> 'base') = 'object' then
            v_field_level := private.field_level_data(v_entity, v_key, v_data, v_m -> 'base');
            v_data := v_field_level -> 'data';
            v_conflicts := v_field_level -> 'conflicts';
          end if;
          if v_entity = 'patients' then
            v_row := private.apply_patient(v_op, v_key, v_data);
          else
            v_row := private.apply_appointment(v_op, v_key, v_data);
          end if;
          if v_op = 'delete' and v_seq is not null then
            perform private.stamp_delete(v_entity, v_key, client_id, v_seq);
          end if;
          v_answer := jsonb_build_object('id', v_id, 'status', 'applied', 'row', v_row)
            || case when jsonb_array_length(v_conflicts) > 0
              then jsonb_build_object('conflicts', v_conflicts) else '{}'::jsonb end;
        else
          -- Claimed earlier in this very call (the same mutation twice in one batch): its answer
          -- is not in the ledger yet.
          v_seen := array_position(v_applied_ids, v_id::uuid);
          v_stored := case when v_seen is not null then v_applied_answers[v_seen]
            else private.ledger_answer(client_id, v_id::uuid) end;
          if v_stored is null then
            perform private.reject('forbidden',
              format('mutation %s was already pushed by another user', v_id));
          end if;
          v_answer := jsonb_build_object('id', v_id, 'status', 'duplicate', 'first', v_stored);
        end if;
      exception
        -- Superseded: this device already wrote the row (or deleted it) with a later seq, so this is an
        -- old request that arrived late. Nothing was applied (the savepoint is undone, with the
        -- claim); claim it again here, outside the savepoint, and answer `applied` with the row as
        -- it is, so the device keeps the newer state and a replay gets `duplicate`.
        when sqlstate 'CS409' then
          if private.ledger_claim(client_id, v_id::uuid) then
            v_answer := jsonb_build_object('id', v_id, 'status', 'applied',
              'row', private.canonical_row(v_entity, v_key));
          else
            v_seen := array_position(v_applied_ids, v_id::uuid);
            v_stored := case when v_seen is not null then v_applied_answers[v_seen]
              else private.ledger_answer(client_id, v_id::uuid) end;
            v_answer := case when v_stored is null
              then jsonb_build_object('id', v_id, 'status', 'rejected', 'code', 'forbidden',
                'message', pg_catalog.format('mutation %s was already pushed by another user', v_id),
                'field', null)
              else jsonb_build_object('id', v_id, 'status', 'duplicate', 'first', v_stored) end;
          end if;
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
        -- Anything else that raises (a server bug, an unforeseen value) would jam the device's outbox
        -- if it failed the whole call, as the device resends the same batch: reject this mutation
        -- alone, with the server's words. Only transient failures fail the call, for the client to
        -- retry: serialization and deadlock (40), resources (53), lock not available (55P03),
        -- cancel and shutdown (57, statement_timeout included), system errors (58).
        when others then
          get stacked diagnostics v_sqlstate = returned_sqlstate, v_message = message_text;
          if left(v_sqlstate, 2) in ('40', '53', '57', '58') or v_sqlstate = '55P03' then
            raise;
          end if;
          v_answer := jsonb_build_object(
            'id', v_id, 'status', 'rejected', 'code', 'validation',
            'message', pg_catalog.format('the server could not apply this change (SQLSTATE %s): %s',
              v_sqlstate, v_message),
            'field', null
          );
      end;

      -- A refusal is the ledger's answer for that id too, claimed here, outside the savepoint that
      -- undid its first claim: a late copy of a refused write (a request the device gave up on,
      -- arriving after the user discarded it, when the slot has come free) must not apply then.
      -- The device sends a fix as a new mutation, so nothing resends a refused id to succeed.
      if v_answer ->> 'status' = 'rejected' and v_id ~* c_uuid then
        begin
          if private.ledger_claim(client_id, v_id::uuid) then
            v_applied_ids := array_append(v_applied_ids, v_id::uuid);
            v_applied_answers := array_append(v_applied_answers, v_answer);
          end if;
        exception when unique_violation then
          null; -- the id is another account's: the refusal stands, unrecorded
        end;
      end if;
      -- Outside the block: a local variable changed inside it would survive its rollback.
      if v_answer ->> 'status' = 'applied' then
        v_applied_ids := array_append(v_applied_ids, v_id::uuid);
        v_applied_answers := array_append(v_applied_answers, v_answer);
      end if;
      v_results[v_pos] := v_answer;
    end if;

    -- A replayed refusal stops its dependents too: blocked (sent again after the fix), not refused
    -- for a parent the server lacks.
    if (v_results[v_pos] ->> 'status' in ('rejected', 'blocked')
        or v_results[v_pos] #>> '{first,status}' = 'rejected')
      and jsonb_typeof(v_m) = 'object' then
      v_any_failed := true;
      v_blocker := coalesce(v_results[v_pos] ->> 'blockedBy', v_id);
      if v_id is not null then
        v_failed := v_failed || jsonb_build_object(v_id, v_blocker);
      end if;
      if v_m ->> 'entity' is not null and v_m ->> 'key' is not null then
        v_failed_rows := v_failed_rows
          || jsonb_build_object((v_m ->> 'entity') || ':' || (v_m ->> 'key'), v_blocker);
      end if;
    end if;
  end loop;

  perform pg_catalog.set_config('consult.client_write', '', true);
  perform private.ledger_record_all(client_id, v_applied_ids, v_applied_answers);
  return to_jsonb(v_results);
end;
$$;

revoke all on function private.push_each(uuid, jsonb, text) from public;
grant execute on function private.push_each(uuid, jsonb, text) to authenticated;

-- 3. Speed. Where the time went (bench/push-profile.ts, track_functions): per-mutation savepoints,
-- and per-row helpers that Postgres planned again on every call. A LANGUAGE sql function with a SET
-- clause (or SECURITY DEFINER) is never inlined and keeps no plan: appointment_transition_allowed
-- (a recursive query), is_clinic_doctor, deleted_later and setting_int ran their planner once per
-- row. The same queries in plpgsql keep their plan for the session; the answers are the same.

create or replace function private.appointment_transition_allowed(p_from text, p_to text, p_actor text)
returns boolean
language plpgsql
immutable
set search_path = ''
as $$
begin
  return exists (
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
    select from reach where status = p_to
  );
end;
$$;

create or replace function private.is_clinic_doctor(p_doctor uuid) returns boolean
language plpgsql
stable
set search_path = ''
as $$
begin
  return p_doctor is not null and exists (
    select from public.doctors d where d.id = p_doctor and d.clinic_id = (select private.staff_clinic_id()));
end;
$$;

create or replace function private.deleted_later(p_entity text, p_id uuid, p_client uuid, p_seq bigint)
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return exists (
    select from public.sync_tombstones t
    where t.entity = p_entity and t.id = p_id and t.last_client_id = p_client and t.last_client_seq > p_seq
  );
end;
$$;

create or replace function private.setting_int(p_key text, p_default integer) returns integer
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return coalesce((select s.value::integer from private.settings s where s.key = p_key), p_default);
end;
$$;

-- The stale-write guard, with one more way to name the rows a push writes: 'batch:<client_id>'
-- (set by private.push_fast only, never by a device) lets each new row carry its own
-- (last_client_id, last_client_seq). push_fast inserts only rows whose id no table and no tombstone
-- holds, so there is no later write or delete of the device to check against.
create or replace function private.guard_client_write() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_stamp text := pg_catalog.current_setting('consult.client_write', true);
  v_parts text[];
  v_id uuid;
  v_client uuid;
  v_seq bigint;
begin
  if tg_op = 'DELETE' then
    v_id := old.id;
  else
    v_id := new.id;
  end if;
  if v_stamp like 'batch:%' then
    if tg_op = 'INSERT' then
      if new.last_client_id is null or new.last_client_id::text <> substr(v_stamp, 7) then
        new.last_client_id := null;
        new.last_client_seq := null;
      end if;
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

  if tg_op = 'DELETE' then
    if v_client is not null and old.last_client_id = v_client and old.last_client_seq > v_seq then
      raise exception 'superseded: this device wrote % % again later (seq % after %)',
        tg_table_name, v_id, old.last_client_seq, v_seq using errcode = 'CS409';
    end if;
    return old;
  end if;

  if v_client is null then
    -- Not the row a device's mutation names: the stamp stays as it was.
    if tg_op = 'UPDATE' then
      new.last_client_id := old.last_client_id;
      new.last_client_seq := old.last_client_seq;
    else
      new.last_client_id := null;
      new.last_client_seq := null;
    end if;
    return new;
  end if;

  if tg_op = 'UPDATE' then
    if old.last_client_id = v_client and old.last_client_seq > v_seq then
      raise exception 'superseded: this device wrote % % again later (seq % after %)',
        tg_table_name, v_id, old.last_client_seq, v_seq using errcode = 'CS409';
    end if;
  elsif private.deleted_later(tg_table_name, v_id, v_client, v_seq) then
    raise exception 'superseded: this device deleted % % later', tg_table_name, v_id using errcode = 'CS409';
  end if;
  new.last_client_id := v_client;
  new.last_client_seq := v_seq;
  return new;
end;
$$;

-- Whether a batch is new to the server: none of its mutations in the caller's ledger, none of its
-- rows stored (by anyone) or deleted. Reads past row level security, answers only yes or no.
create or replace function private.push_fresh(p_client uuid, p_ids uuid[], p_patients uuid[], p_appointments uuid[])
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return not exists (
      select from public.sync_ledger l
      where l.user_id = (select auth.uid()) and l.client_id = p_client and l.mutation_id = any (p_ids))
    and not exists (select from public.patients r where r.id = any (p_patients))
    and not exists (select from public.appointments r where r.id = any (p_appointments))
    and not exists (
      select from public.sync_tombstones t
      where (t.entity = 'patients' and t.id = any (p_patients))
        or (t.entity = 'appointments' and t.id = any (p_appointments)));
end;
$$;

-- The ledger rows of a batch push_fast applied, answers included, in one statement. No "on
-- conflict": a concurrent push of the same mutation makes it raise, and push_fast falls back.
create or replace function private.ledger_record_new(p_client uuid, p_mutations uuid[], p_answers jsonb[])
returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.sync_ledger (client_id, mutation_id, user_id, answer)
  select p_client, r.mutation_id, (select auth.uid()), r.answer
  from unnest(p_mutations, p_answers) as r(mutation_id, answer)
$$;

-- The row triggers that push_fast checks set-wise, in one pass over the batch, instead: each
-- skips an insert made under 'batch:<client_id>' and is otherwise as before
-- (20261129200000_appointment_states.sql for the guard and the slots, 20261129001000_own_booking.sql,
-- 20261129000500_booking_caps.sql).
--
create or replace function private.appointments_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_slot public.slots;
  v_slot_changed boolean := tg_op = 'INSERT' or new.slot_id is distinct from old.slot_id;
  v_from text;
  v_actor text;
begin
  -- A batch of creates that private.push_fast checked as a whole (the same rules, set-wise).
  if tg_op = 'INSERT' and pg_catalog.current_setting('consult.client_write', true) like 'batch:%' then
    return new;
  end if;
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

create or replace function private.appointments_own_booking() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_holder uuid;
begin
  -- A batch of creates that private.push_fast checked as a whole (the same rules, set-wise).
  if tg_op = 'INSERT' and pg_catalog.current_setting('consult.client_write', true) like 'batch:%' then
    return new;
  end if;
  if current_user not in ('anon', 'authenticated')
    or new.slot_id is null
    or new.status not in ('requested', 'confirmed')
    -- A request by specialty passes over a held slot to the next free one (apply_appointment).
    or new.requested_specialty is not null
    or (tg_op = 'UPDATE' and old.slot_id is not distinct from new.slot_id
      and old.status in ('requested', 'confirmed'))
  then
    return new;
  end if;
  -- The caller sees their own patient's appointments (row level security): no one else's.
  select a.id into v_holder from public.appointments a
  where a.slot_id = new.slot_id and a.patient_id = new.patient_id and a.id <> new.id
    and a.status in ('requested', 'confirmed')
  limit 1;
  if found then
    perform private.reject('own_booking',
      pg_catalog.format('you already booked this time: appointment %s holds slot %s', v_holder, new.slot_id),
      'slot_id');
  end if;
  return new;
end;
$$;

create or replace function private.appointments_booking_cap() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_anonymous boolean := coalesce((auth.jwt() ->> 'is_anonymous')::boolean, false);
  v_cap integer;
  v_active integer;
begin
  -- A batch of creates that private.push_fast checked as a whole (the same rules, set-wise).
  if tg_op = 'INSERT' and pg_catalog.current_setting('consult.client_write', true) like 'batch:%' then
    return new;
  end if;
  if current_user not in ('anon', 'authenticated')
    or new.status not in ('requested', 'confirmed')
    or (tg_op = 'UPDATE' and old.status in ('requested', 'confirmed'))
  then
    return new;
  end if;
  v_cap := case when v_anonymous then private.setting_int('max_active_bookings_anonymous', 2)
    else private.setting_int('max_active_bookings', 5) end;
  -- Two pushes of the same patient count one after the other, not both before either books.
  perform from public.patients p where p.id = new.patient_id for no key update;
  select count(*) into v_active
  from public.appointments a
  where a.patient_id = new.patient_id and a.id <> new.id and a.status in ('requested', 'confirmed')
    and (a.starts_at is null or a.starts_at > pg_catalog.now());
  if v_active >= v_cap then
    perform private.reject('booking_limit',
      pg_catalog.format('this patient already holds %s active bookings, the most %s; cancel one to book another',
        v_active, case when v_anonymous then 'for an account without sign-in (sign in to book more)'
          else 'allowed' end));
  end if;
  return new;
end;
$$;

create or replace function private.sync_slot_availability() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  -- A batch of creates that private.push_fast checked as a whole (the same rules, set-wise).
  if tg_op = 'INSERT' and pg_catalog.current_setting('consult.client_write', true) like 'batch:%' then
    return null;
  end if;
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

-- An appointment of the fast path, as apply_appointment reads it.
create type private.push_appointment as (
  pos bigint, id uuid, patient_id uuid, doctor_id uuid, slot_id uuid, starts_at timestamptz,
  ends_at timestamptz, mode text, reason text, status text, seq bigint
);

-- The slots a fast-path batch booked, marked taken in one statement (sync_slot_availability's insert).
create or replace function private.take_slots(p_slots uuid[]) returns void
language sql
security definer
set search_path = ''
as $$
  update public.slots set available = false where id = any (p_slots) and available
$$;

revoke all on function private.take_slots(uuid[]) from public;
grant execute on function private.take_slots(uuid[]) to authenticated;

-- The fast path: a batch of creates as every device sends them (new patients, appointments booking
-- a named slot, every field in its plain form) is applied with one statement per table. The rules
-- stay where they are, in the tables' triggers, constraints and row level security, which run for
-- every row as they do for push_each. Returns null, having changed nothing, when the batch is not
-- of that kind; raises when a row is refused (the caller then undoes it all and runs push_each,
-- which answers each mutation). Its answers are push_each's for the same batch.
create or replace function private.push_fast(p_client uuid, p_batch jsonb) returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  c_uuid constant text := '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
  c_timestamp constant text := '^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}(:?\d{2})?)$';
  v_uid uuid := (select auth.uid());
  v_staff_clinic uuid := private.staff_clinic_id();
  v_n integer := jsonb_array_length(p_batch);
  v_plain integer;
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
  select count(*),
    array_agg(lower(m ->> 'id')::uuid order by pos),
    array_agg(lower(m ->> 'key')::uuid order by pos) filter (where m ->> 'entity' = 'patients'),
    array_agg(lower(m ->> 'key')::uuid order by pos) filter (where m ->> 'entity' = 'appointments')
  into v_plain, v_ids, v_patients, v_appointments
  from jsonb_array_elements(p_batch) with ordinality as e(m, pos)
  where jsonb_typeof(m) = 'object'
    and (m ->> 'id') ~* c_uuid
    -- case: a cast of a value the pattern refused would raise, whatever order the tests run in.
    and case when (m ->> 'clientId') ~* c_uuid then (m ->> 'clientId')::uuid = p_client else false end
    and m ->> 'entity' in ('patients', 'appointments')
    and m ->> 'op' = 'upsert'
    and (m ->> 'key') ~* c_uuid
    and (coalesce(jsonb_typeof(m -> 'seq'), 'null') = 'null'
      or (jsonb_typeof(m -> 'seq') = 'number' and (m ->> 'seq') ~ '^[0-9]{1,18}$'))
    and coalesce(jsonb_typeof(m -> 'deps'), 'null') in ('array', 'null')
    and coalesce(jsonb_typeof(m -> 'base'), 'null') = 'null'
    and jsonb_typeof(m -> 'data') = 'object'
    and (not (m -> 'data') ? 'id' or lower(m -> 'data' ->> 'id') is not distinct from lower(m ->> 'key'))
    and case when m ->> 'entity' = 'patients' then
        jsonb_typeof(m -> 'data' -> 'date_of_birth') = 'string'
        and (m -> 'data' ->> 'date_of_birth') ~ '^\d{4}-\d{2}-\d{2}$'
      else
        (m -> 'data' ->> 'patient_id') ~* c_uuid
        and (m -> 'data' ->> 'doctor_id') ~* c_uuid
        and (m -> 'data' ->> 'slot_id') ~* c_uuid
        and jsonb_typeof(m -> 'data' -> 'starts_at') = 'string' and (m -> 'data' ->> 'starts_at') ~ c_timestamp
        and jsonb_typeof(m -> 'data' -> 'ends_at') = 'string' and (m -> 'data' ->> 'ends_at') ~ c_timestamp
        and m -> 'data' ->> 'requested_specialty' is null
        and m -> 'data' ->> 'preferred_date' is null
        and m -> 'data' ->> 'preferred_window' is null
      end;
  if v_plain < v_n
    or (select count(distinct i) from unnest(v_ids) as i) < v_n
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
      private.read_text(m -> 'data', 'reason', 500, true),
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
      private.read_text(m -> 'data', 'full_name', 120, true),
      -- Its form checked above; out of range, the table's check constraint refuses it.
      (m -> 'data' ->> 'date_of_birth')::date,
      private.read_enum(m -> 'data', 'sex', array['female', 'male', 'other', 'undisclosed']),
      private.read_phone(m -> 'data', 'phone'),
      private.read_text(m -> 'data', 'address', 200, false),
      private.read_enum(m -> 'data', 'preferred_language', array['en', 'hi']),
      private.read_text(m -> 'data', 'emergency_contact_name', 120, false),
      private.read_phone(m -> 'data', 'emergency_contact_phone'),
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

revoke all on function private.push_fresh(uuid, uuid[], uuid[], uuid[]) from public;
grant execute on function private.push_fresh(uuid, uuid[], uuid[], uuid[]) to authenticated;
revoke all on function private.ledger_record_new(uuid, uuid[], jsonb[]) from public;
grant execute on function private.ledger_record_new(uuid, uuid[], jsonb[]) to authenticated;
revoke all on function private.push_fast(uuid, jsonb) from public;
grant execute on function private.push_fast(uuid, jsonb) to authenticated;

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
  if json_typeof(v_text::json) <> 'object' then
    raise exception 'sync_push needs a JSON object: {"client_id": …, "mutations": […]}' using errcode = '22023';
  end if;
  -- The bytes of the mutations JSON as the device sent it (json, unlike jsonb, keeps the text).
  v_bytes := octet_length((v_text::json -> 'mutations')::text)
    - v_nul_count * (octet_length(coalesce(v_nul, '')) - 6);
  if v_bytes > c_max_bytes then
    raise exception 'sync_push accepts at most % bytes of mutations JSON per call; this batch has % bytes',
      c_max_bytes, v_bytes
      using errcode = 'PT413', hint = 'Split the batch (PUSH_LIMITS.maxBytes).';
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
    -- Which path answered, for the contract test (stack test push-paths.test.ts).
    perform pg_catalog.set_config('consult.push_path_used', case when v_results is null then 'each' else 'fast' end, true);
    if v_results is null then
      v_results := private.push_each(v_client, v_batch, v_nul);
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

comment on function public.sync_push(json) is
  'Applies a batch of device mutations exactly once; body {"client_id": uuid, "mutations": [...], "pull": '
  '{"since": cursor, "max_rows": n, "max_bytes": n} (optional)}; see sync/protocol.ts. With pull: {"results": [...], "pull": '
  'sync_pull(since, max_rows, max_bytes)}. Over PUSH_LIMITS: SQLSTATE PT413 (HTTP 413).';

revoke all on function public.sync_push(json) from public, anon;
grant execute on function public.sync_push(json) to authenticated;
