-- Least privilege for the API roles (issue 8, part 5).
--
-- * Functions in `private`: EXECUTE is revoked from PUBLIC (Postgres grants it to everyone by
--   default) and from every API role, then granted to `authenticated` for exactly the helpers that
--   run as the caller: those the policies and the sync RPCs call. Trigger functions need no grant
--   (a trigger runs its function whoever fires it), nor do security definer helpers called only
--   from other security definer code. Functions created later are not executable by PUBLIC either.
-- * statement_timeout: 3 s for anon and 8 s for authenticated (hosted Supabase's defaults), so one
--   request cannot hold a connection for minutes. PostgREST applies the setting of the role it
--   switches to. A cancelled statement fails the call (57014), which the client retries.
-- * A deleted user's still-valid token is answered 401 (SQLSTATE PT401) before anything runs,
--   instead of "a reference refers to a row that does not exist" on the first write: PostgREST
--   calls private.check_request before every request (pgrst.db_pre_request).

revoke all on all functions in schema private from public, anon, authenticated, service_role;
-- Globally for the migrating role: a per-schema default cannot take away what the global default
-- (EXECUTE for PUBLIC) gives. Functions in `public` still reach the API roles through the
-- per-schema grants Supabase sets up.
alter default privileges revoke execute on functions from public;

grant execute on function
  private.apply_appointment(text, uuid, jsonb),
  private.apply_patient(text, uuid, jsonb),
  private.canonical_row(text, uuid),
  private.constraint_field(text),
  private.deleted_later(text, uuid, uuid, bigint),
  private.field_holding(jsonb, text),
  private.ledger_answer(uuid, uuid),
  private.ledger_claim(uuid, uuid),
  private.ledger_record_all(uuid, uuid[], jsonb[]),
  private.owns_tombstone(uuid, uuid),
  private.pick_requested_slot(text, text, date, text, uuid[]),
  private.push_order(jsonb),
  private.read_birth_date(jsonb, text),
  private.read_date(jsonb, text),
  private.read_enum(jsonb, text, text[]),
  private.read_phone(jsonb, text),
  private.read_text(jsonb, text, integer, boolean),
  private.read_timestamp(jsonb, text),
  private.read_uuid(jsonb, text),
  private.reject(text, text, text),
  private.row_exists(text, uuid),
  private.setting_int(text, integer),
  private.staff_clinic_id(),
  private.stamp_delete(text, uuid, uuid, bigint),
  private.wire_row(jsonb),
  private.write_appointment(uuid, public.appointments, boolean)
to authenticated;

alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';

-- Runs before every Data API request, as the request's role.
create function private.check_request() returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
begin
  if v_uid is not null and not exists (select from auth.users u where u.id = v_uid) then
    raise exception 'the account of this session no longer exists; sign in again'
      using errcode = 'PT401';
  end if;
end;
$$;

revoke all on function private.check_request() from public;
grant execute on function private.check_request() to anon, authenticated, service_role;

alter role authenticator set pgrst.db_pre_request = 'private.check_request';
notify pgrst, 'reload config';
