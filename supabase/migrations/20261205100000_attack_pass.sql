-- Two holes an attacker with a real token could use (round 14's attack pass): another account's
-- client_id silencing a patient's writes, and the booking cap passed by moving a past booking.
--
-- The stale-write guard holds between the writes of one account only.
--
-- Before: the server remembered per row (and per deletion marker) the client_id and seq of the last
-- device write, and refused as "superseded" (answered `applied` with the current row, nothing
-- applied) any later write carrying that client_id and a smaller seq. A client_id is no credential:
-- it is stored beside the row (last_client_id), which every account that may read the row reads
-- through the Data API, e.g. the staff of the clinic of a patient's doctor. Such a staff member
-- could send a status write of the patient's booking (which the clinic may make) under the
-- patient's client_id with a seq no phone reaches; every later write of that booking from the
-- patient's phone (a cancel, a delete) was then answered `applied` and dropped. Seen in the stack
-- test supabase/tests/client-id-forgery.test.ts.
--
-- Now the stamp also records the account that wrote it (last_client_user), and a write is
-- superseded only by a later write of the same client_id AND the same account. A forged client_id
-- stamps the row for the forger's account, which the patient's writes never match.
--
-- Rows and markers stamped before this migration have no last_client_user: for them the guard goes
-- by client_id alone, as before (nothing tells who wrote them). The default, auth.uid(), stamps the
-- rows sync_push's fast path inserts (its insert trigger is skipped, see 20261201100000_push_speed);
-- the trigger sets it on every other write, to the inserting account on any insert (so both push
-- paths store the same row) and to the writing account whenever it stamps a device's write.

alter table public.patients add column last_client_user uuid default auth.uid();
alter table public.appointments add column last_client_user uuid default auth.uid();
alter table public.sync_tombstones add column last_client_user uuid default auth.uid();

comment on column public.patients.last_client_user is
  'The account that sent the write of last_client_id/last_client_seq: the stale-write guard holds between one account''s writes only.';
comment on column public.appointments.last_client_user is
  'The account that sent the write of last_client_id/last_client_seq: the stale-write guard holds between one account''s writes only.';
comment on column public.sync_tombstones.last_client_user is
  'The account that sent the delete of last_client_id/last_client_seq: the stale-write guard holds between one account''s writes only.';

-- Never sent to a device, like the rest of the stamp.
create or replace function private.wire_row(p_row jsonb) returns jsonb
language sql immutable
as $$
  select p_row - array['txid', 'last_client_id', 'last_client_seq', 'last_client_user']
$$;

-- Whether the same device, under the same account, deleted the row after this write.
create or replace function private.deleted_later(p_entity text, p_id uuid, p_client uuid, p_seq bigint)
returns boolean
language plpgsql stable security definer
set search_path to ''
as $$
begin
  return exists (
    select from public.sync_tombstones t
    where t.entity = p_entity and t.id = p_id and t.last_client_id = p_client and t.last_client_seq > p_seq
      and (t.last_client_user is null or t.last_client_user = (select auth.uid()))
  );
end;
$$;

create or replace function private.stamp_delete(p_entity text, p_id uuid, p_client uuid, p_seq bigint)
returns void
language plpgsql security definer
set search_path to ''
as $$
declare
  v_staff_clinic uuid := private.staff_clinic_id();
  v_uid uuid := (select auth.uid());
  v_tombstone public.sync_tombstones;
begin
  insert into public.sync_tombstones as t
    (entity, id, owner_user_id, clinic_id, last_client_id, last_client_seq, last_client_user)
  values (
    p_entity, p_id,
    case when v_staff_clinic is null then v_uid end,
    v_staff_clinic,
    p_client, p_seq, v_uid
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
  -- The same device's (and account's) stamp only moves forward (an old delete arriving late does
  -- not lower it).
  update public.sync_tombstones t
  set last_client_id = p_client, last_client_seq = p_seq, last_client_user = v_uid
  where t.entity = p_entity and t.id = p_id
    and (t.last_client_id is distinct from p_client or t.last_client_user is distinct from v_uid
      or t.last_client_seq is null or t.last_client_seq < p_seq);
end;
$$;

create or replace function private.guard_client_write() returns trigger
language plpgsql
set search_path to ''
as $$
declare
  v_stamp text := pg_catalog.current_setting('consult.client_write', true);
  v_parts text[];
  v_id uuid;
  v_client uuid;
  v_seq bigint;
  v_uid uuid := (select auth.uid());
  -- The row's stamp is this device's under this account (one without an account is older than
  -- this column: it goes by the device alone, as it did).
  v_same_writer boolean;
begin
  if tg_op = 'DELETE' then
    v_id := old.id;
  else
    v_id := new.id;
  end if;
  if v_stamp like 'batch:%' then
    if tg_op = 'INSERT' then
      if new.last_client_id is null or new.last_client_id::text <> substr(v_stamp, 7) then
        new.last_client_id := null;
        new.last_client_seq := null;
      end if;
      new.last_client_user := v_uid;
      return new;
    end if;
    v_stamp := null;
  end if;
  if v_stamp is not null and v_stamp <> '' then
    v_parts := pg_catalog.string_to_array(v_stamp, ':');
    if v_parts[3] = tg_table_name and v_parts[4] = v_id::text then
      v_client := v_parts[1]::uuid;
      v_seq := v_parts[2]::bigint;
    end if;
  end if;

  if tg_op in ('DELETE', 'UPDATE') then
    v_same_writer := old.last_client_id = v_client
      and (old.last_client_user is null or old.last_client_user = v_uid);
  end if;

  if tg_op = 'DELETE' then
    if v_client is not null and v_same_writer and old.last_client_seq > v_seq then
      raise exception 'superseded: this device wrote % % again later (seq % after %)',
        tg_table_name, v_id, old.last_client_seq, v_seq using errcode = 'CS409';
    end if;
    return old;
  end if;

  if v_client is null then
    -- Not the row a device's mutation names: the stamp stays as it was.
    if tg_op = 'UPDATE' then
      new.last_client_id := old.last_client_id;
      new.last_client_seq := old.last_client_seq;
      new.last_client_user := old.last_client_user;
    else
      -- The inserting account, as the column's default gives the fast path's inserts.
      new.last_client_id := null;
      new.last_client_seq := null;
      new.last_client_user := v_uid;
    end if;
    return new;
  end if;

  if tg_op = 'UPDATE' then
    if v_same_writer and old.last_client_seq > v_seq then
      raise exception 'superseded: this device wrote % % again later (seq % after %)',
        tg_table_name, v_id, old.last_client_seq, v_seq using errcode = 'CS409';
    end if;
  elsif private.deleted_later(tg_table_name, v_id, v_client, v_seq) then
    raise exception 'superseded: this device deleted % % later', tg_table_name, v_id using errcode = 'CS409';
  end if;
  new.last_client_id := v_client;
  new.last_client_seq := v_seq;
  new.last_client_user := v_uid;
  return new;
end;
$$;

-- The booking cap counts a booking made active by a move, not only by its status.
--
-- Before: trigger appointments_15_booking_cap fired on UPDATE OF status only, and passed every
-- update of a row already requested or confirmed. A request whose time went by unanswered is not
-- active (the cap counts bookings not yet started); moving it to a later slot (sync_push, or a
-- PATCH of slot_id and the times through the Data API) made it active again unchecked, so a
-- patient could hold more than the cap. Seen in supabase/tests/booking-caps.test.ts.
--
-- Now an update is checked whenever the row becomes active: it was not counted before (another
-- status, a start in the past, another patient) and is counted after.
create or replace function private.appointments_booking_cap() returns trigger
language plpgsql
set search_path to ''
as $$
declare
  v_anonymous boolean := coalesce((auth.jwt() ->> 'is_anonymous')::boolean, false);
  v_cap integer;
  v_active integer;
begin
  -- A batch of creates that private.push_fast checked as a whole (the same rules, set-wise).
  if tg_op = 'INSERT' and pg_catalog.current_setting('consult.client_write', true) like 'batch:%' then
    return new;
  end if;
  if current_user not in ('anon', 'authenticated')
    or new.status not in ('requested', 'confirmed')
    or (new.starts_at is not null and new.starts_at <= pg_catalog.now())
    -- Already counted before this update: it takes no new place.
    or (tg_op = 'UPDATE' and old.status in ('requested', 'confirmed')
      and (old.starts_at is null or old.starts_at > pg_catalog.now())
      and old.patient_id = new.patient_id)
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

drop trigger appointments_15_booking_cap on public.appointments;
create trigger appointments_15_booking_cap before update of status, starts_at, patient_id on public.appointments
  for each row execute function private.appointments_booking_cap();
