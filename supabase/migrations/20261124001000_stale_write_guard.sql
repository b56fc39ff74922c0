-- Stale write guard. A push the device gave up on (a timeout) may still reach the server later —
-- after a newer write of the same row was applied: the planner merged the old mutation into a newer
-- one sent under another id, or two tabs drained without Web Locks. Applied then, the old data
-- would overwrite the newer.
--
-- Each mutation now carries `seq`, the device's enqueue order (sync/protocol.ts: optional, so older
-- clients keep working unguarded). A row remembers the (client_id, seq) of the last device write
-- applied to it, and a deleted row's tombstone the (client_id, seq) of the delete. When a mutation
-- arrives whose client wrote the row (or deleted it) with a larger seq, it has been superseded:
-- nothing is applied and the answer is `applied` with the row as it is now (null if deleted), stored
-- in the ledger like any applied answer, so a replay is a `duplicate`. Writes of different clients
-- are last write wins, as before.
--
-- The check is a BEFORE trigger on the row itself, so it sees the latest committed version under
-- the row lock: a concurrent push of the newer write (another tab) is waited for, not raced.
-- sync_push names the row its current mutation writes in a transaction-local setting
-- (consult.client_write = 'client:seq:entity:key'); only that row is stamped or checked — not rows a
-- cascade deletes, and nothing a Data API or back-office write touches, whose writes keep the stamp
-- as it was. The stamp columns never travel to devices (private.wire_row).

alter table public.patients
  add column last_client_id uuid,
  add column last_client_seq bigint;
alter table public.appointments
  add column last_client_id uuid,
  add column last_client_seq bigint;
alter table public.sync_tombstones
  add column last_client_id uuid,
  add column last_client_seq bigint;

comment on column public.patients.last_client_id is
  'Device (sync client_id) of the last write applied through sync_push with a seq; set by trigger only.';
comment on column public.patients.last_client_seq is
  'That write''s seq: an older one from the same device is superseded (20261124001000_stale_write_guard.sql).';
comment on column public.appointments.last_client_id is
  'Device (sync client_id) of the last write applied through sync_push with a seq; set by trigger only.';
comment on column public.appointments.last_client_seq is
  'That write''s seq: an older one from the same device is superseded (20261124001000_stale_write_guard.sql).';

-- A row as devices get it: without the pull cursor and the stamp.
create function private.wire_row(p_row jsonb) returns jsonb
language sql
immutable
set search_path = ''
as $$
  select p_row - array['txid', 'last_client_id', 'last_client_seq']
$$;

-- Whether a device deleted this row with a later seq (its tombstone's stamp). Security definer:
-- a delete of a row that never reached the server leaves a tombstone no device can see.
create function private.deleted_later(p_entity text, p_id uuid, p_client uuid, p_seq bigint) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select from public.sync_tombstones t
    where t.entity = p_entity and t.id = p_id and t.last_client_id = p_client and t.last_client_seq > p_seq
  )
$$;

-- Stamps the tombstone of a row a device deleted, creating one (owned by nobody, so pulled by
-- nobody) when the row was never on the server: its create may still be on the way. The same
-- device's stamp only moves forward (an old delete arriving late does not lower it).
create function private.stamp_delete(p_entity text, p_id uuid, p_client uuid, p_seq bigint) returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.sync_tombstones as t (entity, id, last_client_id, last_client_seq)
  values (p_entity, p_id, p_client, p_seq)
  on conflict (entity, id) do update
    set last_client_id = excluded.last_client_id, last_client_seq = excluded.last_client_seq
    where t.last_client_id is distinct from excluded.last_client_id
      or t.last_client_seq is null or t.last_client_seq < excluded.last_client_seq
$$;

-- The row as it is now, as the caller may see it (null when gone): the answer to a superseded write.
create function private.canonical_row(p_entity text, p_key uuid) returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  if p_entity = 'patients' then
    return (select private.wire_row(to_jsonb(r)) from public.patients r where r.id = p_key);
  end if;
  return (select private.wire_row(to_jsonb(r)) from public.appointments r where r.id = p_key);
end;
$$;

revoke all on function private.deleted_later(text, uuid, uuid, bigint) from public;
revoke all on function private.stamp_delete(text, uuid, uuid, bigint) from public;
grant execute on function private.deleted_later(text, uuid, uuid, bigint) to authenticated;
grant execute on function private.stamp_delete(text, uuid, uuid, bigint) to authenticated;

-- First among the row triggers, so a superseded write is answered as such before any rule judges
-- data that no longer matters.
create function private.guard_client_write() returns trigger
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

create trigger patients_05_client_write before insert or update or delete on public.patients
  for each row execute function private.guard_client_write();
create trigger appointments_05_client_write before insert or update or delete on public.appointments
  for each row execute function private.guard_client_write();

-- ---------------------------------------------------------------------------------------------
-- Rows leave without the stamp: as before, with private.wire_row instead of `- 'txid'`.
-- ---------------------------------------------------------------------------------------------

create or replace function private.apply_patient(p_op text, p_key uuid, p_data jsonb) returns jsonb
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
      return private.wire_row(to_jsonb(v_row));
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
  return private.wire_row(to_jsonb(v_row));
end;
$$;

create or replace function private.write_appointment(p_key uuid, p_in public.appointments, p_exists boolean) returns jsonb
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
      return private.wire_row(to_jsonb(v_row));
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
  return private.wire_row(to_jsonb(v_row));
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- sync_pull: as in 20261124000900_pull_paging.sql, rows through private.wire_row.
-- ---------------------------------------------------------------------------------------------

create or replace function public.sync_pull(since text default null, max_rows integer default 1000) returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  c_most constant integer := 10000;
  v_bound xid8 := pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot());
  v_max integer := coalesce(max_rows, 1000);
  -- Deliver positions strictly after (v_txid, v_rank, v_id); rank 0 and the nil uuid sit before
  -- every real row of a txid.
  v_txid xid8 := '0'::xid8;
  v_rank integer := 0;
  v_id uuid := '00000000-0000-0000-0000-000000000000';
  v_first boolean := true;
  v_parts text[];
  v_txids xid8[];
  v_ranks integer[];
  v_ids uuid[];
  v_more boolean;
begin
  if (select auth.uid()) is null then
    raise exception 'sync_pull needs a signed-in user' using errcode = '42501';
  end if;
  if v_max < 1 or v_max > c_most then
    raise exception 'sync_pull: max_rows must be between 1 and %, not %', c_most, v_max
      using errcode = '22023';
  end if;
  if nullif(since, '') is not null then
    v_parts := pg_catalog.regexp_match(since,
      '^([0-9]{1,19})(?::([1-7]):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))?$');
    if v_parts is null then
      raise exception 'sync_pull: "%" is not a cursor this server gave out; pass null to start over', since
        using errcode = '22023';
    end if;
    v_txid := v_parts[1]::xid8;
    v_first := false;
    if v_parts[2] is not null then
      v_rank := v_parts[2]::integer;
      v_id := v_parts[3]::uuid;
    end if;
    -- A cursor from the future came from another database (a reset local stack, another project):
    -- start over rather than wait for transaction ids to catch up. A position is always below the
    -- bound of the page that gave it, and bounds only grow.
    if v_txid > v_bound or (v_txid = v_bound and v_rank > 0) then
      v_txid := '0'::xid8;
      v_rank := 0;
      v_id := '00000000-0000-0000-0000-000000000000';
      v_first := true;
    end if;
  end if;

  -- The page's positions first, without building any JSON: one more than asked, to know whether
  -- anything is left. Each branch reads its txid index from the cursor's transaction on.
  select
    coalesce(array_agg(k.txid order by k.txid, k.rank, k.id), '{}'),
    coalesce(array_agg(k.rank order by k.txid, k.rank, k.id), '{}'),
    coalesce(array_agg(k.id order by k.txid, k.rank, k.id), '{}')
  into v_txids, v_ranks, v_ids
  from (
    select c.txid, c.rank, c.id
    from (
      select r.txid, 1 as rank, r.id from public.clinics r where r.txid >= v_txid and r.txid < v_bound
      union all
      select r.txid, 2, r.id from public.doctors r where r.txid >= v_txid and r.txid < v_bound
      union all
      -- Slots that have ended can no longer be booked; devices need not carry them. Appointments
      -- keep their own copy of doctor, mode and times.
      select r.txid, 3, r.id from public.slots r
      where r.txid >= v_txid and r.txid < v_bound and r.ends_at > pg_catalog.now()
      union all
      select r.txid, 4, r.id from public.patients r where r.txid >= v_txid and r.txid < v_bound
      union all
      select r.txid, 5, r.id from public.appointments r where r.txid >= v_txid and r.txid < v_bound
      union all
      select t.txid, case t.entity when 'patients' then 6 else 7 end, t.id
      from public.sync_tombstones t
      where not v_first and t.txid >= v_txid and t.txid < v_bound
    ) c
    where (c.txid, c.rank, c.id) > (v_txid, v_rank, v_id)
    order by c.txid, c.rank, c.id
    limit v_max + 1
  ) k;

  v_more := cardinality(v_ids) > v_max;
  if v_more then
    v_txids := v_txids[1:v_max];
    v_ranks := v_ranks[1:v_max];
    v_ids := v_ids[1:v_max];
  end if;

  -- Same snapshot (a stable function): the rows are as the positions were read.
  return jsonb_build_object(
    'cursor', case when v_more
      then pg_catalog.format('%s:%s:%s', v_txids[v_max], v_ranks[v_max], v_ids[v_max])
      else v_bound::text end,
    'hasMore', v_more,
    'changes', jsonb_build_object(
      'patients', (
        select coalesce(jsonb_agg(private.wire_row(to_jsonb(r)) order by r.txid, r.id), '[]'::jsonb)
        from public.patients r
        where r.id in (select u.id from unnest(v_ranks, v_ids) as u(rank, id) where u.rank = 4)
      ),
      'appointments', (
        select coalesce(jsonb_agg(private.wire_row(to_jsonb(r)) order by r.txid, r.id), '[]'::jsonb)
        from public.appointments r
        where r.id in (select u.id from unnest(v_ranks, v_ids) as u(rank, id) where u.rank = 5)
      ),
      'clinics', (
        select coalesce(jsonb_agg(private.wire_row(to_jsonb(r)) order by r.txid, r.id), '[]'::jsonb)
        from public.clinics r
        where r.id in (select u.id from unnest(v_ranks, v_ids) as u(rank, id) where u.rank = 1)
      ),
      'doctors', (
        select coalesce(jsonb_agg(private.wire_row(to_jsonb(r)) order by r.txid, r.id), '[]'::jsonb)
        from public.doctors r
        where r.id in (select u.id from unnest(v_ranks, v_ids) as u(rank, id) where u.rank = 2)
      ),
      'slots', (
        select coalesce(jsonb_agg(private.wire_row(to_jsonb(r)) order by r.txid, r.id), '[]'::jsonb)
        from public.slots r
        where r.id in (select u.id from unnest(v_ranks, v_ids) as u(rank, id) where u.rank = 3)
      )
    ),
    'deleted', (
      select coalesce(jsonb_agg(jsonb_build_object(
          'entity', case u.rank when 6 then 'patients' else 'appointments' end, 'id', u.id) order by u.n),
        '[]'::jsonb)
      from unnest(v_ranks, v_ids) with ordinality as u(rank, id, n)
      where u.rank in (6, 7)
    )
  );
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- sync_push: as in 20261124000600_push_speed.sql, plus `seq`: read, named to the row trigger,
-- stamped on deletes, and a superseded write answered as applied.
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
  v_seq bigint;
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
          -- Names the one row this mutation writes, for trigger guard_client_write (which stamps it,
          -- or raises CS409 when a later write of this device got there first).
          perform pg_catalog.set_config('consult.client_write',
            case when v_seq is null then ''
              else pg_catalog.format('%s:%s:%s:%s', client_id, v_seq, v_entity, v_key) end,
            true);
          if v_entity = 'patients' then
            v_row := private.apply_patient(v_op, v_key, v_data);
          else
            v_row := private.apply_appointment(v_op, v_key, v_data);
          end if;
          if v_op = 'delete' and v_seq is not null then
            perform private.stamp_delete(v_entity, v_key, client_id, v_seq);
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

  perform pg_catalog.set_config('consult.client_write', '', true);
  perform private.ledger_record_all(client_id, v_applied_ids, v_applied_answers);
  return to_jsonb(v_results);
end;
$$;
