import { describe, expect, it } from 'vitest';
import type { Mutation } from '../protocol.ts';
import { CLINIC_ID, patientRow, REFERENCE_DATA } from './fixtures.ts';
import { InProcessServer } from './in-process-server.ts';
import { seededIds } from './seeded-random.ts';
import { beforeIsolationRefusal, bodyLimitRefusal, postgrestRefusal } from './whole-call-refusals.ts';

const ids = seededIds(31);
const clientId = ids();
const identity = { userId: ids(), staffClinicId: CLINIC_ID };

function upsert(fullName = 'Asha Devi'): Mutation {
  const p = patientRow(ids(), { full_name: fullName });
  return {
    id: ids(),
    clientId,
    entity: 'patients',
    op: 'upsert',
    key: p.id,
    data: p,
    deps: [],
    actor: null,
    createdAt: '2030-01-01T00:00:00Z',
  };
}

/** What the in-process server answers a push of `mutations` through the wire (JSON both ways). */
async function answer(server: InProcessServer, mutations: readonly unknown[]) {
  const transport = server.transport(identity);
  return transport.push(clientId, mutations as Mutation[]).catch((e: unknown) => e);
}

describe('the in-process server refuses a whole call as PostgREST does', () => {
  it.each(['Asha \ud800', '\udfffAsha', 'A\udc00\ud800'])(
    'a lone surrogate anywhere (%j): 400 PGRST102, nothing applied',
    async (name) => {
      const server = new InProcessServer(REFERENCE_DATA);
      expect(await answer(server, [upsert(), upsert(name)])).toMatchObject({
        name: 'SyncTransportError',
        kind: 'bad_request',
        status: 400,
        message: 'sync_push: 400 PGRST102 Empty or invalid json',
      });
      expect(server.rows('patients')).toEqual([]);
    },
  );

  it('a surrogate pair (a real character beyond the basic plane) goes through', async () => {
    const server = new InProcessServer(REFERENCE_DATA);
    expect(await answer(server, [upsert('Asha 🙂')])).toMatchObject([{ status: expect.any(String) }]);
    expect(postgrestRefusal({ clientId, mutations: [upsert('Asha 🙂')] })).toBeNull();
  });

  it('today, U+0000 is answered per mutation (push isolation): rejected, the rest applied', async () => {
    const server = new InProcessServer(REFERENCE_DATA);
    const results = await answer(server, [upsert(), upsert('Asha\u0000')]);
    expect(results).toMatchObject([
      { status: 'applied' },
      { status: 'rejected', code: 'validation', field: 'full_name' },
    ]);
  });

  it.each([
    ['U+0000', [upsert('Asha\u0000')], '22P05'],
    ['a null entity', [{ ...upsert(), entity: null }], '22004'],
    ['a null key', [{ ...upsert(), key: null }], '22004'],
  ])('before push isolation, %s fails the whole call: 400 %s', async (_, bad, code) => {
    const server = new InProcessServer(REFERENCE_DATA);
    server.refuseWholeCall = beforeIsolationRefusal;
    const error = await answer(server, [upsert(), ...bad]);
    expect(error).toMatchObject({ kind: 'bad_request', status: 400 });
    expect(String((error as Error).message)).toContain(code);
    expect(server.rows('patients')).toEqual([]);
  });

  it('a body limit answers 413 PT413 over it, and lets a smaller call through', async () => {
    const one = upsert();
    const bytes = JSON.stringify({ client_id: clientId, mutations: [one] }).length;
    const refuse = bodyLimitRefusal(bytes);
    expect(refuse({ clientId, mutations: [one] })).toBeNull();
    expect(refuse({ clientId, mutations: [one, upsert()] })).toMatchObject({
      status: 413,
      kind: 'bad_request',
    });
  });
});
