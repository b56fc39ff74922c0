-- Booking the same time twice (issue 8, part 3). A patient who booked a slot offline, then booked
-- exactly the same slot again, was told "this time was booked by someone else" (`slot_taken`):
-- the slot was held by their own appointment. Now a device's booking of a slot that another active
-- appointment of the same patient holds is rejected with `own_booking` and a message naming that
-- appointment. A slot held by anyone else is still `slot_taken`. A request by specialty is not
-- affected: it books the next free slot.

create function private.appointments_own_booking() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_holder uuid;
begin
  if current_user not in ('anon', 'authenticated')
    or new.slot_id is null
    or new.status not in ('requested', 'confirmed')
    -- A request by specialty passes over a held slot to the next free one (apply_appointment).
    or new.requested_specialty is not null
    or (tg_op = 'UPDATE' and old.slot_id is not distinct from new.slot_id
      and old.status in ('requested', 'confirmed'))
  then
    return new;
  end if;
  -- The caller sees their own patient's appointments (row level security): no one else's.
  select a.id into v_holder from public.appointments a
  where a.slot_id = new.slot_id and a.patient_id = new.patient_id and a.id <> new.id
    and a.status in ('requested', 'confirmed')
  limit 1;
  if found then
    perform private.reject('own_booking',
      pg_catalog.format('you already booked this time: appointment %s holds slot %s', v_holder, new.slot_id),
      'slot_id');
  end if;
  return new;
end;
$$;

revoke all on function private.appointments_own_booking() from public;

create trigger appointments_12_own_booking before insert or update of slot_id, status on public.appointments
  for each row execute function private.appointments_own_booking();
