-- private.wire_row, inlinable (issue 10, the kiosk crowd).
--
-- A pull calls wire_row once per row it sends: 1.14 million calls when 100 kiosks make their first
-- pull at once (10,000 rows each), 8% of the database time of that run (track_functions). Postgres
-- inlines a one-line SQL function into the query that calls it, so it costs no call at all, but
-- never one that carries a SET clause, and `set search_path = ''` was that clause. The body needs
-- no search path: `-` on jsonb and text[] is a pg_catalog operator, always found first, and the
-- function is not security definer, so a caller's search path can give it no more than the
-- caller already has. Same signature, result and grants; CREATE OR REPLACE drops the old SET.
create or replace function private.wire_row(p_row jsonb) returns jsonb
language sql
immutable
as $$
  select p_row - array['txid', 'last_client_id', 'last_client_seq']
$$;
