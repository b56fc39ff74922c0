-- The hidden characters of 20261205300000 missed some that do the same harm on the kiosk's
-- "Is this you?", the clinic's Today and the queue:
--  - U+061C (Arabic letter mark): a direction mark, like U+200E/F;
--  - U+206A-F: deprecated format characters (shaping and digit-shape switches), shown as nothing;
--  - U+00AD (soft hyphen), U+034F (combining grapheme joiner), U+180E (Mongolian vowel separator),
--    U+17B4/5 (Khmer inherent vowels), U+FFF9-B (interlinear annotation) and the tag characters
--    U+E0000-E007F: invisible, so "Ram<U+00AD>esh" and "Ramesh" are two registrations that look alike;
--  - the Hangul fillers U+115F, U+1160, U+3164 and U+FFA0: letters to Unicode, blanks on screen, so
--    a name made only of them passed as "has letters" and showed an empty name to staff.
-- Same function, wider class: the table checks, plain_text (the fast path) and read_text all use
-- it. The device's rule (sync/free-text.ts) is widened the same way.
create or replace function private.hidden_text(p_value text) returns boolean
  language sql immutable
as $$
  select p_value ~ '[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0\uFFF9-\uFFFB\U000E0000-\U000E007F]'
$$;

-- A staff member taken off a clinic (their staff row deleted, or moved to another clinic) left a
-- kiosk tablet signed in as them. sync_push decides ownership from the session: a caller who is no
-- staff creates their own profile, so every walk-in that tablet sent became a patient row of the
-- former staff member's own account (name, birth date, phone, address, emergency contact), readable
-- by them from any device, and lost to the clinic; moved to another clinic, the tablet registered
-- walk-ins for that one. Sessions begun before such a departure now end at the next request
-- (PT401, as for a deleted account): the tablet's writes wait in its outbox until a staff member of
-- the clinic signs in again. A session begun after it (the person signing in anew, as a patient or
-- as staff of their new clinic) is not affected.
create table private.staff_departures (
  user_id uuid primary key,
  left_at timestamptz not null
);
revoke all on private.staff_departures from public, anon, authenticated;

create function private.record_staff_departure() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' or new.user_id is distinct from old.user_id
    or new.clinic_id is distinct from old.clinic_id then
    insert into private.staff_departures as d (user_id, left_at)
    values (old.user_id, pg_catalog.clock_timestamp())
    on conflict (user_id) do update set left_at = excluded.left_at;
  end if;
  return null;
end;
$$;
revoke all on function private.record_staff_departure() from public;

create trigger staff_10_departure after delete or update on public.staff
  for each row execute function private.record_staff_departure();

create or replace function private.check_request() returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_session text := (select auth.jwt() ->> 'session_id');
begin
  if v_uid is not null and not exists (select from auth.users u where u.id = v_uid) then
    raise exception 'the account of this session no longer exists; sign in again'
      using errcode = 'PT401';
  end if;
  if v_uid is not null
    and v_session ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
    and exists (
      select from private.staff_departures d
        join auth.sessions s on s.id = v_session::uuid and s.user_id = d.user_id
       where d.user_id = v_uid and s.created_at <= d.left_at
    ) then
    raise exception 'this session began while its account was staff of a clinic it has left; sign in again'
      using errcode = 'PT401';
  end if;
end;
$$;
