-- Free text (a name, an address, a reason) holds no hidden character: no control character but
-- tab and line breaks, no zero-width space or word joiner, no byte-order mark, and none of the
-- marks and overrides that change the direction text is shown in (U+200E/F, U+202A-E, U+2066-9).
-- A name like "Ra<U+202E>hsem" was stored and shown as "Ramesh" on the kiosk's "Is this you?"
-- and the clinic's Today, and an invisible character made two registrations look the same.
-- ZWJ and ZWNJ (U+200C/D) stay allowed: Devanagari uses them to shape conjuncts.
--
-- One owner of the class (private.hidden_text), used by the table checks (every path: sync_push's
-- two paths and the Data API; NOT VALID, so rows stored before are kept as they are), by the fast
-- path's plain_text (such a value takes the reader's path) and by read_text, which refuses it with
-- a message naming the field. The device's schema (sync/entities.ts) refuses the same class first.

-- No SET clause: plain_text (and so the fast path) inlines it, as it does plain_text.
create function private.hidden_text(p_value text) returns boolean
  language sql immutable
as $$
  select p_value ~ '[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]'
$$;
revoke all on function private.hidden_text(text) from public;
-- The table checks run it as whoever writes: a device (authenticated) or the back office.
grant execute on function private.hidden_text(text) to authenticated, service_role;

alter table public.patients
  add constraint patients_full_name_visible check (not private.hidden_text(full_name)) not valid,
  add constraint patients_address_visible check (not private.hidden_text(address)) not valid,
  add constraint patients_emergency_contact_name_visible
    check (not private.hidden_text(emergency_contact_name)) not valid;
alter table public.appointments
  add constraint appointments_reason_visible check (not private.hidden_text(reason)) not valid;

create or replace function private.plain_text(p_value jsonb, p_max_length integer) returns boolean
  language sql immutable
as $$
  select jsonb_typeof(p_value) = 'string'
    and ascii(p_value #>> '{}') between 33 and 126
    and ascii(right(p_value #>> '{}', 1)) between 33 and 126
    and char_length(p_value #>> '{}') <= p_max_length
    and not private.hidden_text(p_value #>> '{}')
$$;

create or replace function private.read_text(data jsonb, field text, max_length integer, required boolean)
  returns text
  language plpgsql
  set search_path = ''
as $_$
declare
  v jsonb := data -> field;
  s text;
begin
  if v is null or jsonb_typeof(v) = 'null' then
    if required then
      perform private.reject('validation', format('%s is required', field), field);
    end if;
    return null;
  end if;
  if jsonb_typeof(v) <> 'string' then
    perform private.reject('validation',
      format('%s must be a string, not a %s', field, jsonb_typeof(v)), field);
  end if;
  s := regexp_replace(v #>> '{}', '^\s+|\s+$', '', 'g');
  if s = '' then
    if required then
      perform private.reject('validation', format('%s is required and cannot be blank', field), field);
    end if;
    return null;
  end if;
  if char_length(s) > max_length then
    perform private.reject('validation',
      format('%s is %s characters long; the most is %s', field, char_length(s), max_length), field);
  end if;
  if private.hidden_text(s) then
    perform private.reject('validation',
      format('%s holds a hidden control, zero-width or text-direction character', field), field);
  end if;
  return s;
end;
$_$;
