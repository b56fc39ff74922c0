-- A deletion marker reaches every account that could see the row, and nobody else.
--
-- Before: an appointment's tombstone carried its patient's user and the patient's clinic only, yet
-- the appointment is also visible (appointments_select) to the staff of its doctor's clinic. A
-- patient who deleted a booking with clinic B's doctor left clinic B's devices with a copy of a
-- booking that no longer existed: their pulls never carried its marker.
--
-- Who sees what (the row's policies) and who now sees its marker:
-- * a patient: its user, the staff of its clinic: owner_user_id, clinic_id (unchanged);
-- * an appointment: its patient's user and the patient's clinic (owner_user_id, clinic_id, as
--   before), and the staff of its doctor's clinic: the new doctor_clinic_id, read from the doctor
--   when the row goes (a patient's delete cascading to their appointments included).
-- No wider: another clinic's staff see neither the row nor its marker.
--
-- doctor_clinic_id widens who may READ a marker, never who may act on it: private.owns_tombstone
-- (stamp_delete's authorisation) and private.clear_tombstone (re-creating a deleted id) still look
-- at owner_user_id and clinic_id only, so the doctor's clinic gains no new right. It could not
-- delete the booking before either (appointments_delete follows the patient).
--
-- Markers written before this migration have no doctor_clinic_id (the deleted rows, and so their
-- doctors, are gone). A staff device that kept a copy of such a booking keeps it until it pulls from
-- the start again (a sign-out, or PT410 after the retention's purge). Nothing here forces that.

alter table public.sync_tombstones add column doctor_clinic_id uuid;

-- sync_pull reads markers by txid and filters them by this policy; the index serves a clinic's
-- own markers when the planner goes by clinic.
create index sync_tombstones_doctor_clinic_id_idx on public.sync_tombstones (doctor_clinic_id);

alter policy sync_tombstones_select on public.sync_tombstones
  using (
    owner_user_id = (select auth.uid())
    or clinic_id = (select private.staff_clinic_id())
    or doctor_clinic_id = (select private.staff_clinic_id())
  );

create or replace function private.record_tombstone() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_owner uuid;
  v_clinic uuid;
  v_doctor_clinic uuid;
begin
  if tg_table_name = 'patients' then
    v_owner := old.user_id;
    v_clinic := old.clinic_id;
  else
    select p.user_id, p.clinic_id into v_owner, v_clinic from public.patients p where p.id = old.patient_id;
    if not found then
      -- A patient's delete cascading: the patient's own marker is written first (BEFORE DELETE).
      select t.owner_user_id, t.clinic_id into v_owner, v_clinic
      from public.sync_tombstones t where t.entity = 'patients' and t.id = old.patient_id;
    end if;
    -- The doctor's clinic saw the booking (appointments_select): it must see it go.
    v_doctor_clinic := (select d.clinic_id from public.doctors d where d.id = old.doctor_id);
  end if;
  insert into public.sync_tombstones as t (entity, id, owner_user_id, clinic_id, doctor_clinic_id)
  values (tg_table_name, old.id, v_owner, v_clinic, v_doctor_clinic)
  on conflict (entity, id) do update
    set owner_user_id = excluded.owner_user_id,
        clinic_id = excluded.clinic_id,
        doctor_clinic_id = excluded.doctor_clinic_id,
        deleted_at = pg_catalog.now(),
        txid = pg_catalog.pg_current_xact_id();
  return old;
end;
$$;

-- A booking that leaves a clinic's view without being deleted is the same loss: a requested booking
-- moved (by its patient, or by the staff of the patient's clinic) to another clinic's doctor, or back
-- to an open request with no doctor, is no longer visible to the first doctor's clinic, so its pulls
-- stop carrying it, and its devices keep the old copy in their queue (a status change from there
-- is then refused as another clinic's booking). The app treats "no longer mine to see" as gone:
-- that clinic gets a deletion marker for it, in sync_pull's `deleted` like any other.
--
-- public.sync_departures holds one marker per booking and clinic it left, readable by that clinic's
-- staff only (the patient still sees the row, the new clinic gets the row). It is not written when
-- the clinic still sees the booking through its patient (a walk-in of that clinic), nor for a
-- version of the row that no other transaction saw (moved twice in one push: only the first clinic
-- saw it). A booking that comes back to the clinic drops the marker: the row comes with its new
-- txid, after the marker in pull order anyway. Retention purges markers with the tombstones.
--
-- A doctor moved to another clinic by the back office (the service role; devices cannot) moves all
-- their bookings at once: the old clinic gets a departure for each (but its walk-ins'), and the
-- bookings are touched so that the new clinic, which could not see them before, pulls them (their
-- txids were older than its cursor).
--
-- Not covered: a patient given another user or clinic by the back office (devices cannot change
-- either: patients_guard_owner). The old owner's devices would keep the profile and its bookings;
-- that needs departures for a user, not only for a clinic.

create table public.sync_departures (
  id uuid not null,
  clinic_id uuid not null,
  departed_at timestamptz not null default now(),
  txid xid8 not null default pg_current_xact_id(),
  primary key (id, clinic_id)
);
create index sync_departures_clinic_id_idx on public.sync_departures (clinic_id);
create index sync_departures_txid_idx on public.sync_departures (txid);

revoke all on public.sync_departures from anon;
revoke insert, update, delete, truncate on public.sync_departures from authenticated;
alter table public.sync_departures enable row level security;
create policy sync_departures_select on public.sync_departures for select to authenticated
  using (clinic_id = (select private.staff_clinic_id()));

create function private.record_departure() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_from uuid := (select d.clinic_id from public.doctors d where d.id = old.doctor_id);
  v_to uuid := (select d.clinic_id from public.doctors d where d.id = new.doctor_id);
begin
  if v_from is not distinct from v_to then
    return null;
  end if;
  -- Back in a clinic's view: that clinic gets the row (its txid is this transaction's).
  if v_to is not null then
    delete from public.sync_departures s where s.id = new.id and s.clinic_id = v_to;
  end if;
  -- A version of the row written earlier in this transaction was never seen by that clinic.
  if v_from is not null
    and old.txid <> pg_catalog.pg_current_xact_id()
    and v_from is distinct from (select p.clinic_id from public.patients p where p.id = new.patient_id)
  then
    insert into public.sync_departures as s (id, clinic_id) values (new.id, v_from)
    on conflict (id, clinic_id) do update
      set departed_at = pg_catalog.now(), txid = pg_catalog.pg_current_xact_id();
  end if;
  return null;
end;
$$;

revoke all on function private.record_departure() from public, anon, authenticated, service_role;

create trigger appointments_45_departure
after update of doctor_id on public.appointments
for each row when (old.doctor_id is distinct from new.doctor_id)
execute function private.record_departure();

create function private.record_doctor_move() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if old.clinic_id is not null then
    insert into public.sync_departures as s (id, clinic_id)
    select a.id, old.clinic_id
    from public.appointments a
    join public.patients p on p.id = a.patient_id
    where a.doctor_id = new.id and p.clinic_id is distinct from old.clinic_id
    on conflict (id, clinic_id) do update
      set departed_at = pg_catalog.now(), txid = pg_catalog.pg_current_xact_id();
  end if;
  delete from public.sync_departures s
  using public.appointments a
  where a.doctor_id = new.id and s.id = a.id and s.clinic_id = new.clinic_id;
  -- A new version of each (trigger stamp_synced_row): the new clinic's next pull carries them. The
  -- triggers that judge a device's write let the definer's update through.
  update public.appointments a set updated_at = pg_catalog.now() where a.doctor_id = new.id;
  return null;
end;
$$;

revoke all on function private.record_doctor_move() from public, anon, authenticated, service_role;

create trigger doctors_moved_clinic
after update of clinic_id on public.doctors
for each row when (old.clinic_id is distinct from new.clinic_id)
execute function private.record_doctor_move();

-- Retention (20261129000800): departures are purged with the tombstones, and the horizon covers
-- both (a cursor older than a purged departure may have missed it: PT410, a full resync).
create or replace function public.purge_sync_history(keep_days integer default 90) returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_cutoff timestamptz;
  v_ledger bigint;
  v_tombstones bigint;
  v_departures bigint;
  v_horizon xid8;
  v_departed xid8;
begin
  -- A week at the least: a phone switched off over a holiday must not need a full resync.
  if keep_days is null or keep_days < 7 then
    raise exception 'purge_sync_history: keep_days must be 7 or more, not %', keep_days using errcode = '22023';
  end if;
  v_cutoff := pg_catalog.now() - pg_catalog.make_interval(days => keep_days);
  delete from public.sync_ledger l where l.created_at < v_cutoff;
  get diagnostics v_ledger = row_count;
  with gone as (
    delete from public.sync_tombstones t where t.deleted_at < v_cutoff returning t.txid
  )
  select count(*), (select g.txid from gone g order by g.txid desc limit 1) into v_tombstones, v_horizon
  from gone;
  with gone as (
    delete from public.sync_departures d where d.departed_at < v_cutoff returning d.txid
  )
  select count(*), (select g.txid from gone g order by g.txid desc limit 1) into v_departures, v_departed
  from gone;
  -- greatest() skips a null: whichever of the two purged anything.
  v_horizon := greatest(v_horizon, v_departed);
  if v_horizon is not null then
    insert into private.settings as s (key, value) values ('sync_history_horizon', v_horizon::text)
    on conflict (key) do update
      set value = greatest(s.value::xid8, excluded.value::xid8)::text, updated_at = pg_catalog.now();
  end if;
  return jsonb_build_object(
    'ledger', v_ledger,
    'tombstones', v_tombstones,
    'departures', v_departures,
    'horizon', private.sync_history_horizon()::text
  );
end;
$$;

comment on function public.purge_sync_history(integer) is
  'Deletes sync ledger rows, tombstones and departures older than keep_days (at least 7; default 90). Service role only; schedule it daily (supabase/OPERATIONS.md). A device whose pull cursor predates the purge gets SQLSTATE PT410 and pulls everything again.';

-- sync_pull: as in 20261202200000_kiosk_catch_up.sql, with the departures beside the tombstones.
create or replace function public.sync_pull(
  since text default null,
  max_rows integer default 1000,
  max_bytes integer default 262144,
  kiosk boolean default false
) returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  c_most constant integer := 10000;
  c_least_bytes constant integer := 1024;
  c_most_bytes constant integer := 8388608;
  -- The answer's envelope: cursor, hasMore, the table keys, empty arrays.
  c_envelope_bytes constant integer := 256;
  -- A compact slot: 32 hex digits of id, its start step and a `taken` index with separators. A
  -- step is the gap to the previous start (4 digits for 30 minutes); 16 covers the first start of
  -- a run (10 digits) and steps up to days.
  c_slot_bytes constant integer := 32 + 16 + 8;
  -- A run's heading: the keys, a doctor id, a mode, a length.
  c_run_bytes constant integer := 160;
  c_tombstone_bytes constant integer := 72;
  v_bound xid8 := pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot());
  v_max integer := coalesce(max_rows, 1000);
  v_budget integer := coalesce(max_bytes, 262144);
  -- The most rows the page can hold (see the top): positions read are one more than this.
  v_read integer;
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
  -- The page's rows, each built once (to size the page and to send it).
  v_patients jsonb;
  v_appointments jsonb;
  v_clinics jsonb;
  v_doctors jsonb;
  v_given integer;
  v_last integer;
  -- The window: slots starting before v_end. Slots starting in [v_prev_end, v_end) and older than
  -- the cursor's txid entered it since the cursor was handed out: they come first (rank 0).
  v_end timestamptz := private.slot_window_end();
  v_prev_end timestamptz;
begin
  if (select auth.uid()) is null then
    raise exception 'sync_pull needs a signed-in user' using errcode = '42501';
  end if;
  if v_max < 1 or v_max > c_most then
    raise exception 'sync_pull: max_rows must be between 1 and %, not %', c_most, v_max
      using errcode = '22023';
  end if;
  if v_budget < c_least_bytes or v_budget > c_most_bytes then
    raise exception 'sync_pull: max_bytes must be between % and %, not %', c_least_bytes, c_most_bytes, v_budget
      using errcode = '22023';
  end if;
  v_read := least(v_max, greatest(1, (v_budget - c_envelope_bytes) / (c_slot_bytes + 2)));
  v_prev_end := v_end;
  if nullif(since, '') is not null then
    v_parts := pg_catalog.regexp_match(since,
      '^([0-9]{1,19})(?::([0-7]):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))?(?:/([0-9]{1,12})(?:/([0-9]{1,12}))?)?$');
    -- Rank 0 (a slot that entered the window) only with both ends, and both ends only there.
    if v_parts is null or coalesce(v_parts[2] = '0', false) <> (v_parts[5] is not null) then
      -- Quoted short: the cursor comes from the caller and may be of any length.
      raise exception 'sync_pull: "%" is not a cursor this server gave out; pass null to start over',
        case when char_length(since) > 40 then left(since, 40) || '…' else since end
        using errcode = '22023';
    end if;
    v_txid := v_parts[1]::xid8;
    v_first := false;
    if v_parts[2] is not null then
      v_rank := v_parts[2]::integer;
      v_id := v_parts[3]::uuid;
    end if;
    if v_parts[4] is not null then
      if v_parts[2] is not null then
        -- Inside a pull: keep its window; among the window's new slots, also where they began.
        v_end := pg_catalog.to_timestamp(v_parts[4]::bigint);
        v_prev_end := coalesce(pg_catalog.to_timestamp(v_parts[5]::bigint), v_end);
      else
        -- A finished pull's window: what entered since comes first. A window that shrank (fewer
        -- days set) keeps the device's slots beyond it until the window reaches them again.
        v_prev_end := least(pg_catalog.to_timestamp(v_parts[4]::bigint), v_end);
      end if;
    end if;
    -- A cursor from the future came from another database (a reset local stack, another project):
    -- start over rather than wait for transaction ids to catch up (see the baseline's sync_pull).
    if v_txid > v_bound or (v_txid = v_bound and v_rank > 0) then
      v_txid := '0'::xid8;
      v_rank := 0;
      v_id := '00000000-0000-0000-0000-000000000000';
      v_first := true;
      v_end := private.slot_window_end();
      v_prev_end := v_end;
    end if;
    -- A finished pull's cursor older than the kept history: full resync (20261129000800_retention).
    if not v_first and v_parts[2] is null and v_txid <= private.sync_history_horizon() then
      raise exception 'sync_pull: this device last synced before the oldest history the server keeps; pull again from the start (since = null) and replace the rows on this device'
        using errcode = 'PT410', hint = 'Full resync: pull with since = null.';
    end if;
  end if;

  -- The page's positions first: one more than asked, to know whether anything is left. Each row
  -- is then built once (`built`, materialized: it is read twice) and sized from its own text (a
  -- compact slot by its bound); the page is the longest prefix whose running total fits the
  -- budget, at least one row, and its rows are aggregated from the same built values. Building a
  -- row to size it and again to send it made wire_row and to_jsonb half of a big pull's time.
  with k as (
    select c.txid, c.rank, c.id
    from (
      select r.txid, 1 as rank, r.id from public.clinics r where r.txid >= v_txid and r.txid < v_bound
      union all
      select r.txid, 2, r.id from public.doctors r where r.txid >= v_txid and r.txid < v_bound
      union all
      -- Slots that entered the window since the cursor, at the cursor's position (see above).
      select v_txid, 0, r.id from public.slots r
      where v_prev_end < v_end and r.starts_at >= v_prev_end and r.starts_at < v_end
        and r.txid < v_txid and r.ends_at > pg_catalog.now()
      union all
      -- Slots that have ended can no longer be booked, and slots beyond the window come when it
      -- reaches them: devices need not carry either.
      select r.txid, 3, r.id from public.slots r
      where r.txid >= v_txid and r.txid < v_bound and r.ends_at > pg_catalog.now() and r.starts_at < v_end
      union all
      select r.txid, 4, r.id from public.patients r where r.txid >= v_txid and r.txid < v_bound
      union all
      -- A kiosk's pull has no appointment rows (see the top of this migration).
      select r.txid, 5, r.id from public.appointments r
      where not coalesce(kiosk, false) and r.txid >= v_txid and r.txid < v_bound
      union all
      select t.txid, case t.entity when 'patients' then 6 else 7 end, t.id
      from public.sync_tombstones t
      where not v_first and t.txid >= v_txid and t.txid < v_bound
      union all
      -- A booking that left the caller's clinic's view (20261204100000): gone, as a deleted one.
      select d.txid, 7, d.id
      from public.sync_departures d
      where not v_first and d.txid >= v_txid and d.txid < v_bound
    ) c
    where (c.txid, c.rank, c.id) > (v_txid, v_rank, v_id)
    order by c.txid, c.rank, c.id
    limit v_read + 1
  ),
  built as materialized (
    select k.txid, k.rank, k.id,
      case k.rank
        when 1 then (select private.wire_row(to_jsonb(r)) from public.clinics r where r.id = k.id)
        when 2 then (select private.wire_row(to_jsonb(r)) from public.doctors r where r.id = k.id)
        -- A kiosk's patient: only what its match index and the patient schema need (see the top).
        when 4 then (select case when coalesce(kiosk, false)
            then jsonb_build_object('id', r.id, 'full_name', r.full_name, 'date_of_birth', r.date_of_birth,
              'phone', r.phone, 'sex', r.sex, 'preferred_language', r.preferred_language, 'version', r.version)
            else private.wire_row(to_jsonb(r)) end
          from public.patients r where r.id = k.id)
        when 5 then (select private.wire_row(to_jsonb(r)) from public.appointments r where r.id = k.id)
      end as row
    from k
  ),
  sized as (
    select b.txid, b.rank, b.id, b.row,
      2 + case
        when b.rank in (1, 2, 4, 5) then pg_catalog.octet_length(b.row::text)
        when b.rank in (0, 3) then case when private.slot_is_compact(s.starts_at, s.ends_at)
          then c_slot_bytes + case when pg_catalog.row_number() over (
              partition by s.doctor_id, s.mode, s.ends_at - s.starts_at, private.slot_is_compact(s.starts_at, s.ends_at)
              order by b.txid, b.rank, b.id) = 1 then c_run_bytes else 0 end
          else pg_catalog.octet_length(private.slot_row(s)::text) end
        else c_tombstone_bytes
      end as bytes
    from built b
    left join public.slots s on b.rank in (0, 3) and s.id = b.id
  ),
  totals as (
    select sized.txid, sized.rank, sized.id, sized.row,
      pg_catalog.row_number() over w as n,
      c_envelope_bytes + sum(sized.bytes) over w as total
    from sized
    window w as (order by sized.txid, sized.rank, sized.id rows between unbounded preceding and current row)
  ),
  page as (
    select t.* from totals t where t.n <= v_read and (t.n = 1 or t.total <= v_budget)
  )
  select
    coalesce((select array_agg(p.txid order by p.n) from page p), '{}'),
    coalesce((select array_agg(p.rank order by p.n) from page p), '{}'),
    coalesce((select array_agg(p.id order by p.n) from page p), '{}'),
    (select count(*) from totals),
    -- In page order, which within one table is (txid, id): the order the rows always came in.
    (select coalesce(jsonb_agg(p.row order by p.n), '[]'::jsonb) from page p where p.rank = 4),
    (select coalesce(jsonb_agg(p.row order by p.n), '[]'::jsonb) from page p where p.rank = 5),
    (select coalesce(jsonb_agg(p.row order by p.n), '[]'::jsonb) from page p where p.rank = 1),
    (select coalesce(jsonb_agg(p.row order by p.n), '[]'::jsonb) from page p where p.rank = 2)
  into v_txids, v_ranks, v_ids, v_given, v_patients, v_appointments, v_clinics, v_doctors;

  -- v_given counted every position read (up to one more than v_read): more is left if the page
  -- stopped before the last of them.
  v_more := cardinality(v_ids) < v_given;
  v_last := cardinality(v_ids);

  -- Same snapshot (a stable function): the slots are as the positions were read.
  return jsonb_build_object(
    'cursor', case when v_more
      then pg_catalog.format('%s:%s:%s/%s', v_txids[v_last], v_ranks[v_last], v_ids[v_last],
        extract(epoch from v_end)::bigint)
        || case when v_ranks[v_last] = 0 then '/' || extract(epoch from v_prev_end)::bigint else '' end
      else pg_catalog.format('%s/%s', v_bound, extract(epoch from v_end)::bigint) end,
    'hasMore', v_more,
    'changes', jsonb_build_object(
      'patients', v_patients,
      'appointments', v_appointments,
      'clinics', v_clinics,
      'doctors', v_doctors,
      'slots', private.slot_runs(array(select u.id from unnest(v_ranks, v_ids) as u(rank, id) where u.rank in (0, 3)))
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
