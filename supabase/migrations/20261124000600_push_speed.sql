-- Speed of sync_push (a kiosk drains hundreds of queued walk-ins in one call), with the same answers.
--
-- * Appointment policies probe the appointment's patient by primary key under the patients'
--   own policies, instead of materializing every patient the caller acts for (my_patient_ids) on
--   every statement: a single-row write no longer costs more in a clinic with thousands of patients,
--   and a pull becomes a semi-join of appointments with the visible patients.
-- * push_order keeps its maps in integer arrays built by one set query; the jsonb `||`
--   accumulation it replaces copied the whole map per mutation (quadratic in the batch).
-- * The ledger answers are written in one statement at the end of sync_push. Still exactly once:
--   the claim row is inserted first, inside the mutation's savepoint, and the answer lands in the
--   same transaction, so a concurrent push waiting on the claim sees it once this one commits.
-- * Slot availability triggers fire only on a change that can move it, and an insert (the common
--   case) is one primary-key update.

-- ---------------------------------------------------------------------------------------------
-- staff_clinic_id: PL/pgSQL, whose plan is cached for the session. A non-inlined SQL function (and
-- a security definer one is never inlined) is parsed and planned again in every statement that
-- calls it, and the policies call it once per statement: once per mutation in sync_push.
-- ---------------------------------------------------------------------------------------------

create or replace function private.staff_clinic_id() returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return (select s.clinic_id from public.staff s where s.user_id = (select auth.uid()));
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- Appointment policies
-- ---------------------------------------------------------------------------------------------

-- Appointments follow their patient: the patient must be visible to the caller under patients'
-- policies (own row, or a patient of the caller's clinic). One index probe per row checked.
drop policy appointments_select on public.appointments;
drop policy appointments_insert on public.appointments;
drop policy appointments_update on public.appointments;
drop policy appointments_delete on public.appointments;

create policy appointments_select on public.appointments for select to authenticated
  using (exists (select from public.patients p where p.id = patient_id));

create policy appointments_insert on public.appointments for insert to authenticated
  with check (exists (select from public.patients p where p.id = patient_id));

create policy appointments_update on public.appointments for update to authenticated
  using (exists (select from public.patients p where p.id = patient_id))
  with check (exists (select from public.patients p where p.id = patient_id));

create policy appointments_delete on public.appointments for delete to authenticated
  using (exists (select from public.patients p where p.id = patient_id));

-- Nothing uses it any more, and its cost grew with the clinic.
drop function private.my_patient_ids();

-- ---------------------------------------------------------------------------------------------
-- Slot availability
-- ---------------------------------------------------------------------------------------------

-- Called only through the triggers below, whose WHEN clauses let through the changes that can
-- move availability. At most one active appointment holds a slot (appointments_one_active_per_slot),
-- so a new active appointment always takes its slot; other changes recount.
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
    where a.slot_id = s.id and a.status in ('requested', 'confirmed')
  )
  where s.id in (old.slot_id, case when tg_op = 'UPDATE' then new.slot_id end)
    and s.available is distinct from not exists (
      select from public.appointments a
      where a.slot_id = s.id and a.status in ('requested', 'confirmed')
    );
  return null;
end;
$$;

drop trigger appointments_30_slot_availability on public.appointments;

create trigger appointments_30_slot_taken
  after insert on public.appointments
  for each row when (new.status in ('requested', 'confirmed'))
  execute function private.sync_slot_availability();
create trigger appointments_31_slot_moved
  after update of slot_id, status on public.appointments
  for each row when (old.slot_id is distinct from new.slot_id or old.status is distinct from new.status)
  execute function private.sync_slot_availability();
create trigger appointments_32_slot_freed
  after delete on public.appointments
  for each row when (old.status in ('requested', 'confirmed'))
  execute function private.sync_slot_availability();

-- ---------------------------------------------------------------------------------------------
-- Ledger: one write of every answer at the end of the call
-- ---------------------------------------------------------------------------------------------

-- An upsert rather than UPDATE … FROM unnest(…): every row is then found through the primary key
-- (the conflict arbiter), whatever the planner believes about the table's size. Each row conflicts
-- with this call's own claim; a row claimed by another user is left alone.
create function private.ledger_record_all(p_client uuid, p_mutations uuid[], p_answers jsonb[]) returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.sync_ledger as l (client_id, mutation_id, user_id, answer)
  select p_client, r.mutation_id, (select auth.uid()), r.answer
  from unnest(p_mutations, p_answers) as r(mutation_id, answer)
  on conflict (client_id, mutation_id) do update set answer = excluded.answer
    where l.user_id = excluded.user_id
$$;

revoke all on function private.ledger_record_all(uuid, uuid[], jsonb[]) from public;
grant execute on function private.ledger_record_all(uuid, uuid[], jsonb[]) to authenticated;

-- Superseded by ledger_record_all.
drop function private.ledger_record(uuid, uuid, jsonb);

-- ---------------------------------------------------------------------------------------------
-- Batch order (same order as before; sync/transports/push-order.ts is its port)
-- ---------------------------------------------------------------------------------------------

-- A depth-first topological sort that visits mutations by (rank, arrival) and puts each one's
-- prerequisites first. Prerequisites, in the order they are stacked: the previous write of the same
-- row, for an appointment the last upsert of its patient in the batch, then its deps in the batch.
-- Ranks put parents first: patient upserts, appointments, patient deletes (after the appointments
-- they would cascade to). A dependency cycle is cut where it is found.
--
-- The prerequisite lists come from one set query as a flat array (v_pre) with per-position bounds
-- (v_from), so the walk below touches integer arrays only: linear in the batch.
create or replace function private.push_order(p_mutations jsonb) returns integer[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  n integer := jsonb_array_length(p_mutations);
  v_start integer[];
  v_pre integer[];
  v_counts integer[];
  v_from integer[] := array_fill(1, array[n + 1]);
  v_state integer[] := array_fill(0, array[n]);
  v_stack integer[];
  v_depth integer;
  v_order integer[] := array_fill(0, array[n]);
  v_placed integer := 0;
  v_top integer;
  i integer;
  j integer;
begin
  if n = 0 then
    return '{}';
  end if;

  with m as (
    select e.pos::integer as pos, e.m as o
    from jsonb_array_elements(p_mutations) with ordinality as e(m, pos)
    where jsonb_typeof(e.m) = 'object'
  ),
  first_pos as (
    select m.o ->> 'id' as id, min(m.pos) as pos
    from m where jsonb_typeof(m.o -> 'id') = 'string'
    group by 1
  ),
  edges as (
    select e.pos, e.kind, e.ord, e.pre
    from (
      select m.pos, 1 as kind, 0::bigint as ord,
        lag(m.pos) over (
          partition by coalesce(m.o ->> 'entity', '') || ':' || coalesce(m.o ->> 'key', '') order by m.pos
        ) as pre
      from m
      union all
      select p.pos, 2, 0, p.parent
      from (
        -- Patient upserts and appointments side by side, keyed by patient: a window, not a join,
        -- as the planner cannot estimate the size of a jsonb array.
        select m.pos, m.o ->> 'entity' as entity,
          max(m.pos) filter (where m.o ->> 'entity' = 'patients') over (
            partition by case when m.o ->> 'entity' = 'patients' then m.o ->> 'key' else m.o -> 'data' ->> 'patient_id' end
          ) as parent
        from m
        where (m.o ->> 'entity' = 'patients' and m.o ->> 'op' = 'upsert' and m.o ->> 'key' is not null)
          or (m.o ->> 'entity' = 'appointments' and jsonb_typeof(m.o -> 'data') = 'object'
            and m.o -> 'data' ->> 'patient_id' is not null)
      ) p
      where p.entity = 'appointments'
      union all
      select m.pos, 3, d.ord, f.pos
      from m
      cross join lateral jsonb_array_elements(
        case when jsonb_typeof(m.o -> 'deps') = 'array' then m.o -> 'deps' end
      ) with ordinality as d(dep, ord)
      join first_pos f on f.id = d.dep #>> '{}'
    ) e
    where e.pre is not null
  )
  select
    coalesce((select array_agg(e.pre order by e.pos, e.kind, e.ord) from edges e), '{}'),
    (select array_agg(coalesce(c.n, 0)::integer order by g.pos)
     from generate_series(1, n) as g(pos)
     left join (select e.pos, count(*) as n from edges e group by e.pos) c on c.pos = g.pos)
  into v_pre, v_counts;

  -- Mutation i's prerequisites are v_pre[v_from[i] .. v_from[i + 1] - 1].
  for i in 1..n loop
    v_from[i + 1] := v_from[i] + v_counts[i];
  end loop;

  select array_agg(e.pos::integer order by
      case
        when e.m ->> 'entity' = 'patients' and e.m ->> 'op' = 'upsert' then 0
        when e.m ->> 'entity' = 'appointments' then 1
        when e.m ->> 'entity' = 'patients' then 2
        else 3
      end, e.pos)
  into v_start
  from jsonb_array_elements(p_mutations) with ordinality as e(m, pos);

  -- Every mutation is stacked at most once per edge into it, plus once as a root.
  v_stack := array_fill(0, array[n + cardinality(v_pre) + 1]);
  -- v_state: 0 unvisited, 1 prerequisites pending, 2 placed.
  foreach i in array v_start loop
    if v_state[i] <> 0 then
      continue;
    end if;
    v_depth := 1;
    v_stack[1] := i;
    while v_depth > 0 loop
      v_top := v_stack[v_depth];
      if v_state[v_top] = 0 then
        v_state[v_top] := 1;
        for j in v_from[v_top] .. v_from[v_top + 1] - 1 loop
          if v_state[v_pre[j]] = 0 then
            v_depth := v_depth + 1;
            v_stack[v_depth] := v_pre[j];
          end if;
        end loop;
      else
        v_depth := v_depth - 1;
        if v_state[v_top] = 1 then
          v_state[v_top] := 2;
          v_placed := v_placed + 1;
          v_order[v_placed] := v_top;
        end if;
      end if;
    end loop;
  end loop;
  return v_order;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- The RPC: as in 20261124000300_sync_push.sql (see the notes there), with the ledger answers
-- written once at the end and the blocked check skipped while nothing has failed.
-- ---------------------------------------------------------------------------------------------

create or replace function public.sync_push(client_id uuid, mutations json) returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  c_max_mutations constant integer := 500;
  c_max_bytes constant integer := 1000000;
  c_uuid constant text := '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
  v_uid uuid := (select auth.uid());
  v_bytes integer;
  v_batch jsonb;
  v_ms jsonb[];
  v_count integer;
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
  if v_count = 0 then
    return '[]'::jsonb;
  end if;

  v_batch := mutations::jsonb;
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
        if jsonb_typeof(v_m) <> 'object' then
          perform private.reject('validation', 'a mutation must be a JSON object');
        end if;
        -- The envelope as every device sends it passes these inline tests; anything else goes to the
        -- readers, which trim, or reject naming the field.
        if (v_m ->> 'id') !~* c_uuid then
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
      if v_m ? 'entity' and v_m ? 'key' then
        v_failed_rows := v_failed_rows
          || jsonb_build_object((v_m ->> 'entity') || ':' || (v_m ->> 'key'), v_blocker);
      end if;
    end if;
  end loop;

  perform private.ledger_record_all(client_id, v_applied_ids, v_applied_answers);
  return to_jsonb(v_results);
end;
$$;
