/**
 * Retention of the sync history (issue 8, part 5): the service role purges ledger rows and
 * tombstones older than the kept days; a device whose pull cursor predates the purge gets a distinct
 * error (PT410, HTTP 410) and pulls again from the start, never silently missing a deletion (nor a
 * booking's departure from a clinic's view, purged with them).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newUser, serviceClient, sql } from './stack-clients.ts';
import { createClinic, mutation, newStaff, patientRow, pull, push, upsertPatient } from './sync-fixtures.ts';

describe('sync history retention', () => {
  it('is purged by the service role only', async () => {
    const user = await newUser('purge-denied');
    const denied = await user.client.rpc('purge_sync_history', { keep_days: 90 });
    expect(denied.error?.code).toBe('42501');
    const allowed = await serviceClient().rpc('purge_sync_history', { keep_days: 90 });
    expect(allowed.error).toBeNull();
    expect(allowed.data).toMatchObject({ ledger: expect.any(Number), tombstones: expect.any(Number) });
  });

  it('deletes ledger rows and tombstones older than the kept days, and keeps the rest', async () => {
    const user = await newUser('purge');
    const clientId = randomUUID();
    const [oldOne, newOne] = [patientRow(), patientRow()];
    const writes = [upsertPatient(clientId, oldOne)];
    await push(user.client, clientId, writes);
    await push(user.client, clientId, [
      mutation(clientId, { entity: 'patients', op: 'delete', key: String(oldOne.id) }),
    ]);
    await push(user.client, clientId, [upsertPatient(clientId, newOne)]);
    await push(user.client, clientId, [
      mutation(clientId, { entity: 'patients', op: 'delete', key: String(newOne.id) }),
    ]);
    await sql(
      `update public.sync_ledger set created_at = now() - interval '100 days' where mutation_id = $1`,
      [writes[0]!.id],
    );
    await sql(`update public.sync_tombstones set deleted_at = now() - interval '100 days' where id = $1`, [
      oldOne.id,
    ]);

    const { error } = await serviceClient().rpc('purge_sync_history', { keep_days: 90 });
    expect(error).toBeNull();
    const ledger = await sql<{ n: string }>(
      'select count(*)::text as n from public.sync_ledger where user_id = $1',
      [user.userId],
    );
    expect(ledger).toEqual([{ n: '3' }]);
    const tombstones = await sql<{ id: string }>(
      'select id from public.sync_tombstones where id = any($1::uuid[])',
      [[oldOne.id, newOne.id]],
    );
    expect(tombstones).toEqual([{ id: newOne.id }]);
  });

  it('answers a cursor older than the purged history with PT410, and a pull from the start works', async () => {
    const user = await newUser('resync');
    const clientId = randomUUID();
    const patient = patientRow();
    await push(user.client, clientId, [upsertPatient(clientId, patient)]);
    const before = await pull(user.client);
    await push(user.client, clientId, [
      mutation(clientId, { entity: 'patients', op: 'delete', key: String(patient.id) }),
    ]);
    await sql(`update public.sync_tombstones set deleted_at = now() - interval '100 days' where id = $1`, [
      patient.id,
    ]);
    await serviceClient().rpc('purge_sync_history', { keep_days: 90 });

    const { error, status } = await user.client.rpc('sync_pull', { since: before.cursor });
    expect(status).toBe(410);
    expect(error).toMatchObject({ code: 'PT410' });
    expect(error?.message).toContain('pull again from the start');
    const fresh = await pull(user.client);
    expect(fresh.changes.patients.map((p) => p.id)).not.toContain(patient.id);
    await expect(pull(user.client, fresh.cursor)).resolves.toMatchObject({ hasMore: false });
  });

  it('purges departures with the tombstones, and answers a cursor older than a purged one with PT410', async () => {
    const clinic = await createClinic(1);
    const staff = await newStaff(clinic.clinicId, 'purge-departure');
    const before = await pull(staff.client);
    const [departure] = await sql<{ txid: string }>(
      `insert into public.sync_departures (id, clinic_id, departed_at) values ($1, $2, now() - interval '100 days')
       returning txid::text`,
      [randomUUID(), clinic.clinicId],
    );
    const { data, error } = await serviceClient().rpc('purge_sync_history', { keep_days: 90 });
    expect(error).toBeNull();
    expect(data).toMatchObject({ departures: expect.any(Number) });
    expect(
      await sql('select id from public.sync_departures where clinic_id = $1', [clinic.clinicId]),
    ).toEqual([]);
    expect(
      await sql<{ covered: boolean }>('select private.sync_history_horizon() >= $1::xid8 as covered', [
        departure!.txid,
      ]),
    ).toEqual([{ covered: true }]);
    const refused = await staff.client.rpc('sync_pull', { since: before.cursor });
    expect(refused.error).toMatchObject({ code: 'PT410' });
  });

  it('quotes a refused cursor short instead of echoing it whole', async () => {
    const user = await newUser('cursor');
    const { error } = await user.client.rpc('sync_pull', { since: 'x'.repeat(1_000_000) });
    expect(error?.code).toBe('22023');
    expect(error?.message.length).toBeLessThan(200);
  });
});
