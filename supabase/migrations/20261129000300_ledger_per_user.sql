-- The ledger is keyed by user (issue 8, part 5). Keyed by (client_id, mutation_id) alone, another
-- account holding A's client_id could learn whether a mutation id existed (`forbidden` versus
-- `applied`), and claim a mutation id before A sent it, so that A's write was refused for good.
-- Now each account has its own ledger: the same ids pushed by another account are that account's
-- own mutations, evaluated on their own, and tell it nothing about A's.

alter table public.sync_ledger drop constraint sync_ledger_pkey;
alter table public.sync_ledger add constraint sync_ledger_pkey primary key (user_id, client_id, mutation_id);
-- The primary key now leads with user_id (deleting an auth user cascades through it).
drop index public.sync_ledger_user_id_idx;

create or replace function private.ledger_claim(p_client uuid, p_mutation uuid) returns boolean
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- Waits while another transaction of the same account holds an uncommitted claim on the same
  -- mutation; then either claims it (that one rolled back) or does nothing (it committed).
  insert into public.sync_ledger (client_id, mutation_id, user_id)
  values (p_client, p_mutation, (select auth.uid()))
  on conflict (user_id, client_id, mutation_id) do nothing;
  return found;
end;
$$;

-- Every answer of one call in one statement; each row conflicts with this call's own claim.
create or replace function private.ledger_record_all(p_client uuid, p_mutations uuid[], p_answers jsonb[]) returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.sync_ledger as l (client_id, mutation_id, user_id, answer)
  select p_client, r.mutation_id, (select auth.uid()), r.answer
  from unnest(p_mutations, p_answers) as r(mutation_id, answer)
  on conflict (user_id, client_id, mutation_id) do update set answer = excluded.answer
$$;
