-- Date of birth: today somewhere on Earth is not "in the future" (issue 8, part 4). The server
-- took today in UTC: between 00:00 and 05:30 in India a baby born today was refused. The latest
-- date accepted is now today's date in UTC+14 (Kiribati, the first time zone to start a day), in
-- the reader and in the check constraint alike; the device checks against its own calendar date,
-- which is never later.

create function private.latest_birth_date() returns date
language sql
stable
set search_path = ''
as $$
  select ((pg_catalog.now() at time zone 'UTC') + interval '14 hours')::date
$$;

comment on function private.latest_birth_date() is
  'Today''s date in UTC+14, the latest calendar date anywhere on Earth: the latest date of birth accepted.';

revoke all on function private.latest_birth_date() from public;
grant execute on function private.latest_birth_date() to authenticated;

alter table public.patients drop constraint patients_date_of_birth_range;
alter table public.patients add constraint patients_date_of_birth_range check (
  date_of_birth >= date '1900-01-01' and date_of_birth <= ((now() at time zone 'UTC') + interval '14 hours')::date
);

create or replace function private.read_birth_date(data jsonb, field text) returns date
language plpgsql
set search_path = ''
as $$
declare
  s text := private.read_text(data, field, 100, true);
  d date;
begin
  if s !~ '^\d{4}-\d{2}-\d{2}$' then
    perform private.reject('validation', format('%s must be a date in the form YYYY-MM-DD, not "%s"', field, s),
      field);
  end if;
  begin
    d := s::date;
  exception when datetime_field_overflow or invalid_datetime_format then
    perform private.reject('validation', format('%s is not a real date: "%s"', field, s), field);
  end;
  if d < date '1900-01-01' then
    perform private.reject('validation', format('%s must be on or after 1900-01-01', field), field);
  end if;
  if d > private.latest_birth_date() then
    perform private.reject('validation', format('%s cannot be in the future', field), field);
  end if;
  return d;
end;
$$;
