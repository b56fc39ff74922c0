-- An app cached on a phone from before sized pull pages (20261130300000) reads `changes.slots` as
-- an array of slot rows; this server sent runs (`{ "runs": [...], "rows": [...] }`) to every caller,
-- so each of its pulls failed to parse: the old client took the page for a refused cursor, dropped
-- what it had pulled (a full resync) and stopped, with nothing pulled, until the update was loaded.
-- Such a client never sends `max_bytes` (the current one always does): a pull without it gets its
-- slots as rows again, the page the old client always read. A caller that sizes its pages is served
-- exactly as before.
--
-- sync_pull's body moves, unchanged, to private.pull_page (not served by the API); public.sync_pull
-- keeps its name, arguments and grants and reads it. sync_push's pull calls public.sync_pull by
-- name, so it follows the same rule.

alter function public.sync_pull(text, integer, integer, boolean) set schema private;
alter function private.sync_pull(text, integer, integer, boolean) rename to pull_page;
-- As every private function: the signed-in roles only (sync_pull refuses any other caller anyway).
revoke all on function private.pull_page(text, integer, integer, boolean) from public, anon, service_role;
grant execute on function private.pull_page(text, integer, integer, boolean) to authenticated;

-- The slot rows a page's compact slots stand for (private.slot_row, as the page read them).
create function private.slot_rows_of(p_slots jsonb) returns jsonb
language sql stable
set search_path = ''
as $$
  with ids as (
    select pg_catalog.substr(run ->> 'ids', (i - 1) * 32 + 1, 32)::uuid as id
    from jsonb_array_elements(p_slots -> 'runs') as run,
      generate_series(1, pg_catalog.length(run ->> 'ids') / 32) as i
  )
  select coalesce(jsonb_agg(private.slot_row(r) order by r.doctor_id, r.starts_at, r.id), '[]'::jsonb)
      || coalesce(p_slots -> 'rows', '[]'::jsonb)
  from public.slots r
  where r.id in (select ids.id from ids)
$$;
revoke all on function private.slot_rows_of(jsonb) from public, anon, service_role;
grant execute on function private.slot_rows_of(jsonb) to authenticated;

create function public.sync_pull(
  since text default null,
  max_rows integer default 1000,
  max_bytes integer default null,
  kiosk boolean default false
) returns jsonb
language plpgsql stable
set search_path = ''
as $$
declare
  v_page jsonb := private.pull_page(since, max_rows, coalesce(max_bytes, 262144), kiosk);
begin
  if max_bytes is null and jsonb_typeof(v_page #> '{changes,slots}') = 'object' then
    v_page := jsonb_set(v_page, '{changes,slots}', private.slot_rows_of(v_page #> '{changes,slots}'));
  end if;
  return v_page;
end;
$$;

comment on function public.sync_pull(text, integer, integer, boolean) is
  'One page (at most max_rows, about max_bytes of JSON) of the rows the caller may see changed since a cursor, plus reference data (slots compact, as runs) and tombstones; hasMore says whether to call again with the new cursor. kiosk: no appointment rows (their tombstones still), patients with the match index''s fields only. Without max_bytes (an app from before sized pages), a page of 262144 bytes'' worth with its slots as rows. See sync/protocol.ts.';
revoke all on function public.sync_pull(text, integer, integer, boolean) from public, anon;
grant execute on function public.sync_pull(text, integer, integer, boolean) to authenticated, service_role;
