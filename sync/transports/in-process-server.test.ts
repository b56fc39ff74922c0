import { describe, expect, it } from 'vitest';
import { isTransportError } from '../errors.ts';
import type { Mutation } from '../protocol.ts';
import { patientRow, REFERENCE_DATA, SLOTS } from '../testing/fixtures.ts';
import { seededIds } from '../testing/seeded-random.ts';
import { type Fault, InProcessServer } from './in-process-server.ts';
import { pushOrder } from './push-order.ts';
import { describeTransportContract } from './transport-contract.ts';

describeTransportContract('in-process server', async () => {
  const server = new InProcessServer(REFERENCE_DATA);
  const newId = seededIds(Math.floor(Math.random() * 1e9));
  return {
    device: async () => ({ transport: server.transport({ userId: newId() }), clientId: newId() }),
    slots: SLOTS,
    newId,
  };
});

describe('in-process server faults', () => {
  const ids = seededIds(5);
  const clientId = ids();
  const mutation = (): Mutation => {
    const p = patientRow(ids());
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
  };
  const withFault = (fault: Fault) => {
    const server = new InProcessServer(REFERENCE_DATA);
    return {
      server,
      transport: server.transport({ userId: ids(), staffClinicId: 'c' }, ({ n }) => (n === 0 ? fault : null)),
    };
  };

  it.each([
    [{ type: 'offline' }, 'network', false],
    [{ type: 'timeout', afterCommit: false }, 'timeout', false],
    [{ type: 'timeout', afterCommit: true }, 'timeout', true],
    [{ type: 'server-error', status: 503, retryAfterMs: 2000 }, 'server', false],
    [{ type: 'rate-limited', retryAfterMs: 1000 }, 'rate_limited', false],
    [{ type: 'unauthorized' }, 'unauthorized', false],
    [{ type: 'lost-after-commit' }, 'network', true],
  ] as const)('%o → %s, committed: %s', async (fault, kind, committed) => {
    const { server, transport } = withFault(fault);
    const m = mutation();
    const err = await transport.push(clientId, [m]).catch((e: unknown) => e);
    expect(isTransportError(err) && err.kind).toBe(kind);
    expect(server.applyCount.get(m.id) ?? 0).toBe(committed ? 1 : 0);
    const retry = await transport.push(clientId, [m]);
    expect(retry[0]?.status).toBe(committed ? 'duplicate' : 'applied');
    expect(server.applyCount.get(m.id)).toBe(1);
  });

  it('orders a batch parents first, then by deps and earlier writes of the same row', () => {
    const p = mutation();
    const q = mutation();
    const a: Mutation = { ...mutation(), entity: 'appointments', data: { patient_id: p.key } };
    const qDelete: Mutation = { ...mutation(), key: q.key, op: 'delete', data: null };
    expect(pushOrder([qDelete, a, p])).toEqual([2, 1, 0]);
    const p2: Mutation = { ...mutation(), key: p.key };
    const b: Mutation = { ...mutation(), deps: [p2.id] };
    expect(pushOrder([p2, p, b])).toEqual([0, 1, 2]);
    expect(pushOrder([b, p2])).toEqual([1, 0]);
  });
});
