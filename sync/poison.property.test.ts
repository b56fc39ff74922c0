/**
 * One poison write never jams the outbox (issue 8, part 1). Random outboxes (the simulated user's
 * writes, made offline), one write among them rewritten to hold text the server refuses the whole
 * call for (a lone surrogate: PostgREST's PGRST102; U+0000: 22P05 on a server before push isolation),
 * as an old app version or a bug would have queued it, past the device's validation. Drained under
 * random transient faults with random batch sizes: the poison write ends `rejected` naming its field,
 * what depends on it `blocked`, and every other write arrives exactly once.
 * Replay a failure with FC_SEED=<seed>; FC_RUNS=<n> for a longer soak.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LocalMutation, Row } from './local-mutation.ts';
import { planOutboxSafely } from './planner.ts';
import { type EntityName, isSlotConflict, PUSH_LIMITS, type PushResult, SLOT_CONFLICTS } from './protocol.ts';
import { SyncEngine } from './sync-engine.ts';
import { CLINIC_ID, REFERENCE_DATA, SLOTS } from './testing/fixtures.ts';
import { type Fault, InProcessServer } from './testing/in-process-server.ts';
import { ManualClock } from './testing/manual-clock.ts';
import { MemoryStore } from './testing/memory-store.ts';
import { propertyRuns, propertySeed, seededIds, seededRandom } from './testing/seeded-random.ts';
import { type UserCmd, UserModel, userCmd, userFields } from './testing/user-model.ts';
import { beforeIsolationRefusal } from './testing/whole-call-refusals.ts';

const POISONS = ['\ud800', '\udbff', '\udc00', '\udfff', '\u0000'] as const;
/** The text field of each entity the poison goes into. */
const FIELD: Record<EntityName, string> = { patients: 'full_name', appointments: 'reason' };

const transient: fc.Arbitrary<Fault | null> = fc.oneof(
  fc.constant(null),
  fc.constant({ type: 'offline' as const }),
  fc.boolean().map((afterCommit) => ({ type: 'timeout' as const, afterCommit })),
  fc.constantFrom(500, 502, 503).map((status) => ({ type: 'server-error' as const, status })),
  fc.nat(20_000).map((retryAfterMs) => ({ type: 'rate-limited' as const, retryAfterMs })),
  fc.constant({ type: 'lost-after-commit' as const }),
  fc.constant({ type: 'unauthorized' as const }),
  fc.constant({ type: 'late' as const }),
);

/** Every entry that needs one of `roots` (deps or ordering), transitively. */
function dependents(roots: readonly string[], outbox: readonly LocalMutation[]): Set<string> {
  const reached = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    for (const m of outbox)
      if (!reached.has(m.id) && !roots.includes(m.id) && [...m.deps, ...m.after].includes(id)) {
        reached.add(m.id);
        queue.push(m.id);
      }
  }
  return reached;
}

interface Run {
  cmds: UserCmd[];
  pick: number;
  poison: string;
  faults: (Fault | null)[];
  maxMutations: number;
  seed: number;
}

async function poisonRun({ cmds, pick, poison, faults, maxMutations, seed }: Run) {
  const clock = new ManualClock();
  const server = new InProcessServer(REFERENCE_DATA, () => new Date(clock.now()));
  server.refuseWholeCall = beforeIsolationRefusal;
  const store = new MemoryStore({ newId: seededIds(seed), now: () => new Date(clock.now()) });
  const user = new UserModel(seededIds(seed + 1), SLOTS);
  const inner = server.transport(
    { userId: '5a5a5a5a-0000-4000-8000-000000000001', staffClinicId: CLINIC_ID },
    ({ n }) => faults[n] ?? null,
  );
  const seen: PushResult[] = [];
  const engine = new SyncEngine({
    store,
    transport: {
      push: async (clientId, mutations) => {
        const results = await inner.push(clientId, mutations);
        seen.push(...results);
        return results;
      },
      pull: (cursor, options) => inner.pull(cursor, options),
    },
    clock,
    random: seededRandom(seed + 2),
    refreshSession: async () => true,
    newId: seededIds(seed + 3),
    limits: { maxMutations, maxBytes: PUSH_LIMITS.maxBytes },
    // Windows of 1 to 4 entries in some runs: a poison found in a plan of a prefix of the outbox.
    ...(seed % 3 === 0 ? { outboxWindow: 1 + (seed % 4) } : {}),
  });

  // The outbox: the user's writes, offline; the last one a new patient, so there is always a
  // write of its own row's last state to poison.
  for (const cmd of [...cmds, { t: 'createPatient' } as const]) await user.apply(cmd, store, engine);
  const before = await store.listOutbox();
  const plan = planOutboxSafely(before);
  const wires = new Set(plan.batches.flat().map((p) => p.wire.id));
  // Create-then-delete chains never sent: dropped before anything goes, whatever they depend on.
  const vanished = new Set(plan.vanished.map((m) => m.id));
  // A write that goes on the wire as it is: an upsert, the last write of its row, not coalesced away.
  const candidates = before.filter(
    (m, i) =>
      m.op === 'upsert' &&
      wires.has(m.id) &&
      !before.slice(i + 1).some((x) => x.entity === m.entity && x.key === m.key),
  );
  const target = candidates[pick % candidates.length] as LocalMutation;
  const field = FIELD[target.entity];
  const value = `${String(target.data?.[field] ?? '')}${poison}`;
  store.memory.plant('outbox', { ...target, data: { ...target.data, [field]: value } });

  for (let round = 0; round < 40; round++) {
    await clock.advance(61_000);
    await engine.syncNow();
    if (planOutboxSafely(await store.listOutbox()).batches.length === 0) break;
  }
  await engine.stop();
  server.deliverLate();
  return { server, store, user, seen, before, vanished, target, field, value };
}

async function checkPoisonRun(r: Awaited<ReturnType<typeof poisonRun>>) {
  const { server, store, user, seen, before, vanished, target, field, value } = r;
  const outbox = await store.listOutbox();
  const byId = new Map(outbox.map((m) => [m.id, m]));

  // The poison write: rejected, naming its field, never applied.
  expect(byId.get(target.id)).toMatchObject({ state: 'rejected', error: { code: 'validation', field } });
  expect(server.applyCount.has(target.id)).toBe(false);
  for (const entity of ['patients', 'appointments'] as const)
    for (const row of server.rows(entity)) expect(Object.values(row)).not.toContain(value);

  // What needs it is blocked; only what needs a write of its row can be blocked behind it.
  for (const id of dependents([target.id], before))
    if (!vanished.has(id)) expect(byId.get(id)?.state, id).toBe('blocked');
  const sameRow = before.filter((m) => m.entity === target.entity && m.key === target.key).map((m) => m.id);
  const mayWait = dependents(sameRow, before);
  for (const m of outbox)
    if (m.blockedBy === target.id) expect(mayWait.has(m.id), `${m.id} blocked by the poison`).toBe(true);

  // Nothing else is refused but real slot conflicts; nothing sendable is left.
  for (const x of seen) if (x.status === 'rejected') expect(SLOT_CONFLICTS).toContain(x.code);
  expect(planOutboxSafely(outbox).batches).toEqual([]);
  for (const m of outbox)
    if (m.id !== target.id)
      expect(m.state === 'blocked' || isSlotConflict(m.error?.code), `${m.id} ${m.state}`).toBe(true);

  // Every other write arrived, exactly once: each row no write waits for is as the user wrote it.
  for (const [id, n] of server.applyCount) expect(n, `mutation ${id} applied ${n} times`).toBe(1);
  const unsettled = new Set(outbox.map((m) => `${m.entity}:${m.key}`));
  const serverRows = new Map<string, Row>();
  for (const entity of ['patients', 'appointments'] as EntityName[])
    for (const row of server.rows(entity)) serverRows.set(`${entity}:${String(row.id)}`, row);
  for (const k of new Set([...user.intended.keys(), ...serverRows.keys()])) {
    if (unsettled.has(k)) continue;
    const entity = k.split(':')[0] as EntityName;
    expect(userFields(entity, serverRows.get(k)), `server ${k}`).toEqual(user.intended.get(k) ?? null);
  }
}

describe('a poison write in a random outbox', () => {
  it('ends rejected with its dependents blocked; every other write arrives exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          cmds: fc.array(userCmd, { minLength: 0, maxLength: 40 }),
          pick: fc.nat(),
          poison: fc.constantFrom(...POISONS),
          faults: fc.array(transient, { maxLength: 10 }),
          maxMutations: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constant(PUSH_LIMITS.maxMutations)),
          seed: fc.nat(1e6),
        }),
        async (run) => {
          await checkPoisonRun(await poisonRun(run));
        },
      ),
      { seed: propertySeed() + 11, numRuns: propertyRuns(150) },
    );
  });
});
