create or replace function public.sync_pull(
  since text default null,
  max_rows integer default 1000,
  max_bytes integer default 262144,
  kiosk boolean default false
) returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  c_most constant integer := 10000;
  c_least_bytes constant integer := 1024;
  c_most_bytes constant integer := 8388608;
  -- The answer's envelope: cursor, hasMore, the table keys, empty arrays.
  c_envelope_bytes constant integer := 256;
  -- A compact slot: 32 hex digits of id, its start step and a `taken` index with separators. A
  -- step is the gap to the previous start (4 digits for 30 minutes); 16 covers the first start of
  -- a run (10 digits) and steps up to days.
  c_slot_bytes constant integer := 32 + 16 + 8;
  -- A run's heading: the keys, a doctor id, a mode, a length.
  c_run_bytes constant integer := 160;
  c_tombstone_bytes constant integer := 72;
  v_bound xid8 := pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot());
  v_max integer := coalesce(max_rows, 1000);
  v_budget integer := coalesce(max_bytes, 262144);
  -- The most rows the page can hold (see the top): positions read are one more than this.
  v_read integer;
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
  -- The page's rows, each built once (to size the page and to send it).
  v_patients jsonb;
  v_appointments jsonb;
  v_clinics jsonb;
  v_doctors jsonb;
  v_given integer;
  v_last integer;
  -- The window: slots starting before v_end. Slots starting in [v_prev_end, v_end) and older than
  -- the cursor's txid entered it since the cursor was handed out: they come first (rank 0).
  v_end timestamptz := private.slot_window_end();
  v_prev_end timestamptz;
begin
  if (select auth.uid()) is null then
    raise exception 'sync_pull needs a signed-in user' using errcode = '42501';
  end if;
  if v_max < 1 or v_max > c_most then
    raise exception 'sync_pull: max_rows must be between 1 and %, not %', c_most, v_max
      using errcode = '22023';
  end if;
  if v_budget < c_least_bytes or v_budget > c_most_bytes then
    raise exception 'sync_pull: max_bytes must be between % and %, not %', c_least_bytes, c_most_bytes, v_budget
      using errcode = '22023';
  end if;
  v_read := least(v_max, greatest(1, (v_budget - c_envelope_bytes) / (c_slot_bytes + 2)));
  v_prev_end := v_end;
  if nullif(since, '') is not null then
    v_parts := pg_catalog.regexp_match(since,
      '^([0-9]{1,19})(?::([0-7]):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))?(?:/([0-9]{1,12})(?:/([0-9]{1,12}))?)?$');
    -- Rank 0 (a slot that entered the window) only with both ends, and both ends only there.
    if v_parts is null or coalesce(v_parts[2] = '0', false) <> (v_parts[5] is not null) then
      -- Quoted short: the cursor comes from the caller and may be of any length.
      raise exception 'sync_pull: "%" is not a cursor this server gave out; pass null to start over',
        case when char_length(since) > 40 then left(since, 40) || '…' else since end
        using errcode = '22023';
    end if;
    v_txid := v_parts[1]::xid8;
    v_first := false;
    if v_parts[2] is not null then
      v_rank := v_parts[2]::integer;
      v_id := v_parts[3]::uuid;
    end if;
    if v_parts[4] is not null then
      if v_parts[2] is not null then
        -- Inside a pull: keep its window; among the window's new slots, also where they began.
        v_end := pg_catalog.to_timestamp(v_parts[4]::bigint);
        v_prev_end := coalesce(pg_catalog.to_timestamp(v_parts[5]::bigint), v_end);
      else
        -- A finished pull's window: what entered since comes first. A window that shrank (fewer
        -- days set) keeps the device's slots beyond it until the window reaches them again.
        v_prev_end := least(pg_catalog.to_timestamp(v_parts[4]::bigint), v_end);
      end if;
    end if;
    -- A cursor from the future came from another database (a reset local stack, another project):
    -- start over rather than wait for transaction ids to catch up (see the baseline's sync_pull).
    if v_txid > v_bound or (v_txid = v_bound and v_rank > 0) then
      v_txid := '0'::xid8;
      v_rank := 0;
      v_id := '00000000-0000-0000-0000-000000000000';
      v_first := true;
      v_end := private.slot_window_end();
      v_prev_end := v_end;
    end if;
    -- A finished pull's cursor older than the kept history: full resync (20261129000800_retention).
    if not v_first and v_parts[2] is null and v_txid <= private.sync_history_horizon() then
      raise exception 'sync_pull: this device last synced before the oldest history the server keeps; pull again from the start (since = null) and replace the rows on this device'
        using errcode = 'PT410', hint = 'Full resync: pull with since = null.';
    end if;
  end if;

  -- The page's positions first: one more than asked, to know whether anything is left. Each row
  -- is then built once (`built`, materialized: it is read twice) and sized from its own text (a
  -- compact slot by its bound); the page is the longest prefix whose running total fits the
  -- budget, at least one row, and its rows are aggregated from the same built values. Building a
  -- row to size it and again to send it made wire_row and to_jsonb half of a big pull's time.
  with k as (
    select c.txid, c.rank, c.id
    from (
      select r.txid, 1 as rank, r.id from public.clinics r where r.txid >= v_txid and r.txid < v_bound
      union all
      select r.txid, 2, r.id from public.doctors r where r.txid >= v_txid and r.txid < v_bound
      union all
      -- Slots that entered the window since the cursor, at the cursor's position (see above).
      select v_txid, 0, r.id from public.slots r
      where v_prev_end < v_end and r.starts_at >= v_prev_end and r.starts_at < v_end
        and r.txid < v_txid and r.ends_at > pg_catalog.now()
      union all
      -- Slots that have ended can no longer be booked, and slots beyond the window come when it
      -- reaches them: devices need not carry either.
      select r.txid, 3, r.id from public.slots r
      where r.txid >= v_txid and r.txid < v_bound and r.ends_at > pg_catalog.now() and r.starts_at < v_end
      union all
      select r.txid, 4, r.id from public.patients r where r.txid >= v_txid and r.txid < v_bound
      union all
      -- A kiosk's pull has no appointment rows (see the top of this migration).
      select r.txid, 5, r.id from public.appointments r
      where not coalesce(kiosk, false) and r.txid >= v_txid and r.txid < v_bound
      union all
      select t.txid, case t.entity when 'patients' then 6 else 7 end, t.id
      from public.sync_tombstones t
      where not v_first and t.txid >= v_txid and t.txid < v_bound
    ) c
    where (c.txid, c.rank, c.id) > (v_txid, v_rank, v_id)
    order by c.txid, c.rank, c.id
    limit v_read + 1
  ),
  built as materialized (
    select k.txid, k.rank, k.id,
      case k.rank
        when 1 then (select private.wire_row(to_jsonb(r)) from public.clinics r where r.id = k.id)
        when 2 then (select private.wire_row(to_jsonb(r)) from public.doctors r where r.id = k.id)
        -- A kiosk's patient: only what its match index and the patient schema need (see the top).
        when 4 then (select case when coalesce(kiosk, false)
            then jsonb_build_object('id', r.id, 'full_name', r.full_name, 'date_of_birth', r.date_of_birth,
              'phone', r.phone, 'sex', r.sex, 'preferred_language', r.preferred_language, 'version', r.version)
            else private.wire_row(to_jsonb(r)) end
          from public.patients r where r.id = k.id)
        when 5 then (select private.wire_row(to_jsonb(r)) from public.appointments r where r.id = k.id)
      end as row
    from k
  ),
  sized as (
    select b.txid, b.rank, b.id, b.row,
      2 + case
        when b.rank in (1, 2, 4, 5) then pg_catalog.octet_length(b.row::text)
        when b.rank in (0, 3) then case when private.slot_is_compact(s.starts_at, s.ends_at)
          then c_slot_bytes + case when pg_catalog.row_number() over (
              partition by s.doctor_id, s.mode, s.ends_at - s.starts_at, private.slot_is_compact(s.starts_at, s.ends_at)
              order by b.txid, b.rank, b.id) = 1 then c_run_bytes else 0 end
          else pg_catalog.octet_length(private.slot_row(s)::text) end
        else c_tombstone_bytes
      end as bytes
    from built b
    left join public.slots s on b.rank in (0, 3) and s.id = b.id
  ),
  totals as (
    select sized.txid, sized.rank, sized.id, sized.row,
      pg_catalog.row_number() over w as n,
      c_envelope_bytes + sum(sized.bytes) over w as total
    from sized
    window w as (order by sized.txid, sized.rank, sized.id rows between unbounded preceding and current row)
  ),
  page as (
    select t.* from totals t where t.n <= v_read and (t.n = 1 or t.total <= v_budget)
  )
  select
    coalesce((select array_agg(p.txid order by p.n) from page p), '{}'),
    coalesce((select array_agg(p.rank order by p.n) from page p), '{}'),
    coalesce((select array_agg(p.id order by p.n) from page p), '{}'),
    (select count(*) from totals),
    -- In page order, which within one table is (txid, id): the order the rows always came in.
    (select coalesce(jsonb_agg(p.row order by p.n), '[]'::jsonb) from page p where p.rank = 4),
    (select coalesce(jsonb_agg(p.row order by p.n), '[]'::jsonb) from page p where p.rank = 5),
    (select coalesce(jsonb_agg(p.row order by p.n), '[]'::jsonb) from page p where p.rank = 1),
    (select coalesce(jsonb_agg(p.row order by p.n), '[]'::jsonb) from page p where p.rank = 2)
  into v_txids, v_ranks, v_ids, v_given, v_patients, v_appointments, v_clinics, v_doctors;

  -- v_given counted every position read (up to one more than v_read): more is left if the page
  -- stopped before the last of them.
  v_more := cardinality(v_ids) < v_given;
  v_last := cardinality(v_ids);

  -- Same snapshot (a stable function): the slots are as the positions were read.
  return jsonb_build_object(
    'cursor', case when v_more
      then pg_catalog.format('%s:%s:%s/%s', v_txids[v_last], v_ranks[v_last], v_ids[v_last],
        extract(epoch from v_end)::bigint)
        || case when v_ranks[v_last] = 0 then '/' || extract(epoch from v_prev_end)::bigint else '' end
      else pg_catalog.format('%s/%s', v_bound, extract(epoch from v_end)::bigint) end,
    'hasMore', v_more,
    'changes', jsonb_build_object(
      'patients', v_patients,
      'appointments', v_appointments,
      'clinics', v_clinics,
      'doctors', v_doctors,
      'slots', private.slot_runs(array(select u.id from unnest(v_ranks, v_ids) as u(rank, id) where u.rank in (0, 3)))
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

comment on function public.sync_pull(text, integer, integer, boolean) is
  'One page (at most max_rows, about max_bytes of JSON) of the rows the caller may see changed since '
  'a cursor, plus reference data (slots compact, as runs) and tombstones; hasMore says whether to call '
  'again with the new cursor. kiosk: no appointment rows (their tombstones still), patients with the '
  'match index''s fields only. See sync/protocol.ts.';

revoke all on function public.sync_pull(text, integer, integer, boolean) from public, anon;
grant execute on function public.sync_pull(text, integer, integer, boolean) to authenticated;

-- Whether a slot travels in a run, now inlined into the queries that ask it. A SQL function with its
-- own search_path (or declared immutable over extract(), which is only stable) is called row by row
-- through the function manager: five calls per slot of a page, most of the time a page of slots took
-- to size and to pack into runs. Without the setting it is expanded in place; it names nothing that
-- a search_path could redirect (pg_catalog's own mod and =, both qualified).
create or replace function private.slot_is_compact(p_starts timestamptz, p_ends timestamptz) returns boolean
language sql
stable
as $$
  select pg_catalog.mod(extract(epoch from p_starts), 1) operator(pg_catalog.=) 0
    and pg_catalog.mod(extract(epoch from p_ends), 1) operator(pg_catalog.=) 0
$$;
