-- appointments.join_url: the address of the video room of a confirmed video consultation, set by
-- the server only. Devices read it (pull, and the canonical row sync_push answers) and never write
-- it: sync_push does not read it from the device's row, and the trigger below overwrites whatever a
-- Data API write puts there.

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

alter table public.appointments add column join_url text;
comment on column public.appointments.join_url is
  'Video room of a confirmed video appointment (video_room_base + a random token: a v4 uuid, 122 random bits, without dashes); null '
  'otherwise. Set by trigger appointments_25_join_url; devices cannot set it.';

-- The link exists exactly while the appointment is confirmed and by video. The token is random, not
-- the appointment id: ids are chosen by devices and travel in tombstones and logs. A confirmed video
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
