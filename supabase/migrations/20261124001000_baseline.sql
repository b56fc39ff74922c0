-- Consult: the whole server schema in one baseline, read top to bottom: settings and row stamps,
-- the tables (reference data, staff, patients, appointments, tombstones, the sync ledger) with
-- their triggers, row level security, the field readers, then the two RPCs, sync_push and
-- sync_pull. It folds the ten migrations of 2026-11-24 (nothing was deployed before it) and
-- carries the version of the last of them, so a local database that applied those skips it.
--
-- NEVER EDIT THIS FILE. Every change from now on is a new migration after it
-- (supabase/migrations/<yyyymmddhhmmss>_<what>.sql), and `npm run schema:dump` refreshes
-- supabase/schema.sql, the current schema as one file, which a test compares with a freshly
-- migrated database.
--
-- Every synced table carries `txid xid8`, the id of the transaction that last wrote the row. Pull
-- cursors compare against it (see sync_pull): an `updated_at` cursor would skip rows whose
-- transaction began earlier but committed later.
--
-- Column names and limits mirror sync/entities.ts (FIELD_LIMITS, PHONE_PATTERN, the enums, the
-- SPECIALTIES and PREFERRED_WINDOWS lists); keep both in step.

create schema if not exists private;
comment on schema private is
  'Helpers for policies, triggers and the sync RPCs; not exposed by the Data API.';
grant usage on schema private to authenticated, service_role;

-- Server-side settings, one row per key. Private: the Data API does not expose this schema, and
-- only security definer functions read it.
create table private.settings (
  key text primary key,
  value text not null,
  updated_at timestamptz not null default now()
);
revoke all on private.settings from public, anon, authenticated;

comment on table private.settings is
  'Server settings (key, value). video_room_base: the prefix of appointments.join_url; a room token '
  'is appended. Default https://meet.consult.example/room/; point it at the real video service with '
  'update private.settings set value = ''https://…/'' where key = ''video_room_base''. A change applies '
  'to appointments confirmed afterwards; existing links keep the room they were given.';

insert into private.settings (key, value) values ('video_room_base', 'https://meet.consult.example/room/');

-- ---------------------------------------------------------------------------------------------
-- Row stamps
-- ---------------------------------------------------------------------------------------------

-- Reference rows: only the pull cursor and updated_at.
create function private.stamp_reference_row() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.txid := pg_catalog.pg_current_xact_id();
  if tg_op = 'INSERT' then
    new.created_at := pg_catalog.now();
  else
    new.created_at := old.created_at;
  end if;
  new.updated_at := pg_catalog.now();
  return new;
end;
$$;


-- Synced rows: devices send created_at/updated_at/version back with every upsert; the server's
-- values win so a stale or forged copy cannot rewind them.
create function private.stamp_synced_row() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.txid := pg_catalog.pg_current_xact_id();
  new.updated_at := pg_catalog.now();
  if tg_op = 'INSERT' then
    new.created_at := pg_catalog.now();
    new.version := 1;
  else
    new.id := old.id;
    new.created_at := old.created_at;
    new.version := old.version + 1;
  end if;
  return new;
end;
$$;


-- A row as devices get it: without the pull cursor and the stale-write stamp (see
-- guard_client_write).
create function private.wire_row(p_row jsonb) returns jsonb
language sql
immutable
set search_path = ''
as $$
  select p_row - array['txid', 'last_client_id', 'last_client_seq']
$$;


-- Rejections carry SQLSTATE CS400 with the reject code (sync/protocol.ts REJECT_CODES) in DETAIL
-- and the offending field in COLUMN; sync_push turns them into `rejected` answers, and a direct
-- Data API write gets them as a 400 with the same message.
create function private.reject(code text, message text, field text default null) returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception using
    errcode = 'CS400',
    message = message,
    detail = code,
    column = coalesce(field, '');
end;
$$;


-- ---------------------------------------------------------------------------------------------
-- Reference data
-- ---------------------------------------------------------------------------------------------

create table public.clinics (
  id uuid primary key default gen_random_uuid(),
  name text not null constraint clinics_name_length check (char_length(btrim(name)) between 1 and 120),
  town text not null,
  district text not null,
  state text not null,
  address text,
  phone text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  txid xid8 not null default pg_current_xact_id()
);

create table public.doctors (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id),
  name text not null constraint doctors_name_length check (char_length(btrim(name)) between 1 and 120),
  specialty text not null,
  languages text[] not null constraint doctors_languages_present check (cardinality(languages) > 0),
  offers_video boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  txid xid8 not null default pg_current_xact_id()
);
create index doctors_clinic_id_idx on public.doctors (clinic_id);

-- `available` is false while an active appointment holds the slot. It is kept by a trigger on
-- appointments (below) because devices cannot see other patients' appointments, yet need to know
-- which slots are free; the trigger also moves the slot's txid, so pull delivers the change.
create table public.slots (
  id uuid primary key default gen_random_uuid(),
  doctor_id uuid not null references public.doctors (id),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  mode text not null constraint slots_mode_enum check (mode in ('video', 'in_person')),
  available boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  txid xid8 not null default pg_current_xact_id(),
  constraint slots_ends_after_start check (ends_at > starts_at),
  constraint slots_doctor_starts_at_key unique (doctor_id, starts_at)
);
create index slots_starts_at_idx on public.slots (starts_at);

create trigger clinics_stamp before insert or update on public.clinics
  for each row execute function private.stamp_reference_row();
create trigger doctors_stamp before insert or update on public.doctors
  for each row execute function private.stamp_reference_row();
create trigger slots_stamp before insert or update on public.slots
  for each row execute function private.stamp_reference_row();

-- ---------------------------------------------------------------------------------------------
-- Staff: an auth user who operates a clinic's kiosk. Rows are written by the clinic's back office
-- (service role), never by devices.
-- ---------------------------------------------------------------------------------------------

create table public.staff (
  user_id uuid primary key references auth.users (id) on delete cascade,
  clinic_id uuid not null references public.clinics (id),
  created_at timestamptz not null default now()
);
create index staff_clinic_id_idx on public.staff (clinic_id);
-- Reference data changes rarely; these serve the pull cursor.
create index clinics_txid_idx on public.clinics (txid);
create index doctors_txid_idx on public.doctors (txid);
create index slots_txid_idx on public.slots (txid);

-- ---------------------------------------------------------------------------------------------
-- Patients
-- ---------------------------------------------------------------------------------------------

create table public.patients (
  id uuid primary key,
  user_id uuid unique references auth.users (id) on delete cascade,
  registered_by uuid references auth.users (id) on delete set null,
  clinic_id uuid references public.clinics (id),
  full_name text not null
    constraint patients_full_name_length check (char_length(btrim(full_name)) between 1 and 120),
  date_of_birth date not null
    constraint patients_date_of_birth_range check (
      date_of_birth >= date '1900-01-01' and date_of_birth <= (now() at time zone 'utc')::date
    ),
  sex text not null constraint patients_sex_enum check (sex in ('female', 'male', 'other', 'undisclosed')),
  phone text constraint patients_phone_pattern check (phone ~ '^\+?[0-9]{7,15}$'),
  address text constraint patients_address_length check (char_length(address) <= 200),
  preferred_language text not null
    constraint patients_preferred_language_enum check (preferred_language in ('en', 'hi')),
  emergency_contact_name text
    constraint patients_emergency_contact_name_length check (char_length(emergency_contact_name) <= 120),
  emergency_contact_phone text
    constraint patients_emergency_contact_phone_pattern check (emergency_contact_phone ~ '^\+?[0-9]{7,15}$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  txid xid8 not null default pg_current_xact_id(),
  last_client_id uuid,
  last_client_seq bigint,
  -- A row nobody owns would be invisible to everyone but the service role.
  constraint patients_owner_present check (user_id is not null or clinic_id is not null)
);
create index patients_clinic_id_idx on public.patients (clinic_id);
create index patients_registered_by_idx on public.patients (registered_by);
create index patients_txid_idx on public.patients (txid);

comment on column public.patients.last_client_id is
  'Device (sync client_id) of the last write applied through sync_push with a seq; set by trigger only.';
comment on column public.patients.last_client_seq is
  'That write''s seq: an older one from the same device is superseded (private.guard_client_write).';

create trigger patients_20_stamp before insert or update on public.patients
  for each row execute function private.stamp_synced_row();

-- Who owns a patient decides who sees it, so devices cannot move a row between owners; only the
-- service role (back office) can.
create function private.patients_guard_owner() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user in ('anon', 'authenticated')
    and (new.user_id is distinct from old.user_id
      or new.registered_by is distinct from old.registered_by
      or new.clinic_id is distinct from old.clinic_id)
  then
    raise exception 'a patient''s owner (user_id, registered_by, clinic_id) cannot be changed from a device'
      using errcode = '42501';
  end if;
  return new;
end;
$$;


create trigger patients_10_guard_owner before update on public.patients
  for each row execute function private.patients_guard_owner();

-- ---------------------------------------------------------------------------------------------
-- Appointments
--
-- A booking names its slot (doctor, slot and times together). An offline request by specialty
-- names none: a phone that has never received availability (first use, offline) sends slot_id,
-- doctor_id, starts_at and ends_at null and instead requested_specialty, preferred_date and
-- preferred_window (plus mode and reason); sync_push books the first free matching slot
-- (pick_requested_slot) and answers the canonical row with slot, doctor and times filled in, or
-- rejects the mutation with `no_slot`. The request fields stay on the row after booking (what was
-- asked for).
-- ---------------------------------------------------------------------------------------------

create table public.appointments (
  id uuid primary key,
  -- Deferred so a transaction may write an appointment before its patient; sync_push switches it
  -- to immediate so a missing patient becomes one rejected mutation, not a failed batch.
  patient_id uuid not null
    constraint appointments_patient_id_fkey references public.patients (id)
    on delete cascade deferrable initially deferred,
  doctor_id uuid references public.doctors (id),
  slot_id uuid references public.slots (id),
  starts_at timestamptz,
  ends_at timestamptz,
  mode text not null constraint appointments_mode_enum check (mode in ('video', 'in_person')),
  reason text not null constraint appointments_reason_length check (char_length(btrim(reason)) between 1 and 500),
  status text not null default 'requested'
    constraint appointments_status_enum check (
      status in ('requested', 'confirmed', 'rejected', 'cancelled', 'completed')
    ),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  txid xid8 not null default pg_current_xact_id(),
  join_url text,
  requested_specialty text
    constraint appointments_requested_specialty_enum check (
      requested_specialty in ('general medicine', 'paediatrics', 'gynaecology', 'dermatology', 'cardiology',
        'ENT', 'orthopaedics')
    ),
  preferred_date date,
  preferred_window text
    constraint appointments_preferred_window_enum check (
      preferred_window in ('morning', 'afternoon', 'evening', 'any')
    ),
  last_client_id uuid,
  last_client_seq bigint,
  constraint appointments_ends_after_start check (ends_at > starts_at),
  -- A request is all three fields or none.
  constraint appointments_requested_specialty_complete check (
    (requested_specialty is null) = (preferred_date is null)
    and (requested_specialty is null) = (preferred_window is null)
  ),
  -- A row has its slot, or is a request that holds nothing: one sync_push never booked because it
  -- was cancelled before it reached the server (a create and a cancel merged on the device). An
  -- active appointment always has its slot.
  constraint appointments_slot_id_or_request check (
    (slot_id is not null and doctor_id is not null and starts_at is not null and ends_at is not null)
    or (slot_id is null and doctor_id is null and starts_at is null and ends_at is null
      and requested_specialty is not null and status not in ('requested', 'confirmed'))
  )
);
create index appointments_patient_id_idx on public.appointments (patient_id);
create index appointments_doctor_id_idx on public.appointments (doctor_id);
-- The partial index below does not hold a cancelled or completed appointment; this one serves the
-- foreign key (deleting a slot).
create index appointments_slot_id_idx on public.appointments (slot_id);
create index appointments_txid_idx on public.appointments (txid);
-- One active appointment per slot (a slot belongs to one doctor, so this is per doctor and slot).
create unique index appointments_one_active_per_slot on public.appointments (slot_id)
  where status in ('requested', 'confirmed');

comment on column public.appointments.join_url is
  'Video room of a confirmed video appointment (video_room_base + a random token: a v4 uuid, 122 random bits, without dashes); null '
  'otherwise. Set by trigger appointments_25_join_url; devices cannot set it.';
comment on column public.appointments.last_client_id is
  'Device (sync client_id) of the last write applied through sync_push with a seq; set by trigger only.';
comment on column public.appointments.last_client_seq is
  'That write''s seq: an older one from the same device is superseded (private.guard_client_write).';

-- The rules a device may not break, whatever path it writes through (sync_push or the Data API).
-- The back office (service role) confirms, rejects and completes, so the rules bind only API roles.
-- A slot-less (unbooked, inactive) row has no slot to check, and the request fields of a confirmed
-- appointment are as fixed as its slot.
create function private.appointments_guard() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_slot public.slots;
  v_slot_changed boolean := tg_op = 'INSERT' or new.slot_id is distinct from old.slot_id;
begin
  if current_user not in ('anon', 'authenticated') then
    return new;
  end if;

  if tg_op = 'UPDATE' then
    if new.patient_id is distinct from old.patient_id then
      perform private.reject('validation', 'an appointment cannot move to another patient', 'patient_id');
    end if;
    if new.status is distinct from old.status then
      if new.status in ('confirmed', 'rejected', 'completed') then
        perform private.reject('forbidden',
          format('only the clinic can mark an appointment %s', new.status), 'status');
      elsif new.status = 'requested' then
        perform private.reject('conflict',
          format('the appointment is already %s; it cannot be requested again', old.status), 'status');
      elsif old.status in ('rejected', 'completed') then
        perform private.reject('conflict',
          format('the appointment is already %s; it cannot be cancelled', old.status), 'status');
      end if;
    end if;
    if old.status <> 'requested'
      and (v_slot_changed or new.reason is distinct from old.reason
        or new.doctor_id is distinct from old.doctor_id or new.mode is distinct from old.mode
        or new.requested_specialty is distinct from old.requested_specialty
        or new.preferred_date is distinct from old.preferred_date
        or new.preferred_window is distinct from old.preferred_window)
    then
      perform private.reject('conflict',
        format('the appointment is already %s; only a requested appointment can be changed', old.status));
    end if;
  elsif new.status in ('confirmed', 'rejected', 'completed') then
    perform private.reject('forbidden',
      format('only the clinic can mark an appointment %s; a new booking is requested', new.status), 'status');
  end if;

  if new.slot_id is null then
    -- Nothing booked, nothing to match (appointments_slot_id_or_request keeps it inactive).
    return new;
  end if;

  if not v_slot_changed then
    -- Times belong to the slot; a device's copy may predate a change by the clinic.
    if new.doctor_id is distinct from old.doctor_id then
      perform private.reject('validation', 'doctor_id does not match the booked slot''s doctor', 'doctor_id');
    end if;
    if new.mode is distinct from old.mode then
      perform private.reject('validation', 'mode does not match the booked slot''s mode', 'mode');
    end if;
    new.starts_at := old.starts_at;
    new.ends_at := old.ends_at;
    return new;
  end if;

  select * into v_slot from public.slots where id = new.slot_id;
  if not found then
    perform private.reject('validation', format('there is no slot %s', new.slot_id), 'slot_id');
  end if;
  if new.doctor_id is distinct from v_slot.doctor_id then
    perform private.reject('validation',
      format('slot %s belongs to doctor %s, not %s', v_slot.id, v_slot.doctor_id, new.doctor_id), 'doctor_id');
  end if;
  if new.mode is distinct from v_slot.mode then
    perform private.reject('validation',
      format('slot %s is for %s consultations, not %s', v_slot.id, v_slot.mode, new.mode), 'mode');
  end if;
  if new.starts_at is distinct from v_slot.starts_at or new.ends_at is distinct from v_slot.ends_at then
    perform private.reject('conflict',
      format('slot %s now runs from %s to %s; check the new time and book again',
        v_slot.id, v_slot.starts_at, v_slot.ends_at), 'starts_at');
  end if;
  if new.status = 'requested' and v_slot.starts_at <= pg_catalog.now() then
    perform private.reject('validation',
      format('slot %s started at %s; pick a later slot', v_slot.id, v_slot.starts_at), 'slot_id');
  end if;
  return new;
end;
$$;


create trigger appointments_10_guard before insert or update on public.appointments
  for each row execute function private.appointments_guard();
create trigger appointments_20_stamp before insert or update on public.appointments
  for each row execute function private.stamp_synced_row();

-- join_url: the address of the video room, set by the server only. Devices read it (pull, and the
-- canonical row sync_push answers) and never write it: sync_push does not read it from the
-- device's row, and this trigger overwrites whatever a Data API write puts there. The link exists
-- exactly while the appointment is confirmed and by video. The token is random, not the
-- appointment id: ids are chosen by devices and travel in tombstones and logs. A confirmed video
-- appointment keeps its room across later edits, so a link already sent stays valid.
create function private.appointments_join_url() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.status <> 'confirmed' or new.mode <> 'video' then
    new.join_url := null;
  elsif tg_op = 'UPDATE' and old.status = 'confirmed' and old.mode = 'video' and old.join_url is not null then
    new.join_url := old.join_url;
  else
    new.join_url := coalesce(
      (select s.value from private.settings s where s.key = 'video_room_base'),
      'https://meet.consult.example/room/'
    ) || replace(pg_catalog.gen_random_uuid()::text, '-', '');
  end if;
  return new;
end;
$$;


revoke all on function private.appointments_join_url() from public;

create trigger appointments_25_join_url before insert or update on public.appointments
  for each row execute function private.appointments_join_url();

-- slots.available is kept in step with the active appointments. Security definer: the writer
-- cannot see other patients' appointments nor write slots. Updating only on a real change keeps
-- the slot's txid (and so every device's pull) quiet otherwise. Called only through the triggers
-- below, whose WHEN clauses let through the changes that can move availability. At most one active
-- appointment holds a slot (appointments_one_active_per_slot), so a new active appointment always
-- takes its slot; other changes recount.
create function private.sync_slot_availability() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    update public.slots set available = false where id = new.slot_id and available;
    return null;
  end if;
  update public.slots s
  set available = not exists (
    select from public.appointments a
    where a.slot_id = s.id and a.status in ('requested', 'confirmed')
  )
  where s.id in (old.slot_id, case when tg_op = 'UPDATE' then new.slot_id end)
    and s.available is distinct from not exists (
      select from public.appointments a
      where a.slot_id = s.id and a.status in ('requested', 'confirmed')
    );
  return null;
end;
$$;


create trigger appointments_30_slot_taken
  after insert on public.appointments
  for each row when (new.status in ('requested', 'confirmed'))
  execute function private.sync_slot_availability();
create trigger appointments_31_slot_moved
  after update of slot_id, status on public.appointments
  for each row when (old.slot_id is distinct from new.slot_id or old.status is distinct from new.status)
  execute function private.sync_slot_availability();
create trigger appointments_32_slot_freed
  after delete on public.appointments
  for each row when (old.status in ('requested', 'confirmed'))
  execute function private.sync_slot_availability();

-- ---------------------------------------------------------------------------------------------
-- Tombstones: deleted rows, so devices drop their copy on pull. Each carries the owner of the row
-- it replaces, because the row itself is gone when RLS has to decide who may see it, and the
-- (client_id, seq) of the device's delete (see guard_client_write).
-- ---------------------------------------------------------------------------------------------

create table public.sync_tombstones (
  entity text not null constraint sync_tombstones_entity_enum check (entity in ('patients', 'appointments')),
  id uuid not null,
  owner_user_id uuid,
  clinic_id uuid,
  deleted_at timestamptz not null default now(),
  txid xid8 not null default pg_current_xact_id(),
  last_client_id uuid,
  last_client_seq bigint,
  primary key (entity, id)
);
create index sync_tombstones_owner_user_id_idx on public.sync_tombstones (owner_user_id);
create index sync_tombstones_clinic_id_idx on public.sync_tombstones (clinic_id);
create index sync_tombstones_txid_idx on public.sync_tombstones (txid);

-- BEFORE DELETE for patients: the patient's tombstone must exist before the cascade deletes its
-- appointments, whose tombstones copy the owner from it.
create function private.record_tombstone() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_owner uuid;
  v_clinic uuid;
begin
  if tg_table_name = 'patients' then
    v_owner := old.user_id;
    v_clinic := old.clinic_id;
  else
    select p.user_id, p.clinic_id into v_owner, v_clinic from public.patients p where p.id = old.patient_id;
    if not found then
      select t.owner_user_id, t.clinic_id into v_owner, v_clinic
      from public.sync_tombstones t where t.entity = 'patients' and t.id = old.patient_id;
    end if;
  end if;
  insert into public.sync_tombstones as t (entity, id, owner_user_id, clinic_id)
  values (tg_table_name, old.id, v_owner, v_clinic)
  on conflict (entity, id) do update
    set owner_user_id = excluded.owner_user_id,
        clinic_id = excluded.clinic_id,
        deleted_at = pg_catalog.now(),
        txid = pg_catalog.pg_current_xact_id();
  return old;
end;
$$;

-- A row re-created under a deleted id is live again: its tombstone would contradict it on pull.
create function private.clear_tombstone() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from public.sync_tombstones where entity = tg_table_name and id = new.id;
  return null;
end;
$$;

create trigger patients_30_tombstone before delete on public.patients
  for each row execute function private.record_tombstone();
create trigger appointments_40_tombstone after delete on public.appointments
  for each row execute function private.record_tombstone();
create trigger patients_40_clear_tombstone after insert on public.patients
  for each row execute function private.clear_tombstone();
create trigger appointments_50_clear_tombstone after insert on public.appointments
  for each row execute function private.clear_tombstone();


-- ---------------------------------------------------------------------------------------------
-- Sync ledger: the first answer sync_push gave for each mutation, so a replay gets the same answer
-- and changes nothing.
-- ---------------------------------------------------------------------------------------------

create table public.sync_ledger (
  client_id uuid not null,
  mutation_id uuid not null,
  user_id uuid not null references auth.users (id) on delete cascade,
  answer jsonb,
  created_at timestamptz not null default now(),
  primary key (client_id, mutation_id)
);
create index sync_ledger_user_id_idx on public.sync_ledger (user_id);


-- ---------------------------------------------------------------------------------------------
-- Stale write guard. A push the device gave up on (a timeout) may still reach the server later —
-- after a newer write of the same row was applied: the planner merged the old mutation into a newer
-- one sent under another id, or two tabs drained without Web Locks. Applied then, the old data
-- would overwrite the newer.
--
-- Each mutation carries `seq`, the device's enqueue order (sync/protocol.ts: optional, so older
-- clients keep working unguarded). A row remembers the (client_id, seq) of the last device write
-- applied to it, and a deleted row's tombstone the (client_id, seq) of the delete. When a mutation
-- arrives whose client wrote the row (or deleted it) with a larger seq, it has been superseded:
-- nothing is applied and the answer is `applied` with the row as it is now (null if deleted), stored
-- in the ledger like any applied answer, so a replay is a `duplicate`. Writes of different clients
-- are last write wins.
--
-- The check is a BEFORE trigger on the row itself, so it sees the latest committed version under
-- the row lock: a concurrent push of the newer write (another tab) is waited for, not raced.
-- sync_push names the row its current mutation writes in a transaction-local setting
-- (consult.client_write = 'client:seq:entity:key'); only that row is stamped or checked — not rows a
-- cascade deletes, and nothing a Data API or back-office write touches, whose writes keep the stamp
-- as it was. The stamp columns never travel to devices (private.wire_row).
-- ---------------------------------------------------------------------------------------------

-- Whether a device deleted this row with a later seq (its tombstone's stamp). Security definer:
-- a delete of a row that never reached the server leaves a tombstone no device can see.
create function private.deleted_later(p_entity text, p_id uuid, p_client uuid, p_seq bigint) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select from public.sync_tombstones t
    where t.entity = p_entity and t.id = p_id and t.last_client_id = p_client and t.last_client_seq > p_seq
  )
$$;

-- Stamps the tombstone of a row a device deleted, creating one (owned by nobody, so pulled by
-- nobody) when the row was never on the server: its create may still be on the way. The same
-- device's stamp only moves forward (an old delete arriving late does not lower it).
create function private.stamp_delete(p_entity text, p_id uuid, p_client uuid, p_seq bigint) returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.sync_tombstones as t (entity, id, last_client_id, last_client_seq)
  values (p_entity, p_id, p_client, p_seq)
  on conflict (entity, id) do update
    set last_client_id = excluded.last_client_id, last_client_seq = excluded.last_client_seq
    where t.last_client_id is distinct from excluded.last_client_id
      or t.last_client_seq is null or t.last_client_seq < excluded.last_client_seq
$$;

-- The row as it is now, as the caller may see it (null when gone): the answer to a superseded write.
create function private.canonical_row(p_entity text, p_key uuid) returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  if p_entity = 'patients' then
    return (select private.wire_row(to_jsonb(r)) from public.patients r where r.id = p_key);
  end if;
  return (select private.wire_row(to_jsonb(r)) from public.appointments r where r.id = p_key);
end;
$$;

revoke all on function private.deleted_later(text, uuid, uuid, bigint) from public;
revoke all on function private.stamp_delete(text, uuid, uuid, bigint) from public;
grant execute on function private.deleted_later(text, uuid, uuid, bigint) to authenticated;
grant execute on function private.stamp_delete(text, uuid, uuid, bigint) to authenticated;

-- First among the row triggers, so a superseded write is answered as such before any rule judges
-- data that no longer matters.
create function private.guard_client_write() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_stamp text := pg_catalog.current_setting('consult.client_write', true);
  v_parts text[];
  v_id uuid;
  v_client uuid;
  v_seq bigint;
begin
  if tg_op = 'DELETE' then
    v_id := old.id;
  else
    v_id := new.id;
  end if;
  if v_stamp is not null and v_stamp <> '' then
    v_parts := pg_catalog.string_to_array(v_stamp, ':');
    if v_parts[3] = tg_table_name and v_parts[4] = v_id::text then
      v_client := v_parts[1]::uuid;
      v_seq := v_parts[2]::bigint;
    end if;
  end if;

  if tg_op = 'DELETE' then
    if v_client is not null and old.last_client_id = v_client and old.last_client_seq > v_seq then
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
    else
      new.last_client_id := null;
      new.last_client_seq := null;
    end if;
    return new;
  end if;

  if tg_op = 'UPDATE' then
    if old.last_client_id = v_client and old.last_client_seq > v_seq then
      raise exception 'superseded: this device wrote % % again later (seq % after %)',
        tg_table_name, v_id, old.last_client_seq, v_seq using errcode = 'CS409';
    end if;
  elsif private.deleted_later(tg_table_name, v_id, v_client, v_seq) then
    raise exception 'superseded: this device deleted % % later', tg_table_name, v_id using errcode = 'CS409';
  end if;
  new.last_client_id := v_client;
  new.last_client_seq := v_seq;
  return new;
end;
$$;

create trigger patients_05_client_write before insert or update or delete on public.patients
  for each row execute function private.guard_client_write();
create trigger appointments_05_client_write before insert or update or delete on public.appointments

  for each row execute function private.guard_client_write();

-- ---------------------------------------------------------------------------------------------
-- Row level security: a patient reads and writes only their own patient row and its appointments;
-- kiosk staff act only for patients of their clinic; anon reads nothing personal. Reference data is
-- readable by any signed-in user. One policy per command; a command with no policy is refused.
--
-- Helpers are security definer so a policy does not re-enter other tables' policies per row, and
-- `stable` so `(select …)` evaluates them once per statement.
-- ---------------------------------------------------------------------------------------------

-- PL/pgSQL, whose plan is cached for the session. A non-inlined SQL function (and a security
-- definer one is never inlined) is parsed and planned again in every statement that calls it, and
-- the policies call it once per statement: once per mutation in sync_push.
create function private.staff_clinic_id() returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return (select s.clinic_id from public.staff s where s.user_id = (select auth.uid()));
end;
$$;


-- Whether a row exists regardless of who may see it: sync_push tells "someone else's row"
-- (forbidden) from "no such row" (missing_parent / a new row).
create function private.row_exists(entity text, row_id uuid) returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if entity = 'patients' then
    return exists (select from public.patients where id = row_id);
  elsif entity = 'appointments' then
    return exists (select from public.appointments where id = row_id);
  end if;
  return false;
end;
$$;


revoke all on function private.staff_clinic_id() from public;
revoke all on function private.row_exists(text, uuid) from public;
grant execute on function private.staff_clinic_id() to authenticated, service_role;
grant execute on function private.row_exists(text, uuid) to authenticated, service_role;

-- Privileges first (Supabase grants everything by default): anon gets nothing personal at all, and
-- tables that only the back office or the sync functions write are read-only for API roles.
revoke all on public.patients, public.appointments, public.staff, public.sync_ledger, public.sync_tombstones
  from anon;
revoke insert, update, delete, truncate on public.clinics, public.doctors, public.slots from anon, authenticated;
revoke insert, update, delete, truncate on public.staff, public.sync_ledger, public.sync_tombstones
  from authenticated;
revoke truncate on public.patients, public.appointments from authenticated;

alter table public.clinics enable row level security;
alter table public.doctors enable row level security;
alter table public.slots enable row level security;
alter table public.staff enable row level security;
alter table public.patients enable row level security;
alter table public.appointments enable row level security;
alter table public.sync_ledger enable row level security;
alter table public.sync_tombstones enable row level security;

-- Reference data.
create policy clinics_select on public.clinics for select to authenticated using (true);
create policy doctors_select on public.doctors for select to authenticated using (true);
create policy slots_select on public.slots for select to authenticated using (true);

-- Staff see their own membership (the app uses it to switch into kiosk mode).
create policy staff_select on public.staff for select to authenticated
  using (user_id = (select auth.uid()));

-- Patients. A patient creates only their own row; staff create only walk-ins of their clinic that
-- they registered. Ownership cannot change afterwards (trigger patients_10_guard_owner).
create policy patients_select on public.patients for select to authenticated
  using (user_id = (select auth.uid()) or clinic_id = (select private.staff_clinic_id()));

create policy patients_insert on public.patients for insert to authenticated
  with check (
    (user_id = (select auth.uid()) and registered_by is null and clinic_id is null)
    or (
      user_id is null
      and registered_by = (select auth.uid())
      and clinic_id = (select private.staff_clinic_id())
    )
  );

create policy patients_update on public.patients for update to authenticated
  using (user_id = (select auth.uid()) or clinic_id = (select private.staff_clinic_id()))
  with check (user_id = (select auth.uid()) or clinic_id = (select private.staff_clinic_id()));

create policy patients_delete on public.patients for delete to authenticated
  using (user_id = (select auth.uid()) or clinic_id = (select private.staff_clinic_id()));


-- Appointments follow their patient: the patient must be visible to the caller under patients'
-- policies (own row, or a patient of the caller's clinic). One index probe per row checked, rather
-- than materializing every patient the caller acts for.
create policy appointments_select on public.appointments for select to authenticated
  using (exists (select from public.patients p where p.id = patient_id));

create policy appointments_insert on public.appointments for insert to authenticated
  with check (exists (select from public.patients p where p.id = patient_id));

create policy appointments_update on public.appointments for update to authenticated
  using (exists (select from public.patients p where p.id = patient_id))
  with check (exists (select from public.patients p where p.id = patient_id));

create policy appointments_delete on public.appointments for delete to authenticated
  using (exists (select from public.patients p where p.id = patient_id));


-- The ledger and tombstones are written only by sync_push and triggers (security definer).
create policy sync_ledger_select on public.sync_ledger for select to authenticated
  using (user_id = (select auth.uid()));

create policy sync_tombstones_select on public.sync_tombstones for select to authenticated
  using (owner_user_id = (select auth.uid()) or clinic_id = (select private.staff_clinic_id()));

-- ---------------------------------------------------------------------------------------------
-- Field readers: each returns the typed value or rejects with `validation` naming the field.
-- They mirror the zod rules in sync/entities.ts (strings are trimmed first, as zod's .trim()).
-- ---------------------------------------------------------------------------------------------

create function private.read_text(data jsonb, field text, max_length integer, required boolean) returns text
language plpgsql
set search_path = ''
as $$
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
  return s;
end;
$$;

create function private.read_enum(data jsonb, field text, allowed text[]) returns text
language plpgsql
set search_path = ''
as $$
declare
  s text := private.read_text(data, field, 100, true);
begin
  if not s = any (allowed) then
    perform private.reject('validation',
      format('%s must be one of %s, not "%s"', field, array_to_string(allowed, ', '), s), field);
  end if;
  return s;
end;
$$;

create function private.read_uuid(data jsonb, field text) returns uuid
language plpgsql
set search_path = ''
as $$
declare
  s text := private.read_text(data, field, 100, true);
begin
  if s !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    perform private.reject('validation', format('%s must be a uuid, not "%s"', field, s), field);
  end if;
  return s::uuid;
end;
$$;

-- PHONE_PATTERN, after stripping spaces and dashes.
create function private.read_phone(data jsonb, field text) returns text
language plpgsql
set search_path = ''
as $$
declare
  s text := private.read_text(data, field, 100, false);
begin
  if s is null then
    return null;
  end if;
  s := regexp_replace(s, '[\s-]', '', 'g');
  if s !~ '^\+?[0-9]{7,15}$' then
    perform private.reject('validation',
      format('%s must be 7 to 15 digits, optionally starting with +', field), field);
  end if;
  return s;
end;
$$;

create function private.read_birth_date(data jsonb, field text) returns date
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
  -- The device checks against today's UTC date (todayIso); so does the check constraint.
  if d > (pg_catalog.now() at time zone 'utc')::date then
    perform private.reject('validation', format('%s cannot be in the future', field), field);
  end if;
  return d;
end;
$$;

create function private.read_timestamp(data jsonb, field text) returns timestamptz
language plpgsql
set search_path = ''
as $$
declare
  s text := private.read_text(data, field, 100, true);
begin
  return s::timestamptz;
exception when datetime_field_overflow or invalid_datetime_format then
  perform private.reject('validation', format('%s must be an ISO 8601 timestamp, not "%s"', field, s), field);
  return null;
end;
$$;


create function private.read_date(data jsonb, field text) returns date
language plpgsql
set search_path = ''
as $$
declare
  s text := private.read_text(data, field, 100, true);
begin
  if s !~ '^\d{4}-\d{2}-\d{2}$' then
    perform private.reject('validation', format('%s must be a date in the form YYYY-MM-DD, not "%s"', field, s),
      field);
  end if;
  return s::date;
exception when datetime_field_overflow or invalid_datetime_format then
  perform private.reject('validation', format('%s is not a real date: "%s"', field, s), field);
  return null;
end;
$$;


-- The field a check constraint guards, from the constraint's name (<table>_<field>_<rule>);
-- longest names first: a name that contains another wins.
create function private.constraint_field(p_constraint text) returns text
language sql
immutable
set search_path = ''
as $$
  select f from unnest(array[
    'emergency_contact_phone', 'emergency_contact_name', 'requested_specialty', 'preferred_language',
    'preferred_window', 'preferred_date', 'date_of_birth', 'full_name', 'patient_id', 'doctor_id', 'slot_id',
    'starts_at', 'ends_at', 'phone', 'address', 'sex', 'reason', 'mode', 'status'
  ]) with ordinality as t(f, n)
  where p_constraint like '%\_' || f || '\_%'
  order by n
  limit 1
$$;


-- ---------------------------------------------------------------------------------------------
-- Per-entity apply: returns the canonical row (null after a delete) or raises.
-- ---------------------------------------------------------------------------------------------

create function private.apply_patient(p_op text, p_key uuid, p_data jsonb) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_staff_clinic uuid := private.staff_clinic_id();
  v_in public.patients;
  v_row public.patients;
begin
  if p_op = 'delete' then
    delete from public.patients where id = p_key returning * into v_row;
    if not found and private.row_exists('patients', p_key) then
      perform private.reject('forbidden', format('patient %s belongs to another account or clinic', p_key));
    end if;
    -- Deleting what is already gone is a success: the device wanted it gone.
    return null;
  end if;

  v_in.full_name := private.read_text(p_data, 'full_name', 120, true);
  v_in.date_of_birth := private.read_birth_date(p_data, 'date_of_birth');
  v_in.sex := private.read_enum(p_data, 'sex', array['female', 'male', 'other', 'undisclosed']);
  v_in.phone := private.read_phone(p_data, 'phone');
  v_in.address := private.read_text(p_data, 'address', 200, false);
  v_in.preferred_language := private.read_enum(p_data, 'preferred_language', array['en', 'hi']);
  v_in.emergency_contact_name := private.read_text(p_data, 'emergency_contact_name', 120, false);
  v_in.emergency_contact_phone := private.read_phone(p_data, 'emergency_contact_phone');

  select * into v_row from public.patients where id = p_key for update;
  if not found then
    -- Ownership comes from the session, never from the device: staff register walk-ins for their
    -- clinic; anyone else creates their own profile.
    insert into public.patients (
      id, user_id, registered_by, clinic_id, full_name, date_of_birth, sex, phone, address,
      preferred_language, emergency_contact_name, emergency_contact_phone
    ) values (
      p_key,
      case when v_staff_clinic is null then v_uid end,
      case when v_staff_clinic is not null then v_uid end,
      v_staff_clinic,
      v_in.full_name, v_in.date_of_birth, v_in.sex, v_in.phone, v_in.address,
      v_in.preferred_language, v_in.emergency_contact_name, v_in.emergency_contact_phone
    )
    on conflict (id) do nothing
    returning * into v_row;
    if found then
      return private.wire_row(to_jsonb(v_row));
    end if;
    -- The id exists: either another of the caller's pushes created it a moment ago (now visible,
    -- so update it), or it is someone else's row (invisible under RLS).
    select * into v_row from public.patients where id = p_key for update;
    if not found then
      perform private.reject('forbidden', format('patient %s belongs to another account or clinic', p_key));
    end if;
  end if;

  update public.patients set
    full_name = v_in.full_name,
    date_of_birth = v_in.date_of_birth,
    sex = v_in.sex,
    phone = v_in.phone,
    address = v_in.address,
    preferred_language = v_in.preferred_language,
    emergency_contact_name = v_in.emergency_contact_name,
    emergency_contact_phone = v_in.emergency_contact_phone
  where id = p_key
  returning * into v_row;
  if not found then
    perform private.reject('forbidden', format('patient %s belongs to another account or clinic', p_key));
  end if;
  return private.wire_row(to_jsonb(v_row));
end;
$$;


-- The first free slot matching a request by specialty, locked for this transaction; null when none
-- is left. Matching: a doctor with that specialty (offering video when the mode is video), a slot
-- of that mode that is free and has not started, starting on preferred_date within the window in
-- clinic time (Asia/Kolkata, the only time zone the clinics are in): morning 06:00–12:00,
-- afternoon 12:00–17:00, evening 17:00–21:00, any = the whole day; the earliest start wins (ties
-- by slot id). Doctors of every clinic are candidates: the request carries no clinic.
-- SKIP LOCKED: a slot another transaction is booking right now (its row is locked from the
-- moment it is picked or booked until that transaction ends) is passed over instead of waited
-- for, so two racing requests take different slots. Security definer: devices may not lock slots.
create function private.pick_requested_slot(
  p_specialty text,
  p_mode text,
  p_date date,
  p_window text,
  p_skip uuid[]
) returns public.slots
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_from time := case p_window when 'morning' then time '06:00' when 'afternoon' then time '12:00'
    when 'evening' then time '17:00' else time '00:00' end;
  v_hours integer := case p_window when 'morning' then 6 when 'afternoon' then 5 when 'evening' then 4
    else 24 end;
  v_slot public.slots;
begin
  select s.* into v_slot
  from public.slots s
  join public.doctors d on d.id = s.doctor_id
  where s.starts_at >= (p_date + v_from) at time zone 'Asia/Kolkata'
    and s.starts_at < (p_date + v_from + make_interval(hours => v_hours)) at time zone 'Asia/Kolkata'
    and s.starts_at > pg_catalog.now()
    and s.available
    and s.mode = p_mode
    and d.specialty = p_specialty
    and (p_mode <> 'video' or d.offers_video)
    and s.id <> all (p_skip)
  order by s.starts_at, s.id
  limit 1
  for update of s skip locked;
  if not found then
    return null;
  end if;
  return v_slot;
end;
$$;


revoke all on function private.pick_requested_slot(text, text, date, text, uuid[]) from public;
grant execute on function private.pick_requested_slot(text, text, date, text, uuid[]) to authenticated;

-- Inserts or updates the row `p_in` describes; returns the canonical row. `p_exists`: the caller
-- found (and locked) the row already.
create function private.write_appointment(p_key uuid, p_in public.appointments, p_exists boolean) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_row public.appointments;
begin
  if not p_exists then
    insert into public.appointments (
      id, patient_id, doctor_id, slot_id, starts_at, ends_at, mode, reason, status,
      requested_specialty, preferred_date, preferred_window
    ) values (
      p_key, p_in.patient_id, p_in.doctor_id, p_in.slot_id, p_in.starts_at, p_in.ends_at, p_in.mode,
      p_in.reason, p_in.status, p_in.requested_specialty, p_in.preferred_date, p_in.preferred_window
    )
    on conflict (id) do nothing
    returning * into v_row;
    if found then
      return private.wire_row(to_jsonb(v_row));
    end if;
    perform from public.appointments where id = p_key for update;
    if not found then
      perform private.reject('forbidden', format('appointment %s belongs to another account or clinic', p_key));
    end if;
  end if;

  update public.appointments set
    patient_id = p_in.patient_id,
    doctor_id = p_in.doctor_id,
    slot_id = p_in.slot_id,
    starts_at = p_in.starts_at,
    ends_at = p_in.ends_at,
    mode = p_in.mode,
    reason = p_in.reason,
    status = p_in.status,
    requested_specialty = p_in.requested_specialty,
    preferred_date = p_in.preferred_date,
    preferred_window = p_in.preferred_window
  where id = p_key
  returning * into v_row;
  if not found then
    perform private.reject('forbidden', format('appointment %s belongs to another account or clinic', p_key));
  end if;
  return private.wire_row(to_jsonb(v_row));
end;
$$;


-- Status rules, slot matching and past-slot checks live in the appointments_guard trigger so they
-- hold for Data API writes too; this function reads the device's row, adds the parent check and the
-- forbidden cases, and books a request. join_url is the server's and is not read.
create function private.apply_appointment(p_op text, p_key uuid, p_data jsonb) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  c_uuid constant text := '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
  c_specialties constant text[] := array['general medicine', 'paediatrics', 'gynaecology', 'dermatology',
    'cardiology', 'ENT', 'orthopaedics'];
  v_in public.appointments;
  v_old public.appointments;
  v_exists boolean;
  v_request boolean;
  v_has_request boolean;
  v_slot public.slots;
  v_skip uuid[] := '{}';
  v_constraint text;
begin
  if p_op = 'delete' then
    delete from public.appointments where id = p_key returning * into v_old;
    if not found and private.row_exists('appointments', p_key) then
      perform private.reject('forbidden', format('appointment %s belongs to another account or clinic', p_key));
    end if;
    return null;
  end if;

  -- The common, well-formed values pass inline tests; anything else goes to the readers, which trim,
  -- or reject naming the field.
  v_in.patient_id := case when (p_data ->> 'patient_id') ~* c_uuid then (p_data ->> 'patient_id')::uuid
    else private.read_uuid(p_data, 'patient_id') end;
  -- A request leaves every slot field out (or null); naming any of them means naming a slot.
  v_request := p_data ->> 'doctor_id' is null and p_data ->> 'slot_id' is null
    and p_data ->> 'starts_at' is null and p_data ->> 'ends_at' is null;
  v_has_request := p_data ->> 'requested_specialty' is not null or p_data ->> 'preferred_date' is not null
    or p_data ->> 'preferred_window' is not null;
  if v_request and not v_has_request then
    perform private.reject('validation',
      'slot_id is required, or requested_specialty, preferred_date and preferred_window for the clinic to pick a slot',
      'slot_id');
  end if;
  if not v_request then
    v_in.doctor_id := case when (p_data ->> 'doctor_id') ~* c_uuid then (p_data ->> 'doctor_id')::uuid
      else private.read_uuid(p_data, 'doctor_id') end;
    v_in.slot_id := case when (p_data ->> 'slot_id') ~* c_uuid then (p_data ->> 'slot_id')::uuid
      else private.read_uuid(p_data, 'slot_id') end;
    v_in.starts_at := private.read_timestamp(p_data, 'starts_at');
    v_in.ends_at := private.read_timestamp(p_data, 'ends_at');
  end if;
  v_in.mode := case when (p_data ->> 'mode') in ('video', 'in_person') then p_data ->> 'mode'
    else private.read_enum(p_data, 'mode', array['video', 'in_person']) end;
  v_in.reason := private.read_text(p_data, 'reason', 500, true);
  v_in.status := case when (p_data ->> 'status') in ('requested', 'confirmed', 'rejected', 'cancelled', 'completed')
    then p_data ->> 'status'
    else private.read_enum(p_data, 'status', array['requested', 'confirmed', 'rejected', 'cancelled', 'completed']) end;
  if v_has_request then
    v_in.requested_specialty := private.read_enum(p_data, 'requested_specialty', c_specialties);
    v_in.preferred_date := private.read_date(p_data, 'preferred_date');
    v_in.preferred_window := private.read_enum(p_data, 'preferred_window',
      array['morning', 'afternoon', 'evening', 'any']);
  end if;

  perform from public.patients where id = v_in.patient_id;
  if not found then
    if private.row_exists('patients', v_in.patient_id) then
      perform private.reject('forbidden',
        format('patient %s belongs to another account or clinic', v_in.patient_id), 'patient_id');
    end if;
    perform private.reject('missing_parent',
      format('patient %s does not exist on the server and was not created in this batch', v_in.patient_id),
      'patient_id');
  end if;

  select * into v_old from public.appointments where id = p_key for update;
  v_exists := found;

  if v_request then
    if v_exists and v_old.slot_id is not null
      and v_old.requested_specialty is not distinct from v_in.requested_specialty
      and v_old.preferred_date is not distinct from v_in.preferred_date
      and v_old.preferred_window is not distinct from v_in.preferred_window
      and v_old.mode = v_in.mode
    then
      -- This request was booked already; the device wrote again before it saw the booking.
      v_in.doctor_id := v_old.doctor_id;
      v_in.slot_id := v_old.slot_id;
      v_in.starts_at := v_old.starts_at;
      v_in.ends_at := v_old.ends_at;
    elsif v_in.status in ('requested', 'confirmed') then
      loop
        v_slot := private.pick_requested_slot(v_in.requested_specialty, v_in.mode, v_in.preferred_date,
          v_in.preferred_window, v_skip);
        if v_slot.id is null then
          perform private.reject('no_slot',
            format('no free %s %s slot on %s %s', v_in.requested_specialty,
              case v_in.mode when 'video' then 'video' else 'in-clinic' end,
              v_in.preferred_date,
              case v_in.preferred_window when 'any' then 'at any time' else 'in the ' || v_in.preferred_window end));
        end if;
        v_in.doctor_id := v_slot.doctor_id;
        v_in.slot_id := v_slot.id;
        v_in.starts_at := v_slot.starts_at;
        v_in.ends_at := v_slot.ends_at;
        begin
          return private.write_appointment(p_key, v_in, v_exists);
        exception when unique_violation then
          -- Held by an appointment the availability flag did not show yet: try the next slot.
          get stacked diagnostics v_constraint = constraint_name;
          if v_constraint is distinct from 'appointments_one_active_per_slot' then
            raise;
          end if;
          v_skip := v_skip || v_slot.id;
        end;
      end loop;
    end if;
    -- Otherwise the request is already cancelled: it holds nothing and stays unbooked.
  end if;

  return private.write_appointment(p_key, v_in, v_exists);
end;
$$;


-- ---------------------------------------------------------------------------------------------
-- Ledger access. Security definer: devices may read their own ledger rows but never write them.
-- ---------------------------------------------------------------------------------------------

create function private.ledger_claim(p_client uuid, p_mutation uuid) returns boolean
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- Waits while another transaction holds an uncommitted claim on the same mutation; then either
  -- claims it (that one rolled back) or does nothing (it committed).
  insert into public.sync_ledger (client_id, mutation_id, user_id)
  values (p_client, p_mutation, (select auth.uid()))
  on conflict (client_id, mutation_id) do nothing;
  return found;
end;
$$;


-- The stored first answer, or null when the mutation was claimed by another user.
create function private.ledger_answer(p_client uuid, p_mutation uuid) returns jsonb
language sql
security definer
set search_path = ''
as $$
  select l.answer from public.sync_ledger l
  where l.client_id = p_client and l.mutation_id = p_mutation and l.user_id = (select auth.uid())
$$;


-- Every answer of one call in one statement, at the end of sync_push. Still exactly once: the
-- claim row is inserted first, inside the mutation's savepoint, and the answer lands in the same
-- transaction, so a concurrent push waiting on the claim sees it once this one commits. An upsert
-- rather than UPDATE … FROM unnest(…): every row is then found through the primary key (the
-- conflict arbiter), whatever the planner believes about the table's size. Each row conflicts with
-- this call's own claim; a row claimed by another user is left alone.
create function private.ledger_record_all(p_client uuid, p_mutations uuid[], p_answers jsonb[]) returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.sync_ledger as l (client_id, mutation_id, user_id, answer)
  select p_client, r.mutation_id, (select auth.uid()), r.answer
  from unnest(p_mutations, p_answers) as r(mutation_id, answer)
  on conflict (client_id, mutation_id) do update set answer = excluded.answer
    where l.user_id = excluded.user_id
$$;


revoke all on function private.ledger_claim(uuid, uuid) from public;
revoke all on function private.ledger_answer(uuid, uuid) from public;
revoke all on function private.ledger_record_all(uuid, uuid[], jsonb[]) from public;
grant execute on function private.ledger_claim(uuid, uuid) to authenticated;
grant execute on function private.ledger_answer(uuid, uuid) to authenticated;
grant execute on function private.ledger_record_all(uuid, uuid[], jsonb[]) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Batch order (sync/transports/push-order.ts is its port)
-- ---------------------------------------------------------------------------------------------

-- A depth-first topological sort that visits mutations by (rank, arrival) and puts each one's
-- prerequisites first. Prerequisites, in the order they are stacked: the previous write of the same
-- row, for an appointment the last upsert of its patient in the batch, then its deps in the batch.
-- Ranks put parents first: patient upserts, appointments, patient deletes (after the appointments
-- they would cascade to). A dependency cycle is cut where it is found.
--
-- The prerequisite lists come from one set query as a flat array (v_pre) with per-position bounds
-- (v_from), so the walk below touches integer arrays only: linear in the batch.
create function private.push_order(p_mutations jsonb) returns integer[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  n integer := jsonb_array_length(p_mutations);
  v_start integer[];
  v_pre integer[];
  v_counts integer[];
  v_from integer[] := array_fill(1, array[n + 1]);
  v_state integer[] := array_fill(0, array[n]);
  v_stack integer[];
  v_depth integer;
  v_order integer[] := array_fill(0, array[n]);
  v_placed integer := 0;
  v_top integer;
  i integer;
  j integer;
begin
  if n = 0 then
    return '{}';
  end if;

  with m as (
    select e.pos::integer as pos, e.m as o
    from jsonb_array_elements(p_mutations) with ordinality as e(m, pos)
    where jsonb_typeof(e.m) = 'object'
  ),
  first_pos as (
    select m.o ->> 'id' as id, min(m.pos) as pos
    from m where jsonb_typeof(m.o -> 'id') = 'string'
    group by 1
  ),
  edges as (
    select e.pos, e.kind, e.ord, e.pre
    from (
      select m.pos, 1 as kind, 0::bigint as ord,
        lag(m.pos) over (
          partition by coalesce(m.o ->> 'entity', '') || ':' || coalesce(m.o ->> 'key', '') order by m.pos
        ) as pre
      from m
      union all
      select p.pos, 2, 0, p.parent
      from (
        -- Patient upserts and appointments side by side, keyed by patient: a window, not a join,
        -- as the planner cannot estimate the size of a jsonb array.
        select m.pos, m.o ->> 'entity' as entity,
          max(m.pos) filter (where m.o ->> 'entity' = 'patients') over (
            partition by case when m.o ->> 'entity' = 'patients' then m.o ->> 'key' else m.o -> 'data' ->> 'patient_id' end
          ) as parent
        from m
        where (m.o ->> 'entity' = 'patients' and m.o ->> 'op' = 'upsert' and m.o ->> 'key' is not null)
          or (m.o ->> 'entity' = 'appointments' and jsonb_typeof(m.o -> 'data') = 'object'
            and m.o -> 'data' ->> 'patient_id' is not null)
      ) p
      where p.entity = 'appointments'
      union all
      select m.pos, 3, d.ord, f.pos
      from m
      cross join lateral jsonb_array_elements(
        case when jsonb_typeof(m.o -> 'deps') = 'array' then m.o -> 'deps' end
      ) with ordinality as d(dep, ord)
      join first_pos f on f.id = d.dep #>> '{}'
    ) e
    where e.pre is not null
  )
  select
    coalesce((select array_agg(e.pre order by e.pos, e.kind, e.ord) from edges e), '{}'),
    (select array_agg(coalesce(c.n, 0)::integer order by g.pos)
     from generate_series(1, n) as g(pos)
     left join (select e.pos, count(*) as n from edges e group by e.pos) c on c.pos = g.pos)
  into v_pre, v_counts;

  -- Mutation i's prerequisites are v_pre[v_from[i] .. v_from[i + 1] - 1].
  for i in 1..n loop
    v_from[i + 1] := v_from[i] + v_counts[i];
  end loop;

  select array_agg(e.pos::integer order by
      case
        when e.m ->> 'entity' = 'patients' and e.m ->> 'op' = 'upsert' then 0
        when e.m ->> 'entity' = 'appointments' then 1
        when e.m ->> 'entity' = 'patients' then 2
        else 3
      end, e.pos)
  into v_start
  from jsonb_array_elements(p_mutations) with ordinality as e(m, pos);

  -- Every mutation is stacked at most once per edge into it, plus once as a root.
  v_stack := array_fill(0, array[n + cardinality(v_pre) + 1]);
  -- v_state: 0 unvisited, 1 prerequisites pending, 2 placed.
  foreach i in array v_start loop
    if v_state[i] <> 0 then
      continue;
    end if;
    v_depth := 1;
    v_stack[1] := i;
    while v_depth > 0 loop
      v_top := v_stack[v_depth];
      if v_state[v_top] = 0 then
        v_state[v_top] := 1;
        for j in v_from[v_top] .. v_from[v_top + 1] - 1 loop
          if v_state[v_pre[j]] = 0 then
            v_depth := v_depth + 1;
            v_stack[v_depth] := v_pre[j];
          end if;
        end loop;
      else
        v_depth := v_depth - 1;
        if v_state[v_top] = 1 then
          v_state[v_top] := 2;
          v_placed := v_placed + 1;
          v_order[v_placed] := v_top;
        end if;
      end if;
    end loop;
  end loop;
  return v_order;
end;
$$;


-- ---------------------------------------------------------------------------------------------
-- sync_push(client_id, mutations): applies one batch of device mutations (sync/protocol.ts) in one
-- transaction and answers one PushResult per mutation, in the order they were sent.
--
-- * Limits: more than 500 mutations or more than 1,000,000 bytes of JSON text (PUSH_LIMITS) raise
--   SQLSTATE PT413 before anything is applied; PostgREST answers it with HTTP 413, so the client
--   splits the batch instead of retrying it. `mutations` is `json`, not `jsonb`, so the byte count is
--   of the text the device sent (jsonb would re-serialize it with extra spaces).
-- * Order: parents first whatever the arrival order (patient upserts, then appointments, then
--   patient deletes), and every mutation after its deps and after earlier writes of the same row.
-- * Each mutation runs in its own savepoint (a BEGIN … EXCEPTION block): a rejected mutation undoes
--   only itself.
-- * Exactly once: a mutation is first claimed in sync_ledger (insert … on conflict do nothing); only
--   the claimant applies it, and its `applied` answer is stored with the claim. A replay — the same
--   batch again, another tab, or a concurrent push that waited on the claim — gets `duplicate` with
--   that stored answer. Rejected and blocked mutations leave no trace (the savepoint rollback also
--   removes the claim), so a re-send is evaluated again: after a fix, or once its parent arrived.
-- * Security invoker: row level security applies to every write, so the explicit checks below only
--   turn what RLS would refuse into readable answers.
-- * Stale writes: each mutation's `seq` is named to the row trigger (guard_client_write), stamped
--   on deletes, and a superseded write is answered as applied (see the stale write guard above).
-- * Speed: a kiosk drains hundreds of queued walk-ins in one call. The blocked check is skipped
--   while nothing has failed, and the ledger answers are written once, at the end.
-- ---------------------------------------------------------------------------------------------

create function public.sync_push(client_id uuid, mutations json) returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  c_max_mutations constant integer := 500;
  c_max_bytes constant integer := 1000000;
  c_uuid constant text := '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
  v_uid uuid := (select auth.uid());
  v_bytes integer;
  v_batch jsonb;
  v_ms jsonb[];
  v_count integer;
  v_results jsonb[];
  v_failed jsonb := '{}';      -- mutation id -> the rejected mutation it traces back to
  v_failed_rows jsonb := '{}'; -- entity:key -> the rejected mutation that last wrote that row
  v_any_failed boolean := false;
  -- Applied in this call, written to the ledger at the end (same transaction).
  v_applied_ids uuid[] := '{}';
  v_applied_answers jsonb[] := '{}';
  v_seen integer;
  v_pos integer;
  v_m jsonb;
  v_id text;
  v_entity text;
  v_op text;
  v_key uuid;
  v_data jsonb;
  v_blocker text;
  v_dep jsonb;
  v_stored jsonb;
  v_row jsonb;
  v_answer jsonb;
  v_sqlstate text;
  v_message text;
  v_detail text;
  v_column text;
  v_constraint text;
  v_code text;
  v_field text;
  v_seq bigint;
begin
  if v_uid is null then
    raise exception 'sync_push needs a signed-in user' using errcode = '42501';
  end if;
  if client_id is null then
    raise exception 'sync_push needs a client_id' using errcode = '22023';
  end if;
  if mutations is null or json_typeof(mutations) <> 'array' then
    raise exception 'sync_push needs mutations as a JSON array' using errcode = '22023';
  end if;
  v_bytes := octet_length(mutations::text);
  if v_bytes > c_max_bytes then
    raise exception 'sync_push accepts at most % bytes of mutations JSON per call; this batch has % bytes',
      c_max_bytes, v_bytes
      using errcode = 'PT413', hint = 'Split the batch (PUSH_LIMITS.maxBytes).';
  end if;
  v_count := json_array_length(mutations);
  if v_count > c_max_mutations then
    raise exception 'sync_push accepts at most % mutations per call; this batch has % mutations',
      c_max_mutations, v_count
      using errcode = 'PT413', hint = 'Split the batch (PUSH_LIMITS.maxMutations).';
  end if;
  if v_count = 0 then
    return '[]'::jsonb;
  end if;

  v_batch := mutations::jsonb;
  select array_agg(e.m order by e.pos) into v_ms
  from jsonb_array_elements(v_batch) with ordinality as e(m, pos);
  v_results := array_fill(null::jsonb, array[v_count]);
  -- Parents are applied first; checking the FK per statement turns a missing parent into one
  -- rejected mutation (caught below) instead of a failed commit.
  set constraints public.appointments_patient_id_fkey immediate;

  foreach v_pos in array private.push_order(v_batch) loop
    v_m := v_ms[v_pos];
    v_id := case when jsonb_typeof(v_m) = 'object' then v_m ->> 'id' end;
    v_answer := null;
    v_data := null;

    -- Blocked: a prerequisite in this batch was rejected (or blocked itself).
    v_blocker := null;
    if v_any_failed and jsonb_typeof(v_m) = 'object' then
      if jsonb_typeof(v_m -> 'deps') = 'array' then
        for v_dep in select value from jsonb_array_elements(v_m -> 'deps') loop
          v_blocker := v_failed ->> (v_dep #>> '{}');
          exit when v_blocker is not null;
        end loop;
      end if;
      v_blocker := coalesce(
        v_blocker,
        v_failed_rows ->> ((v_m ->> 'entity') || ':' || (v_m ->> 'key')),
        case when v_m ->> 'entity' = 'appointments' then
          v_failed_rows ->> ('patients:' || (v_m -> 'data' ->> 'patient_id'))
        end
      );
    end if;
    if v_blocker is not null then
      v_results[v_pos] := jsonb_build_object(
        'id', v_id,
        'status', 'blocked',
        'blockedBy', v_blocker,
        'message', format('waits behind mutation %s, which was rejected', v_blocker)
      );
    else
      begin
        if jsonb_typeof(v_m) <> 'object' then
          perform private.reject('validation', 'a mutation must be a JSON object');
        end if;
        -- The envelope as every device sends it passes these inline tests; anything else goes to the
        -- readers, which trim, or reject naming the field.
        if (v_m ->> 'id') !~* c_uuid then
          perform private.read_uuid(v_m, 'id');
        end if;
        if (case when (v_m ->> 'clientId') ~* c_uuid then (v_m ->> 'clientId')::uuid
            else private.read_uuid(v_m, 'clientId') end) <> client_id
        then
          perform private.reject('validation',
            format('clientId %s does not match the client_id of this push (%s)', v_m ->> 'clientId', client_id),
            'clientId');
        end if;
        v_entity := case when (v_m ->> 'entity') in ('patients', 'appointments') then v_m ->> 'entity'
          else private.read_enum(v_m, 'entity', array['patients', 'appointments']) end;
        v_op := case when (v_m ->> 'op') in ('upsert', 'delete') then v_m ->> 'op'
          else private.read_enum(v_m, 'op', array['upsert', 'delete']) end;
        v_key := case when (v_m ->> 'key') ~* c_uuid then (v_m ->> 'key')::uuid
          else private.read_uuid(v_m, 'key') end;
        -- The device's enqueue order (optional: older clients send none and are not guarded).
        v_seq := null;
        if jsonb_typeof(v_m -> 'seq') is distinct from 'null' and v_m ? 'seq' then
          if jsonb_typeof(v_m -> 'seq') <> 'number' or (v_m ->> 'seq') !~ '^[0-9]{1,18}$' then
            perform private.reject('validation', 'seq must be a whole number, 0 or more', 'seq');
          end if;
          v_seq := (v_m ->> 'seq')::bigint;
        end if;
        if v_m ? 'deps' and jsonb_typeof(v_m -> 'deps') not in ('array', 'null') then
          perform private.reject('validation', 'deps must be an array of mutation ids', 'deps');
        end if;
        v_data := v_m -> 'data';
        if v_op = 'upsert' then
          if v_data is null or jsonb_typeof(v_data) <> 'object' then
            perform private.reject('validation', 'an upsert needs data: the full row as an object', 'data');
          end if;
          if v_data ? 'id' and v_data ->> 'id' is distinct from v_key::text then
            perform private.reject('validation',
              format('data.id (%s) does not match key (%s)', v_data ->> 'id', v_key), 'id');
          end if;
        end if;

        if private.ledger_claim(client_id, v_id::uuid) then
          -- Names the one row this mutation writes, for trigger guard_client_write (which stamps it,
          -- or raises CS409 when a later write of this device got there first).
          perform pg_catalog.set_config('consult.client_write',
            case when v_seq is null then ''
              else pg_catalog.format('%s:%s:%s:%s', client_id, v_seq, v_entity, v_key) end,
            true);
          if v_entity = 'patients' then
            v_row := private.apply_patient(v_op, v_key, v_data);
          else
            v_row := private.apply_appointment(v_op, v_key, v_data);
          end if;
          if v_op = 'delete' and v_seq is not null then
            perform private.stamp_delete(v_entity, v_key, client_id, v_seq);
          end if;
          v_answer := jsonb_build_object('id', v_id, 'status', 'applied', 'row', v_row);
        else
          -- Claimed earlier in this very call (the same mutation twice in one batch): its answer
          -- is not in the ledger yet.
          v_seen := array_position(v_applied_ids, v_id::uuid);
          v_stored := case when v_seen is not null then v_applied_answers[v_seen]
            else private.ledger_answer(client_id, v_id::uuid) end;
          if v_stored is null then
            perform private.reject('forbidden',
              format('mutation %s was already pushed by another user', v_id));
          end if;
          v_answer := jsonb_build_object('id', v_id, 'status', 'duplicate', 'first', v_stored);
        end if;
      exception
        -- Superseded: this device already wrote the row (or deleted it) with a later seq, so this is an
        -- old request that arrived late. Nothing was applied (the savepoint is undone, with the
        -- claim); claim it again here, outside the savepoint, and answer `applied` with the row as
        -- it is, so the device keeps the newer state and a replay gets `duplicate`.
        when sqlstate 'CS409' then
          if private.ledger_claim(client_id, v_id::uuid) then
            v_answer := jsonb_build_object('id', v_id, 'status', 'applied',
              'row', private.canonical_row(v_entity, v_key));
          else
            v_seen := array_position(v_applied_ids, v_id::uuid);
            v_stored := case when v_seen is not null then v_applied_answers[v_seen]
              else private.ledger_answer(client_id, v_id::uuid) end;
            v_answer := case when v_stored is null
              then jsonb_build_object('id', v_id, 'status', 'rejected', 'code', 'forbidden',
                'message', pg_catalog.format('mutation %s was already pushed by another user', v_id),
                'field', null)
              else jsonb_build_object('id', v_id, 'status', 'duplicate', 'first', v_stored) end;
          end if;
        -- Class 23 (integrity), 22 (bad data), 42501 (RLS) and our own rejections become answers;
        -- anything else (deadlock, serialization failure, cancel) fails the whole call so the client
        -- retries the batch.
        when sqlstate 'CS400' or integrity_constraint_violation or data_exception or insufficient_privilege then
          get stacked diagnostics
            v_sqlstate = returned_sqlstate,
            v_message = message_text,
            v_detail = pg_exception_detail,
            v_column = column_name,
            v_constraint = constraint_name;
          v_field := nullif(v_column, '');
          if v_sqlstate = 'CS400' then
            v_code := v_detail;
          elsif v_sqlstate = '23505' and v_constraint = 'appointments_one_active_per_slot' then
            v_code := 'slot_taken';
            v_field := 'slot_id';
            v_message := format('slot %s is already booked; pick another slot', v_data ->> 'slot_id');
          elsif v_sqlstate = '23505' and v_constraint = 'patients_user_id_key' then
            v_code := 'conflict';
            v_message := 'this account already has a patient profile; update that one instead';
          elsif v_sqlstate = '23503' and v_constraint = 'appointments_patient_id_fkey' then
            v_code := 'missing_parent';
            v_field := 'patient_id';
            v_message := format('patient %s does not exist on the server', v_data ->> 'patient_id');
          elsif v_sqlstate = '23503' then
            v_code := 'validation';
            v_field := coalesce(private.constraint_field(v_constraint), v_field);
            v_message := format('%s refers to a row that does not exist', coalesce(v_field, 'a reference'));
          elsif v_sqlstate in ('23514', '23502') then
            v_code := 'validation';
            v_field := coalesce(v_field, private.constraint_field(v_constraint));
          elsif v_sqlstate = '42501' then
            v_code := 'forbidden';
          elsif v_sqlstate like '23%' then
            v_code := 'conflict';
          else
            v_code := 'validation';
          end if;
          v_answer := jsonb_build_object(
            'id', v_id, 'status', 'rejected', 'code', v_code, 'message', v_message, 'field', v_field
          );
      end;

      -- Outside the block: a local variable changed inside it would survive its rollback.
      if v_answer ->> 'status' = 'applied' then
        v_applied_ids := array_append(v_applied_ids, v_id::uuid);
        v_applied_answers := array_append(v_applied_answers, v_answer);
      end if;
      v_results[v_pos] := v_answer;
    end if;

    if v_results[v_pos] ->> 'status' in ('rejected', 'blocked') and jsonb_typeof(v_m) = 'object' then
      v_any_failed := true;
      v_blocker := coalesce(v_results[v_pos] ->> 'blockedBy', v_id);
      if v_id is not null then
        v_failed := v_failed || jsonb_build_object(v_id, v_blocker);
      end if;
      if v_m ? 'entity' and v_m ? 'key' then
        v_failed_rows := v_failed_rows
          || jsonb_build_object((v_m ->> 'entity') || ':' || (v_m ->> 'key'), v_blocker);
      end if;
    end if;
  end loop;

  perform pg_catalog.set_config('consult.client_write', '', true);
  perform private.ledger_record_all(client_id, v_applied_ids, v_applied_answers);
  return to_jsonb(v_results);
end;
$$;


comment on function public.sync_push(uuid, json) is
  'Applies a batch of device mutations exactly once; see sync/protocol.ts. Over PUSH_LIMITS: SQLSTATE PT413 (HTTP 413).';

revoke all on function public.sync_push(uuid, json) from public, anon;
grant execute on function public.sync_push(uuid, json) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- sync_pull(since, max_rows): one page of the rows the caller may see that changed after a cursor,
-- reference data, tombstones, the next cursor and `hasMore` (sync/protocol.ts pullResponse).
--
-- The cursor is a transaction id bound. Every write stamps its row with the writer's transaction id
-- (txid). A pull returns rows with since <= txid < bound, where bound is the oldest transaction
-- still running when the pull's snapshot was taken (pg_snapshot_xmin): every transaction below it
-- has ended, so its rows are visible now and will never change txid again, while a transaction
-- still open — even one that started long ago and commits later — has txid >= bound and is
-- delivered by a later pull. Each row version is thus delivered exactly once: never skipped, never
-- repeated. An updated_at cursor would skip rows whose transaction commits after a later one.
--
-- Paging: a kiosk's first pull (its clinic's walk-ins, their appointments, every future slot) runs
-- to megabytes. Every change the caller may see — rows of the five tables and tombstones — is
-- delivered in one total order, (txid, table rank, id), at most max_rows per call.
--
-- The cursor is a position in that order:
-- * `<xid8>`: everything with txid >= it (what a finished pull hands out: the bound below);
-- * `<xid8>:<rank>:<uuid>`: everything after that row (a page that stopped inside the changes).
-- Each call computes its own bound, pg_snapshot_xmin of its snapshot, and delivers only positions
-- below it. Why a page that ends inside one transaction's rows cannot lose anything:
-- * every transaction with txid below the bound has ended, so the rows it left are all visible now
--   and the rest of its rows are still there for the next page, in the same order;
-- * a row written after this page gets the txid of a transaction that was still running or not
--   yet started when this page's snapshot was taken, so txid >= this bound > every position this
--   page delivered: a rewritten row moves forward in the order, never behind the cursor, and comes
--   again (as its newer version) in a later page;
-- * a transaction still open now (even one that started long ago) has txid >= the bound; its rows
--   come once it commits.
-- So every committed change is delivered, and a row version at most once (the positions only grow).
-- The bound is not carried between pages: a later page's bound is only larger, and every position
-- below it is final for the reason above.
--
-- Ranks, within one transaction: 1 clinics, 2 doctors, 3 slots, 4 patients, 5 appointments,
-- 6 deleted patients, 7 deleted appointments. A pull with no cursor (the first, or after a sign-out)
-- sends no tombstones on its first page: nothing is on the device to delete. Later pages of it do
-- (a row the first page gave may have been deleted since); some of them name rows the device never
-- had, which it ignores.
--
-- max_rows defaults to 1000 (about half a megabyte); the one-argument call of older clients gets
-- the first page and the position, and picks up the rest at its next pull. Answers from 1 to 10,000
-- rows; anything else is refused (22023).
--
-- Security invoker: row level security decides what each caller sees. Stable: one snapshot for the
-- bound and every read, and a read-only transaction under PostgREST.
-- ---------------------------------------------------------------------------------------------

create function public.sync_pull(since text default null, max_rows integer default 1000) returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  c_most constant integer := 10000;
  v_bound xid8 := pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot());
  v_max integer := coalesce(max_rows, 1000);
  -- Deliver positions strictly after (v_txid, v_rank, v_id); rank 0 and the nil uuid sit before
  -- every real row of a txid.
  v_txid xid8 := '0'::xid8;
  v_rank integer := 0;
  v_id uuid := '00000000-0000-0000-0000-000000000000';
  v_first boolean := true;
  v_parts text[];
  v_txids xid8[];
  v_ranks integer[];
  v_ids uuid[];
  v_more boolean;
begin
  if (select auth.uid()) is null then
    raise exception 'sync_pull needs a signed-in user' using errcode = '42501';
  end if;
  if v_max < 1 or v_max > c_most then
    raise exception 'sync_pull: max_rows must be between 1 and %, not %', c_most, v_max
      using errcode = '22023';
  end if;
  if nullif(since, '') is not null then
    v_parts := pg_catalog.regexp_match(since,
      '^([0-9]{1,19})(?::([1-7]):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))?$');
    if v_parts is null then
      raise exception 'sync_pull: "%" is not a cursor this server gave out; pass null to start over', since
        using errcode = '22023';
    end if;
    v_txid := v_parts[1]::xid8;
    v_first := false;
    if v_parts[2] is not null then
      v_rank := v_parts[2]::integer;
      v_id := v_parts[3]::uuid;
    end if;
    -- A cursor from the future came from another database (a reset local stack, another project):
    -- start over rather than wait for transaction ids to catch up. A position is always below the
    -- bound of the page that gave it, and bounds only grow.
    if v_txid > v_bound or (v_txid = v_bound and v_rank > 0) then
      v_txid := '0'::xid8;
      v_rank := 0;
      v_id := '00000000-0000-0000-0000-000000000000';
      v_first := true;
    end if;
  end if;

  -- The page's positions first, without building any JSON: one more than asked, to know whether
  -- anything is left. Each branch reads its txid index from the cursor's transaction on.
  select
    coalesce(array_agg(k.txid order by k.txid, k.rank, k.id), '{}'),
    coalesce(array_agg(k.rank order by k.txid, k.rank, k.id), '{}'),
    coalesce(array_agg(k.id order by k.txid, k.rank, k.id), '{}')
  into v_txids, v_ranks, v_ids
  from (
    select c.txid, c.rank, c.id
    from (
      select r.txid, 1 as rank, r.id from public.clinics r where r.txid >= v_txid and r.txid < v_bound
      union all
      select r.txid, 2, r.id from public.doctors r where r.txid >= v_txid and r.txid < v_bound
      union all
      -- Slots that have ended can no longer be booked; devices need not carry them. Appointments
      -- keep their own copy of doctor, mode and times.
      select r.txid, 3, r.id from public.slots r
      where r.txid >= v_txid and r.txid < v_bound and r.ends_at > pg_catalog.now()
      union all
      select r.txid, 4, r.id from public.patients r where r.txid >= v_txid and r.txid < v_bound
      union all
      select r.txid, 5, r.id from public.appointments r where r.txid >= v_txid and r.txid < v_bound
      union all
      select t.txid, case t.entity when 'patients' then 6 else 7 end, t.id
      from public.sync_tombstones t
      where not v_first and t.txid >= v_txid and t.txid < v_bound
    ) c
    where (c.txid, c.rank, c.id) > (v_txid, v_rank, v_id)
    order by c.txid, c.rank, c.id
    limit v_max + 1
  ) k;

  v_more := cardinality(v_ids) > v_max;
  if v_more then
    v_txids := v_txids[1:v_max];
    v_ranks := v_ranks[1:v_max];
    v_ids := v_ids[1:v_max];
  end if;

  -- Same snapshot (a stable function): the rows are as the positions were read.
  return jsonb_build_object(
    'cursor', case when v_more
      then pg_catalog.format('%s:%s:%s', v_txids[v_max], v_ranks[v_max], v_ids[v_max])
      else v_bound::text end,
    'hasMore', v_more,
    'changes', jsonb_build_object(
      'patients', (
        select coalesce(jsonb_agg(private.wire_row(to_jsonb(r)) order by r.txid, r.id), '[]'::jsonb)
        from public.patients r
        where r.id in (select u.id from unnest(v_ranks, v_ids) as u(rank, id) where u.rank = 4)
      ),
      'appointments', (
        select coalesce(jsonb_agg(private.wire_row(to_jsonb(r)) order by r.txid, r.id), '[]'::jsonb)
        from public.appointments r
        where r.id in (select u.id from unnest(v_ranks, v_ids) as u(rank, id) where u.rank = 5)
      ),
      'clinics', (
        select coalesce(jsonb_agg(private.wire_row(to_jsonb(r)) order by r.txid, r.id), '[]'::jsonb)
        from public.clinics r
        where r.id in (select u.id from unnest(v_ranks, v_ids) as u(rank, id) where u.rank = 1)
      ),
      'doctors', (
        select coalesce(jsonb_agg(private.wire_row(to_jsonb(r)) order by r.txid, r.id), '[]'::jsonb)
        from public.doctors r
        where r.id in (select u.id from unnest(v_ranks, v_ids) as u(rank, id) where u.rank = 2)
      ),
      'slots', (
        select coalesce(jsonb_agg(private.wire_row(to_jsonb(r)) order by r.txid, r.id), '[]'::jsonb)
        from public.slots r
        where r.id in (select u.id from unnest(v_ranks, v_ids) as u(rank, id) where u.rank = 3)
      )
    ),
    'deleted', (
      select coalesce(jsonb_agg(jsonb_build_object(
          'entity', case u.rank when 6 then 'patients' else 'appointments' end, 'id', u.id) order by u.n),
        '[]'::jsonb)
      from unnest(v_ranks, v_ids) with ordinality as u(rank, id, n)
      where u.rank in (6, 7)
    )
  );
end;
$$;


comment on function public.sync_pull(text, integer) is
  'One page (at most max_rows) of the rows the caller may see changed since a cursor, plus reference '
  'data and tombstones; hasMore says whether to call again with the new cursor. See sync/protocol.ts.';

revoke all on function public.sync_pull(text, integer) from public, anon;
grant execute on function public.sync_pull(text, integer) to authenticated;
