-- A new phone's first sync was 395 KB of JSON for 1,248 slots (about 300 bytes a slot, most of it
-- the same doctor id, mode and timestamps written again and again). Three changes to sync_pull:
--
-- 1. Slots travel compactly (sync/slot-runs.ts decodes them; sync/protocol.ts documents the shape).
--    `changes.slots` is an object instead of an array of rows:
--      { "runs": [ { "doctor_id", "mode", "seconds", "starts", "ids", "taken" } ], "rows": [ … ] }
--    A run is the page's slots of one doctor, one mode and one length (`seconds`), in start order:
--    `starts` holds the first start in Unix seconds and then the gap to the previous start, `ids`
--    the slot ids as one string of 32 hex digits each, `taken` the 0-based positions of the slots
--    an active appointment holds (available = false). The device rebuilds the rows it always
--    stored: id, doctor_id, starts_at, ends_at, mode, available (created_at and updated_at, which
--    no screen reads, no longer travel). A slot whose start or end is not a whole second (the
--    seed's all are; one made with now() is not) travels as a plain row in `rows`: nothing is rounded.
--
-- 2. Pages are sized in bytes as well as rows: `max_bytes` (default 262,144; 1,024 to 8,388,608)
--    bounds the JSON text of the answer. The page takes rows in cursor order while the running total
--    of their JSON stays within the budget (slots counted at a fixed upper bound of their compact
--    size, their run's heading once), and always at least one row, so a row larger than the budget
--    still moves the pull on. `max_rows` still caps the count. The cursor and `hasMore` keep their
--    meaning: the next page starts right after the last row given, whatever cut the page.
--
-- 3. Slots only for the days a patient can book: from now to the end of the 14th clinic day
--    (today and the 13 after it, Asia/Kolkata, as the request screen offers: requestDays in
--    src/data/consult-request.ts), `private.settings.slot_window_days`. A slot further out reaches a
--    device once its day enters the window. Its txid does not change when that happens, so the
--    cursor carries the window's end: `<position>/<end>`, the end in Unix seconds. A pull from a
--    cursor whose end is behind today's first sends the slots of the days that entered the window
--    since (whatever their txid), then the changes as before. Those slots sit in the order at the
--    cursor's own txid, rank 0, by id, so a page may stop among them like anywhere else; the
--    cursor of such a page names both ends, `<txid>:0:<id>/<end>/<previous end>`. A page keeps the
--    end its pull started with, so the window does not move under a pull that spans midnight.
--    A cursor without an end (an older client's) counts as holding today's window.
--
-- The signature gains a parameter with a default, so the old one is dropped: one function,
-- callable as before as sync_pull(since) and sync_pull(since, max_rows).

drop function public.sync_pull(text, integer);

insert into private.settings (key, value) values ('slot_window_days', '14') on conflict (key) do nothing;

-- The end of the days a device is sent slots for: the start of the clinic day `slot_window_days`
-- after today (Asia/Kolkata, the clinics' time, as request dates are).
create function private.slot_window_end() returns timestamptz
language sql
stable
security definer
set search_path = ''
as $$
  select ((pg_catalog.now() at time zone 'Asia/Kolkata')::date
    + coalesce((select s.value::integer from private.settings s where s.key = 'slot_window_days'), 14))::timestamp
    at time zone 'Asia/Kolkata'
$$;

revoke all on function private.slot_window_end() from public;
grant execute on function private.slot_window_end() to authenticated;

-- Whether a slot travels in a run: its start and end are whole seconds (a run holds Unix seconds).
create function private.slot_is_compact(p_starts timestamptz, p_ends timestamptz) returns boolean
language sql
immutable
set search_path = ''
as $$
  select extract(epoch from p_starts) % 1 = 0 and extract(epoch from p_ends) % 1 = 0
$$;

revoke all on function private.slot_is_compact(timestamptz, timestamptz) from public;
grant execute on function private.slot_is_compact(timestamptz, timestamptz) to authenticated;

-- A slot as a plain row: the columns a device keeps, as a run would give them.
create function private.slot_row(p_slot public.slots) returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_build_object('id', p_slot.id, 'doctor_id', p_slot.doctor_id, 'starts_at', p_slot.starts_at,
    'ends_at', p_slot.ends_at, 'mode', p_slot.mode, 'available', p_slot.available)
$$;

revoke all on function private.slot_row(public.slots) from public;
grant execute on function private.slot_row(public.slots) to authenticated;

-- The compact `changes.slots` of a page holding the slots `p_ids` (the shape is described above).
-- Security invoker, like sync_pull: row level security still decides what the caller reads.
create function private.slot_runs(p_ids uuid[]) returns jsonb
language sql
stable
set search_path = ''
as $$
  with s as (
    select r.id, r.doctor_id, r.mode, r.available, r.starts_at,
      extract(epoch from r.starts_at)::bigint as at,
      extract(epoch from r.ends_at - r.starts_at)::bigint as seconds
    from public.slots r
    where r.id = any(p_ids) and private.slot_is_compact(r.starts_at, r.ends_at)
  ),
  numbered as (
    select s.*,
      s.at - coalesce(lag(s.at) over w, 0) as step,
      pg_catalog.row_number() over w - 1 as i
    from s
    window w as (partition by s.doctor_id, s.mode, s.seconds order by s.starts_at)
  ),
  runs as (
    select n.doctor_id, n.mode, n.seconds, jsonb_build_object(
        'doctor_id', n.doctor_id,
        'mode', n.mode,
        'seconds', n.seconds,
        'starts', jsonb_agg(n.step order by n.i),
        'ids', string_agg(pg_catalog.replace(n.id::text, '-', ''), '' order by n.i),
        'taken', coalesce(jsonb_agg(n.i order by n.i) filter (where not n.available), '[]'::jsonb)
      ) as run
    from numbered n
    group by n.doctor_id, n.mode, n.seconds
  )
  select jsonb_build_object(
    'runs', (select coalesce(jsonb_agg(runs.run order by runs.doctor_id, runs.mode, runs.seconds), '[]'::jsonb)
             from runs),
    'rows', (select coalesce(jsonb_agg(private.slot_row(r) order by r.txid, r.id), '[]'::jsonb)
             from public.slots r
             where r.id = any(p_ids) and not private.slot_is_compact(r.starts_at, r.ends_at))
  )
$$;

revoke all on function private.slot_runs(uuid[]) from public;
grant execute on function private.slot_runs(uuid[]) to authenticated;

create function public.sync_pull(
  since text default null,
  max_rows integer default 1000,
  max_bytes integer default 262144
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

  -- The page's positions first, without building any JSON: one more than asked, to know whether
  -- anything is left. Then the size of each (its JSON text, or the compact slot bound), and the
  -- page is the longest prefix whose running total fits the budget, at least one row.
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
      select r.txid, 5, r.id from public.appointments r where r.txid >= v_txid and r.txid < v_bound
      union all
      select t.txid, case t.entity when 'patients' then 6 else 7 end, t.id
      from public.sync_tombstones t
      where not v_first and t.txid >= v_txid and t.txid < v_bound
    ) c
    where (c.txid, c.rank, c.id) > (v_txid, v_rank, v_id)
    order by c.txid, c.rank, c.id
    limit v_max + 1
  ),
  sized as (
    select k.txid, k.rank, k.id,
      2 + case (case k.rank when 0 then 3 else k.rank end)
        when 1 then (select pg_catalog.octet_length(private.wire_row(to_jsonb(r))::text)
                     from public.clinics r where r.id = k.id)
        when 2 then (select pg_catalog.octet_length(private.wire_row(to_jsonb(r))::text)
                     from public.doctors r where r.id = k.id)
        when 3 then case when private.slot_is_compact(s.starts_at, s.ends_at)
          then c_slot_bytes + case when pg_catalog.row_number() over (
              partition by s.doctor_id, s.mode, s.ends_at - s.starts_at, private.slot_is_compact(s.starts_at, s.ends_at)
              order by k.txid, k.rank, k.id) = 1 then c_run_bytes else 0 end
          else pg_catalog.octet_length(private.slot_row(s)::text) end
        when 4 then (select pg_catalog.octet_length(private.wire_row(to_jsonb(r))::text)
                     from public.patients r where r.id = k.id)
        when 5 then (select pg_catalog.octet_length(private.wire_row(to_jsonb(r))::text)
                     from public.appointments r where r.id = k.id)
        else c_tombstone_bytes
      end as bytes
    from k
    left join public.slots s on k.rank in (0, 3) and s.id = k.id
  ),
  totals as (
    select sized.txid, sized.rank, sized.id,
      pg_catalog.row_number() over w as n,
      c_envelope_bytes + sum(sized.bytes) over w as total
    from sized
    window w as (order by sized.txid, sized.rank, sized.id rows between unbounded preceding and current row)
  )
  select
    coalesce(array_agg(t.txid order by t.n) filter (where t.n <= v_max and (t.n = 1 or t.total <= v_budget)), '{}'),
    coalesce(array_agg(t.rank order by t.n) filter (where t.n <= v_max and (t.n = 1 or t.total <= v_budget)), '{}'),
    coalesce(array_agg(t.id order by t.n) filter (where t.n <= v_max and (t.n = 1 or t.total <= v_budget)), '{}'),
    count(*)
  into v_txids, v_ranks, v_ids, v_given
  from totals t;

  -- v_given counted every position read (up to one more than max_rows): more is left if the page
  -- stopped before the last of them.
  v_more := cardinality(v_ids) < v_given;
  v_last := cardinality(v_ids);

  -- Same snapshot (a stable function): the rows are as the positions were read.
  return jsonb_build_object(
    'cursor', case when v_more
      then pg_catalog.format('%s:%s:%s/%s', v_txids[v_last], v_ranks[v_last], v_ids[v_last],
        extract(epoch from v_end)::bigint)
        || case when v_ranks[v_last] = 0 then '/' || extract(epoch from v_prev_end)::bigint else '' end
      else pg_catalog.format('%s/%s', v_bound, extract(epoch from v_end)::bigint) end,
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

comment on function public.sync_pull(text, integer, integer) is
  'One page (at most max_rows, about max_bytes of JSON) of the rows the caller may see changed since '
  'a cursor, plus reference data (slots compact, as runs) and tombstones; hasMore says whether to call '
  'again with the new cursor. See sync/protocol.ts.';

revoke all on function public.sync_pull(text, integer, integer) from public, anon;
grant execute on function public.sync_pull(text, integer, integer) to authenticated;
