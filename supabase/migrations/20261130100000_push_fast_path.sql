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
-- The per-mutation loop moves, unchanged, into private.push_each; public.sync_push keeps the
-- envelope (limits, U+0000, client_id) and the pull.

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
  -- Applied in this call, written to the ledger at the end (same transaction).
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

      -- Outside the block: a local variable changed inside it would survive its rollback.
      if v_answer ->> 'status' = 'applied' then
        v_applied_ids := array_append(v_applied_ids, v_id::uuid);
        v_applied_answers := array_append(v_applied_answers, v_answer);
      end if;
      v_results[v_pos] := v_answer;
    end if;

    if v_results[v_pos] ->> 'status' in ('rejected', 'blocked') and jsonb_typeof(v_m) = 'object' then
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
    or (jsonb_typeof(v_pull -> 'max_rows') = 'number' and (v_pull ->> 'max_rows') !~ '^-?[0-9]{1,9}$'))
  then
    raise exception 'sync_push: pull must be {"since": a cursor or null, "max_rows": a whole number (optional)}'
      using errcode = '22023';
  end if;

  v_results := case when jsonb_array_length(v_batch) = 0 then '[]'::jsonb
    else private.push_each(v_client, v_batch, v_nul) end;
  if v_pull is null then
    return v_results;
  end if;
  -- After the batch, in its transaction (see the head of this file for why the cursor loses nothing).
  return jsonb_build_object(
    'results', v_results,
    'pull', public.sync_pull(v_pull ->> 'since', (v_pull ->> 'max_rows')::integer)
  );
end;
$$;

comment on function public.sync_push(json) is
  'Applies a batch of device mutations exactly once; body {"client_id": uuid, "mutations": [...], "pull": '
  '{"since": cursor, "max_rows": n} (optional)}; see sync/protocol.ts. With pull: {"results": [...], "pull": '
  'sync_pull(since, max_rows)}. Over PUSH_LIMITS: SQLSTATE PT413 (HTTP 413).';

revoke all on function public.sync_push(json) from public, anon;
grant execute on function public.sync_push(json) to authenticated;
