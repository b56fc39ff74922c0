-- An appointment's status is decided by the state machine (20261129200000_appointment_states.sql),
-- not by the field-level rule of 20261129100000_field_level_writes.sql (the first write to reach the
-- server keeps a field). With that rule a stale status write was answered `applied` with a conflict
-- and never reached the state machine: a check-in after a no-show stayed no_show, and a patient's
-- offline cancel of an appointment the clinic had confirmed meanwhile was dropped, though cancelling a
-- confirmed appointment before its start is allowed. Now a status in `base` always goes through; the
-- guard trigger applies it or answers `transition`. Other fields keep the field-level rule.
-- (The in-process model: STATE_MACHINE_FIELDS in sync/field-changes.ts.)

create or replace function private.field_level_data(p_entity text, p_key uuid, p_data jsonb, p_base jsonb) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  -- Columns only the server sets: an edit never changes them (sync/field-changes.ts SERVER_FIELDS).
  c_server_fields constant text[] := array['id', 'created_at', 'updated_at', 'version', 'user_id',
    'registered_by', 'clinic_id', 'join_url'];
  v_current jsonb;
  v_data jsonb;
  v_conflicts jsonb := '[]';
  v_field text;
begin
  if p_entity = 'patients' then
    select private.wire_row(to_jsonb(r)) into v_current from public.patients r where r.id = p_key for update;
  else
    select private.wire_row(to_jsonb(r)) into v_current from public.appointments r where r.id = p_key for update;
  end if;
  if v_current is null then
    return jsonb_build_object('data', p_data, 'conflicts', v_conflicts);
  end if;
  v_data := v_current;
  for v_field in select k from jsonb_object_keys(p_base) as k order by k loop
    continue when v_field = any (c_server_fields);
    -- An appointment's status is the state machine's to decide (appointments_10_guard), not first
    -- write wins: a stale status write goes through to it and is applied or refused (`transition`).
    if (p_entity = 'appointments' and v_field = 'status')
      or private.same_field_value(v_field, v_current -> v_field, p_base -> v_field)
      or private.same_field_value(v_field, v_current -> v_field, p_data -> v_field)
    then
      v_data := v_data || jsonb_build_object(v_field, coalesce(p_data -> v_field, 'null'::jsonb));
    else
      v_conflicts := v_conflicts || jsonb_build_array(jsonb_build_object(
        'field', v_field,
        'yours', coalesce(p_data -> v_field, 'null'::jsonb),
        'theirs', coalesce(v_current -> v_field, 'null'::jsonb)));
    end if;
  end loop;
  return jsonb_build_object('data', v_data, 'conflicts', v_conflicts);
end;
$$;
