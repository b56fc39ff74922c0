/**
 * The transport contract against the real local stack (Postgres + PostgREST + the SQL in
 * supabase/migrations), and the Supabase transport's error classification through the gateway's faults.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { newUser, resetFaults, setFaults } from '../../supabase/tests/stack-clients.ts';
import { createClinic } from '../../supabase/tests/sync-fixtures.ts';
import { patientRow } from '../testing/fixtures.ts';
import { describeTransportContract } from '../testing/transport-contract.ts';
import { SupabaseTransport } from './supabase.ts';

describeTransportContract('supabase (local stack)', async () => {
  const clinic = await createClinic(6);
  return {
    device: async () => ({
      transport: new SupabaseTransport((await newUser('contract')).client),
      clientId: randomUUID(),
    }),
    slots: clinic.slots,
    newId: randomUUID,
  };
});

describe('SupabaseTransport through the gateway', () => {
  afterEach(async () => {
    await resetFaults();
  });

  it('classifies injected failures on status: 503 with Retry-After, 429, 401, offline', async () => {
    const user = await newUser('faults');
    const t = new SupabaseTransport(user.client);
    const clientId = randomUUID();
    const p = patientRow(randomUUID());
    const m = {
      id: randomUUID(),
      clientId,
      entity: 'patients' as const,
      op: 'upsert' as const,
      key: p.id,
      data: p,
      deps: [],
      actor: null,
      createdAt: new Date().toISOString(),
    };
    await setFaults({ failNext: 1, failStatus: 503 });
    await expect(t.push(clientId, [m])).rejects.toMatchObject({
      name: 'SyncTransportError',
      kind: 'server',
      status: 503,
    });
    await setFaults({ failNext: 1, failStatus: 429 });
    await expect(t.push(clientId, [m])).rejects.toMatchObject({ kind: 'rate_limited', status: 429 });
    await setFaults({ failNext: 1, failStatus: 401 });
    await expect(t.pull(null)).rejects.toMatchObject({ kind: 'unauthorized' });
    await setFaults({ offline: true });
    await expect(t.pull(null)).rejects.toMatchObject({ kind: 'network', status: 0 });
    await resetFaults();
    // Dropped after commit: a network error to the device, yet the server holds it; the replay is a duplicate.
    await setFaults({ dropNext: 1 });
    await expect(t.push(clientId, [m])).rejects.toMatchObject({ kind: 'network' });
    const replay = await t.push(clientId, [m]);
    expect(replay[0]?.status).toBe('duplicate');
  });

  it('refuses anonymous callers with 401 (unauthorized → refresh or sign in)', async () => {
    const { anonClient } = await import('../../supabase/tests/stack-clients.ts');
    const t = new SupabaseTransport(anonClient());
    await expect(t.pull(null)).rejects.toMatchObject({ kind: 'unauthorized', status: 401 });
  });
});
