-- Consult schema: reference data (clinics, doctors, slots), kiosk staff, the synced entities
-- (patients, appointments), tombstones for pull, and the sync ledger.
--
-- Every synced table carries `txid xid8`, the id of the transaction that last wrote the row. Pull
-- cursors compare against it (see sync_pull): an `updated_at` cursor would skip rows whose
-- transaction began earlier but committed later.
--
-- Column names and limits mirror sync/entities.ts (FIELD_LIMITS, PHONE_PATTERN, the enums); keep
-- both in step.

create schema if not exists private;
comment on schema private is
  'Helpers for policies, triggers and the sync RPCs; not exposed by the Data API.';
grant usage on schema private to authenticated, service_role;

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
  -- A row nobody owns would be invisible to everyone but the service role.
  constraint patients_owner_present check (user_id is not null or clinic_id is not null)
);
create index patients_clinic_id_idx on public.patients (clinic_id);
create index patients_txid_idx on public.patients (txid);

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
-- ---------------------------------------------------------------------------------------------

create table public.appointments (
  id uuid primary key,
  -- Deferred so a transaction may write an appointment before its patient; sync_push switches it
  -- to immediate so a missing patient becomes one rejected mutation, not a failed batch.
  patient_id uuid not null
    constraint appointments_patient_id_fkey references public.patients (id)
    on delete cascade deferrable initially deferred,
  doctor_id uuid not null references public.doctors (id),
  slot_id uuid not null references public.slots (id),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
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
  constraint appointments_ends_after_start check (ends_at > starts_at)
);
create index appointments_patient_id_idx on public.appointments (patient_id);
create index appointments_doctor_id_idx on public.appointments (doctor_id);
create index appointments_txid_idx on public.appointments (txid);
-- One active appointment per slot (a slot belongs to one doctor, so this is per doctor and slot).
create unique index appointments_one_active_per_slot on public.appointments (slot_id)
  where status in ('requested', 'confirmed');

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

-- The rules a device may not break, whatever path it writes through (sync_push or the Data API).
-- The back office (service role) confirms, rejects and completes, so the rules bind only API roles.
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
        or new.doctor_id is distinct from old.doctor_id or new.mode is distinct from old.mode)
    then
      perform private.reject('conflict',
        format('the appointment is already %s; only a requested appointment can be changed', old.status));
    end if;
  elsif new.status in ('confirmed', 'rejected', 'completed') then
    perform private.reject('forbidden',
      format('only the clinic can mark an appointment %s; a new booking is requested', new.status), 'status');
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

-- Keeps slots.available in step with the active appointments. Security definer: the writer cannot
-- see other patients' appointments nor write slots. Updating only on a real change keeps the slot's
-- txid (and so every device's pull) quiet otherwise.
create function private.sync_slot_availability() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.slots s
  set available = not exists (
    select from public.appointments a
    where a.slot_id = s.id and a.status in ('requested', 'confirmed')
  )
  where s.id in (
      select (case when tg_op = 'DELETE' then null else new.slot_id end)
      union all
      select (case when tg_op = 'INSERT' then null else old.slot_id end)
    )
    and s.available is distinct from not exists (
      select from public.appointments a
      where a.slot_id = s.id and a.status in ('requested', 'confirmed')
    );
  return null;
end;
$$;

create trigger appointments_30_slot_availability
  after insert or update of slot_id, status or delete on public.appointments
  for each row execute function private.sync_slot_availability();

-- ---------------------------------------------------------------------------------------------
-- Tombstones: deleted rows, so devices drop their copy on pull. Each carries the owner of the row
-- it replaces, because the row itself is gone when RLS has to decide who may see it.
-- ---------------------------------------------------------------------------------------------

create table public.sync_tombstones (
  entity text not null constraint sync_tombstones_entity_enum check (entity in ('patients', 'appointments')),
  id uuid not null,
  owner_user_id uuid,
  clinic_id uuid,
  deleted_at timestamptz not null default now(),
  txid xid8 not null default pg_current_xact_id(),
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

-- Reference data changes rarely; these serve the pull cursor.
create index clinics_txid_idx on public.clinics (txid);
create index doctors_txid_idx on public.doctors (txid);
create index slots_txid_idx on public.slots (txid);
