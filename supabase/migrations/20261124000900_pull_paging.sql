-- sync_pull(since, max_rows): the same answer as before, one page at a time, plus `hasMore`.
--
-- A kiosk's first pull (its clinic's walk-ins, their appointments, every future slot) ran to
-- megabytes in one JSON answer. Now every change the caller may see — rows of the five tables and
-- tombstones — is delivered in one total order, (txid, table rank, id), at most max_rows per call.
--
-- The cursor is a position in that order:
-- * `<xid8>`: everything with txid >= it (what a finished pull hands out: the bound below);
-- * `<xid8>:<rank>:<uuid>`: everything after that row (a page that stopped inside the changes).
-- Each call computes its own bound, pg_snapshot_xmin of its snapshot, and delivers only positions
-- below it. Why a page that ends inside one transaction's rows cannot lose anything:
-- * every transaction with txid below the bound has ended, so the rows it left are all visible now
--   and the rest of its rows are still there for the next page, in the same order;
-- * a row written after this page gets the txid of a transaction that was still running or not
--   yet started when this page's snapshot was taken, so txid >= this bound > every position this
--   page delivered: a rewritten row moves forward in the order, never behind the cursor, and comes
--   again (as its newer version) in a later page;
-- * a transaction still open now (even one that started long ago) has txid >= the bound; its rows
--   come once it commits, as before.
-- So every committed change is delivered, and a row version at most once (the positions only grow).
-- The bound is not carried between pages: a later page's bound is only larger, and every position
-- below it is final for the reason above.
--
-- Ranks, within one transaction: 1 clinics, 2 doctors, 3 slots, 4 patients, 5 appointments,
-- 6 deleted patients, 7 deleted appointments. A pull with no cursor (the first, or after a sign-out)
-- sends no tombstones on its first page: nothing is on the device to delete. Later pages of it do
-- (a row the first page gave may have been deleted since); some of them name rows the device never
-- had, which it ignores.
--
-- max_rows defaults to 1000 (about half a megabyte); the one-argument call of older clients gets
-- the first page and the position, and picks up the rest at its next pull. Answers from 1 to 10,000
-- rows; anything else is refused (22023).

drop function public.sync_pull(text);

create function public.sync_pull(since text default null, max_rows integer default 1000) returns jsonb
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
        select coalesce(jsonb_agg(to_jsonb(r) - 'txid' order by r.txid, r.id), '[]'::jsonb)
        from public.patients r
        where r.id in (select u.id from unnest(v_ranks, v_ids) as u(rank, id) where u.rank = 4)
      ),
      'appointments', (
        select coalesce(jsonb_agg(to_jsonb(r) - 'txid' order by r.txid, r.id), '[]'::jsonb)
        from public.appointments r
        where r.id in (select u.id from unnest(v_ranks, v_ids) as u(rank, id) where u.rank = 5)
      ),
      'clinics', (
        select coalesce(jsonb_agg(to_jsonb(r) - 'txid' order by r.txid, r.id), '[]'::jsonb)
        from public.clinics r
        where r.id in (select u.id from unnest(v_ranks, v_ids) as u(rank, id) where u.rank = 1)
      ),
      'doctors', (
        select coalesce(jsonb_agg(to_jsonb(r) - 'txid' order by r.txid, r.id), '[]'::jsonb)
        from public.doctors r
        where r.id in (select u.id from unnest(v_ranks, v_ids) as u(rank, id) where u.rank = 2)
      ),
      'slots', (
        select coalesce(jsonb_agg(to_jsonb(r) - 'txid' order by r.txid, r.id), '[]'::jsonb)
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

comment on function public.sync_pull(text, integer) is
  'One page (at most max_rows) of the rows the caller may see changed since a cursor, plus reference '
  'data and tombstones; hasMore says whether to call again with the new cursor. See sync/protocol.ts.';

revoke all on function public.sync_pull(text, integer) from public, anon;
grant execute on function public.sync_pull(text, integer) to authenticated;
