-- Deletion markers are touched only by the owner of the deleted row (issue 8, part 5). Before:
-- 1. A deletes their patient P at seq 20 (P's tombstone carries A's stamp);
-- 2. B, who learned P's id, sends a delete of P and gets `applied`, which rewrote the stamp on
--    A's tombstone to B's device;
-- 3. A's late upsert at seq 15 was then no longer superseded, and P came back.
-- Also: creating a row under someone else's deleted id cleared their tombstone, and a delete of an
-- id that never reached the server left a tombstone owned by nobody (2,000 from four calls).
--
-- Now:
-- * stamp_delete stamps only a tombstone the caller owns (the row's own user, or the clinic of the
--   staff member); a delete of an id whose tombstone is someone else's is refused (`forbidden`).
-- * The marker for an id that never reached the server is owned by the caller (their user, or
--   their clinic for staff): it is theirs to see on pull, and expires with the retention below.
-- * Writing a row under a deleted id is refused unless the new row has the same owner as the
--   deleted one; only then is the tombstone cleared.

-- Whether the caller owns a tombstone: the deleted row's user, or staff of its clinic.
create function private.owns_tombstone(p_owner uuid, p_clinic uuid) returns boolean
language sql
stable
set search_path = ''
as $$
  select (p_owner is not null and p_owner = (select auth.uid()))
    or (p_clinic is not null and p_clinic = (select private.staff_clinic_id()))
$$;

create or replace function private.stamp_delete(p_entity text, p_id uuid, p_client uuid, p_seq bigint) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_staff_clinic uuid := private.staff_clinic_id();
  v_tombstone public.sync_tombstones;
begin
  insert into public.sync_tombstones as t (entity, id, owner_user_id, clinic_id, last_client_id, last_client_seq)
  values (
    p_entity, p_id,
    case when v_staff_clinic is null then (select auth.uid()) end,
    v_staff_clinic,
    p_client, p_seq
  )
  on conflict (entity, id) do nothing;
  if found then
    return;
  end if;
  select * into v_tombstone from public.sync_tombstones t where t.entity = p_entity and t.id = p_id for update;
  if not private.owns_tombstone(v_tombstone.owner_user_id, v_tombstone.clinic_id) then
    perform private.reject('forbidden',
      pg_catalog.format('%s %s was deleted by another account or clinic', rtrim(p_entity, 's'), p_id));
  end if;
  -- The same device's stamp only moves forward (an old delete arriving late does not lower it).
  update public.sync_tombstones t
  set last_client_id = p_client, last_client_seq = p_seq
  where t.entity = p_entity and t.id = p_id
    and (t.last_client_id is distinct from p_client or t.last_client_seq is null or t.last_client_seq < p_seq);
end;
$$;

-- A row re-created under a deleted id is live again: its tombstone would contradict it on pull. Only
-- the owner of the deleted row may do that: the new row must have the same owner (the patient's
-- user and clinic; for an appointment, its patient's).
create or replace function private.clear_tombstone() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_owner uuid;
  v_clinic uuid;
  v_tombstone public.sync_tombstones;
begin
  select * into v_tombstone from public.sync_tombstones t
  where t.entity = tg_table_name and t.id = new.id
  for update;
  if not found then
    return null;
  end if;
  if tg_table_name = 'patients' then
    v_owner := new.user_id;
    v_clinic := new.clinic_id;
  else
    select p.user_id, p.clinic_id into v_owner, v_clinic from public.patients p where p.id = new.patient_id;
  end if;
  if (v_tombstone.owner_user_id is not null or v_tombstone.clinic_id is not null)
    and (v_tombstone.owner_user_id is distinct from v_owner or v_tombstone.clinic_id is distinct from v_clinic)
  then
    perform private.reject('forbidden',
      pg_catalog.format('id %s belonged to a row another account or clinic deleted; use a new id', new.id), 'id');
  end if;
  delete from public.sync_tombstones t where t.entity = tg_table_name and t.id = new.id;
  return null;
end;
$$;

revoke all on function private.owns_tombstone(uuid, uuid) from public;
grant execute on function private.owns_tombstone(uuid, uuid) to authenticated;
