-- Booking caps (issue 8, part 5). One anonymous account booked 40 slots in one call, holding them
-- from every other patient. A patient now holds at most `max_active_bookings` active bookings
-- (requested or confirmed, not yet started); an account without sign-in (an anonymous Supabase
-- user, claim is_anonymous) at most `max_active_bookings_anonymous`: enough to see a doctor, not
-- enough to hold a clinic's day. One more is rejected with code `booking_limit` (sync/protocol.ts)
-- and a message naming the limit; cancelling one frees a place. Staff booking for a walk-in are
-- bound by the walk-in's count, as they book one patient at a time. The back office is not bound.
--
-- Operators change the limits in private.settings (see supabase/OPERATIONS.md).

insert into private.settings (key, value) values
  ('max_active_bookings', '5'),
  ('max_active_bookings_anonymous', '2')
on conflict (key) do nothing;

comment on table private.settings is
  'Server settings (key, value). video_room_base: the prefix of appointments.join_url; a room token '
  'is appended (a change applies to appointments confirmed afterwards). max_active_bookings and '
  'max_active_bookings_anonymous: the most active bookings one patient may hold, for a signed-in '
  'account and for one without sign-in. Change with update private.settings set value = … where key = ….';

-- A whole-number setting, or `p_default` when unset. Security definer: API roles cannot read the
-- settings table.
create function private.setting_int(p_key text, p_default integer) returns integer
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((select s.value::integer from private.settings s where s.key = p_key), p_default)
$$;

create function private.appointments_booking_cap() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_anonymous boolean := coalesce((auth.jwt() ->> 'is_anonymous')::boolean, false);
  v_cap integer;
  v_active integer;
begin
  if current_user not in ('anon', 'authenticated')
    or new.status not in ('requested', 'confirmed')
    or (tg_op = 'UPDATE' and old.status in ('requested', 'confirmed'))
  then
    return new;
  end if;
  v_cap := case when v_anonymous then private.setting_int('max_active_bookings_anonymous', 2)
    else private.setting_int('max_active_bookings', 5) end;
  -- Two pushes of the same patient count one after the other, not both before either books.
  perform from public.patients p where p.id = new.patient_id for no key update;
  select count(*) into v_active
  from public.appointments a
  where a.patient_id = new.patient_id and a.id <> new.id and a.status in ('requested', 'confirmed')
    and (a.starts_at is null or a.starts_at > pg_catalog.now());
  if v_active >= v_cap then
    perform private.reject('booking_limit',
      pg_catalog.format('this patient already holds %s active bookings, the most %s; cancel one to book another',
        v_active, case when v_anonymous then 'for an account without sign-in (sign in to book more)'
          else 'allowed' end));
  end if;
  return new;
end;
$$;

revoke all on function private.setting_int(text, integer) from public;
grant execute on function private.setting_int(text, integer) to authenticated;
revoke all on function private.appointments_booking_cap() from public;

create trigger appointments_15_booking_cap before insert or update of status on public.appointments
  for each row execute function private.appointments_booking_cap();
