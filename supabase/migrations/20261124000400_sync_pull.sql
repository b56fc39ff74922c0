-- sync_pull(since): the rows the caller may see that changed after a cursor, reference data,
-- tombstones, and the next cursor (sync/protocol.ts pullResponse).
--
-- The cursor is a transaction id bound. Every write stamps its row with the writer's transaction id
-- (txid). A pull returns rows with since <= txid < bound, where bound is the oldest transaction
-- still running when the pull's snapshot was taken (pg_snapshot_xmin): every transaction below it
-- has ended, so its rows are visible now and will never change txid again, while a transaction
-- still open — even one that started long ago and commits later — has txid >= bound and is
-- delivered by a later pull. Each row version is thus delivered exactly once: never skipped, never
-- repeated. An updated_at cursor would skip rows whose transaction commits after a later one.
--
-- Security invoker: row level security decides what each caller sees. Stable: one snapshot for the
-- bound and every read, and a read-only transaction under PostgREST.

create function public.sync_pull(since text default null) returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_bound xid8 := pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot());
  v_since xid8;
begin
  if (select auth.uid()) is null then
    raise exception 'sync_pull needs a signed-in user' using errcode = '42501';
  end if;
  if nullif(since, '') is not null then
    if since !~ '^[0-9]{1,19}$' then
      raise exception 'sync_pull: "%" is not a cursor this server gave out; pass null to start over', since
        using errcode = '22023';
    end if;
    v_since := since::xid8;
    -- A cursor from the future came from another database (a reset local stack, another project):
    -- start over rather than wait for transaction ids to catch up.
    if v_since > v_bound then
      v_since := null;
    end if;
  end if;

  return jsonb_build_object(
    'cursor', v_bound::text,
    'changes', jsonb_build_object(
      'patients', (
        select coalesce(jsonb_agg(to_jsonb(r) - 'txid' order by r.txid, r.id), '[]'::jsonb)
        from public.patients r
        where (v_since is null or r.txid >= v_since) and r.txid < v_bound
      ),
      'appointments', (
        select coalesce(jsonb_agg(to_jsonb(r) - 'txid' order by r.txid, r.id), '[]'::jsonb)
        from public.appointments r
        where (v_since is null or r.txid >= v_since) and r.txid < v_bound
      ),
      'clinics', (
        select coalesce(jsonb_agg(to_jsonb(r) - 'txid' order by r.txid, r.id), '[]'::jsonb)
        from public.clinics r
        where (v_since is null or r.txid >= v_since) and r.txid < v_bound
      ),
      'doctors', (
        select coalesce(jsonb_agg(to_jsonb(r) - 'txid' order by r.txid, r.id), '[]'::jsonb)
        from public.doctors r
        where (v_since is null or r.txid >= v_since) and r.txid < v_bound
      ),
      -- Slots that have ended can no longer be booked; devices need not carry them. Appointments
      -- keep their own copy of doctor, mode and times.
      'slots', (
        select coalesce(jsonb_agg(to_jsonb(r) - 'txid' order by r.txid, r.id), '[]'::jsonb)
        from public.slots r
        where (v_since is null or r.txid >= v_since) and r.txid < v_bound and r.ends_at > pg_catalog.now()
      )
    ),
    -- A first pull has nothing to delete.
    'deleted', (
      select coalesce(jsonb_agg(jsonb_build_object('entity', t.entity, 'id', t.id) order by t.txid, t.id),
        '[]'::jsonb)
      from public.sync_tombstones t
      where v_since is not null and t.txid >= v_since and t.txid < v_bound
    )
  );
end;
$$;

comment on function public.sync_pull(text) is
  'Rows the caller may see changed since a cursor, plus reference data and tombstones; see sync/protocol.ts.';

revoke all on function public.sync_pull(text) from public, anon;
grant execute on function public.sync_pull(text) to authenticated;
