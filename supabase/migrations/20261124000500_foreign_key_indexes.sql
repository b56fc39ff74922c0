-- Indexes for the foreign keys the first migration left uncovered, so deleting an auth user or a
-- slot does not scan the referencing table (Supabase's linter flags unindexed foreign keys).
-- appointments.slot_id has only the partial one-active-per-slot index, which a cancelled or
-- completed appointment is not in.
create index if not exists patients_registered_by_idx on public.patients (registered_by);
create index if not exists appointments_slot_id_idx on public.appointments (slot_id);
