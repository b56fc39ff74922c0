-- Retention of the sync history (issue 8, part 5). Nothing cleaned up the ledger, the tombstones or
-- the delete markers; they grew with every write.
--
-- public.purge_sync_history(keep_days default 90), callable by the service role only (and by the
-- database owner, e.g. from pg_cron; see supabase/OPERATIONS.md), deletes ledger rows and
-- tombstones (delete markers included) older than keep_days, and records the newest purged
-- tombstone's txid as the history horizon.
--
-- A device offline for longer than that:
-- * its pull cursor (the bound a finished pull handed out) is at or below the horizon, so it may
--   have missed deletions: sync_pull answers
--   SQLSTATE PT410 (HTTP 410, "Gone"), and the device pulls again from the start (since = null)
--   and replaces its copy of the server's rows: a full resync, never a silent loss. Its queued
--   writes stay queued and are sent as usual.
-- * its queued writes are evaluated again if their ledger rows are gone: a write the device never
--   got an answer for is applied (or rejected) as a new one, a duplicate answer is no longer
--   possible for it. A write older than a purged delete marker of the same device is no longer
--   recognised as superseded.
-- * not detected: a device that stopped in the middle of a paged pull (a position cursor) and stays
--   offline longer than the retention. Detecting it needs the pull's start in the position cursor
--   (a protocol change).
--
-- Also: sync_pull quotes at most 40 characters of a cursor it refuses, instead of echoing a 1 MB
-- cursor in a 1 MB error.

insert into private.settings (key, value) values ('sync_history_horizon', '0') on conflict (key) do nothing;

-- The txid at and below which tombstones may have been purged ('0' until the first purge).
create function private.sync_history_horizon() returns xid8
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((select s.value::xid8 from private.settings s where s.key = 'sync_history_horizon'), '0'::xid8)
$$;

revoke all on function private.sync_history_horizon() from public;
grant execute on function private.sync_history_horizon() to authenticated;

create function public.purge_sync_history(keep_days integer default 90) returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_cutoff timestamptz;
  v_ledger bigint;
  v_tombstones bigint;
  v_horizon xid8;
begin
  -- A week at the least: a phone switched off over a holiday must not need a full resync.
  if keep_days is null or keep_days < 7 then
    raise exception 'purge_sync_history: keep_days must be 7 or more, not %', keep_days using errcode = '22023';
  end if;
  v_cutoff := pg_catalog.now() - pg_catalog.make_interval(days => keep_days);
  delete from public.sync_ledger l where l.created_at < v_cutoff;
  get diagnostics v_ledger = row_count;
  with gone as (
    delete from public.sync_tombstones t where t.deleted_at < v_cutoff returning t.txid
  )
  select count(*), (select g.txid from gone g order by g.txid desc limit 1) into v_tombstones, v_horizon
  from gone;
  if v_horizon is not null then
    insert into private.settings as s (key, value) values ('sync_history_horizon', v_horizon::text)
    on conflict (key) do update
      set value = greatest(s.value::xid8, excluded.value::xid8)::text, updated_at = pg_catalog.now();
  end if;
  return jsonb_build_object(
    'ledger', v_ledger,
    'tombstones', v_tombstones,
    'horizon', private.sync_history_horizon()::text
  );
end;
$$;

comment on function public.purge_sync_history(integer) is
  'Deletes sync ledger rows and tombstones older than keep_days (at least 7; default 90). Service role '
  'only; schedule it daily (supabase/OPERATIONS.md). A device whose pull cursor predates the purge gets '
  'SQLSTATE PT410 and pulls everything again.';

revoke all on function public.purge_sync_history(integer) from public, anon, authenticated;
grant execute on function public.purge_sync_history(integer) to service_role;

-- sync_pull as in the baseline, with the horizon check and a short quote of a refused cursor.
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
    -- A cursor from the future came from another database (a reset local stack, another project):
    -- start over rather than wait for transaction ids to catch up. A position is always below the
    -- bound of the page that gave it, and bounds only grow.
    if v_txid > v_bound or (v_txid = v_bound and v_rank > 0) then
      v_txid := '0'::xid8;
      v_rank := 0;
      v_id := '00000000-0000-0000-0000-000000000000';
      v_first := true;
    end if;
    -- Tombstones older than the kept history are gone (purge_sync_history): a device whose cursor
    -- is that old may hold rows deleted since, which no page would name. It gets a distinct
    -- error instead of silently missing them, and pulls again from the start. Only the cursor a
    -- finished pull hands out (a bound) is checked: the position inside a pull walks through old
    -- txids (a pull from the start passes every reference row), and its pull began recently.
    if not v_first and v_parts[2] is null and v_txid <= private.sync_history_horizon() then
      raise exception 'sync_pull: this device last synced before the oldest history the server keeps; pull again from the start (since = null) and replace the rows on this device'
        using errcode = 'PT410', hint = 'Full resync: pull with since = null.';
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
