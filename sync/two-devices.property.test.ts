/**
 * Whole sync runs with two devices of one user (two tabs with their own stores, a phone and a
 * kiosk) editing the same patient from forms that go stale, under offline spells and lost or
 * timed-out answers. Each form shows the row as its device stored it when last looked at, and saves
 * the fields the user changed against it (field-level writes, sync/field-changes.ts).
 *
 * The invariant, checked after the network heals and both devices drained: no acknowledged field
 * edit is silently lost. Every field value a device was told was applied is either
 *   (a) in the final row on the server, or
 *   (b) was replaced by a later edit whose base was that value (its user saw it and changed it), or
 *   (c) if the answer said the field conflicted, its device holds a conflict notice for that field
 *       (unless the same device edited that field again later, which answers the notice).
 * And both devices end with the server's row.
 * Replay a failure with FC_SEED=<seed>; FC_RUNS=<n> for a longer soak.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameValue } from './field-changes.ts';
import type { Row } from './local-mutation.ts';
import { MemoryDrainLock } from './locks.ts';
import { planOutboxSafely } from './planner.ts';
import type { Mutation, PushResult } from './protocol.ts';
import { SyncEngine } from './sync-engine.ts';
import { FakeNetwork } from './testing/fake-signals.ts';
import { patientRow, REFERENCE_DATA } from './testing/fixtures.ts';
import { type Fault, type Identity, InProcessServer } from './testing/in-process-server.ts';
import { flush, ManualClock } from './testing/manual-clock.ts';
import { MemoryStore } from './testing/memory-store.ts';
import { propertyRuns, propertySeed, seededIds, seededRandom } from './testing/seeded-random.ts';
import type { PullOptions, SyncTransport } from './transports/transport.ts';

const FIELDS = ['phone', 'address', 'full_name', 'emergency_contact_name'] as const;
type Field = (typeof FIELDS)[number];

type Step =
  | { t: 'look'; device: number }
  | { t: 'edit'; device: number; field: Field }
  | { t: 'drain'; device: number }
  | { t: 'advance'; ms: number }
  | { t: 'online'; device: number; online: boolean }
  | { t: 'flaky'; on: boolean };

const device = fc.nat(1);
const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: device.map((d) => ({ t: 'look' as const, device: d })), weight: 3 },
  {
    arbitrary: fc.record({ t: fc.constant('edit' as const), device, field: fc.constantFrom(...FIELDS) }),
    weight: 6,
  },
  { arbitrary: device.map((d) => ({ t: 'drain' as const, device: d })), weight: 4 },
  { arbitrary: fc.integer({ min: 0, max: 90_000 }).map((ms) => ({ t: 'advance' as const, ms })), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('online' as const), device, online: fc.boolean() }), weight: 1 },
  { arbitrary: fc.boolean().map((on) => ({ t: 'flaky' as const, on })), weight: 1 },
);

const fault: fc.Arbitrary<Fault | null> = fc.oneof(
  fc.constant(null),
  fc.constant({ type: 'lost-after-commit' as const }),
  fc.constant({ type: 'offline' as const }),
  fc.boolean().map((afterCommit) => ({ type: 'timeout' as const, afterCommit })),
  fc.constant({ type: 'server-error' as const, status: 503 }),
);

/** A value no other edit writes: each edit is traceable to its device and step. */
function valueFor(field: Field, device: number, n: number): string {
  const tag = `${device}${String(n).padStart(4, '0')}`;
  return field === 'phone' ? `+91980${tag}` : `${field} ${tag}`;
}

/** One user edit: on which device, which field, from which value (what the form showed) to which. */
interface Edit {
  device: number;
  field: Field;
  base: unknown;
  value: string;
}

/** A device's connection, recording what it was told. */
class RecordingTransport implements SyncTransport {
  constructor(
    private readonly inner: SyncTransport,
    private readonly device: number,
    private readonly told: { device: number; result: PushResult }[],
  ) {}
  async push(clientId: string, mutations: readonly Mutation[]): Promise<PushResult[]> {
    const results = await this.inner.push(clientId, mutations);
    for (const result of results) this.told.push({ device: this.device, result });
    return results;
  }
  pull(cursor: string | null, options?: PullOptions) {
    return this.inner.pull(cursor, options);
  }
}

async function run(steps: Step[], faults: (Fault | null)[], seed: number) {
  const clock = new ManualClock();
  const server = new InProcessServer(REFERENCE_DATA, () => new Date(clock.now()));
  const identity: Identity = { userId: '5a5a5a5a-0000-4000-8000-000000000002' };
  const edits: Edit[] = [];
  const told: { device: number; result: PushResult }[] = [];
  let flaky = false;
  let calls = 0;
  const faultPlan = () => (flaky ? (faults[calls++ % faults.length] ?? null) : null);
  const devices = [0, 1].map((d) => {
    const store = new MemoryStore({ newId: seededIds(seed + 10 * d), now: () => new Date(clock.now()) });
    const network = new FakeNetwork(true);
    const engine = new SyncEngine({
      store,
      transport: new RecordingTransport(server.transport(identity, faultPlan), d, told),
      clock,
      network,
      lock: new MemoryDrainLock(),
      random: seededRandom(seed + d),
      refreshSession: async () => true,
      newId: seededIds(seed + 100 + d),
      debounceMs: 500,
      pollMs: 30_000,
      backoff: { baseMs: 1_000, maxMs: 60_000 },
    });
    engine.start();
    // The profile form: the row as it showed it (null until it has one).
    return { store, network, engine, form: null as Row | null };
  });
  const patient = patientRow(seededIds(seed + 7)());
  const first = devices[0] as (typeof devices)[number];
  await first.store.write({ entity: 'patients', op: 'upsert', row: patient });
  for (const d of devices) await d.engine.drainOnce();
  for (const d of devices) d.form = (await d.store.getRow('patients', patient.id)) ?? null;

  let n = 0;
  for (const s of steps) {
    switch (s.t) {
      case 'look': {
        const d = devices[s.device] as (typeof devices)[number];
        d.form = (await d.store.getRow('patients', patient.id)) ?? d.form;
        break;
      }
      case 'edit': {
        const d = devices[s.device] as (typeof devices)[number];
        if (!d.form) break;
        const value = valueFor(s.field, s.device, n++);
        const row = { ...d.form, [s.field]: value };
        edits.push({ device: s.device, field: s.field, base: d.form[s.field] ?? null, value });
        const written = await d.store.write({ entity: 'patients', op: 'upsert', row, base: d.form });
        d.form = written.data;
        break;
      }
      case 'drain':
        await Promise.race([devices[s.device]?.engine.drainOnce(), flush().then(flush)]);
        break;
      case 'advance':
        await clock.advance(s.ms);
        break;
      case 'online':
        devices[s.device]?.network.set(s.online);
        await flush();
        break;
      case 'flaky':
        flaky = s.on;
        break;
    }
  }

  // Heal: both online, no faults; drain until neither has anything to send, then pull once more.
  flaky = false;
  for (const d of devices) d.network.set(true);
  for (let round = 0; round < 40; round++) {
    await clock.advance(61_000);
    let left = 0;
    for (const d of devices) {
      await d.engine.syncNow();
      left += planOutboxSafely(await d.store.listOutbox()).batches.length;
    }
    if (left === 0) break;
  }
  for (const d of devices) await d.engine.syncNow();
  for (const d of devices) void d.engine.stop();
  return { server, devices, patientId: patient.id, edits, told };
}

async function checkNoLostEdit({ server, devices, patientId, edits, told }: Awaited<ReturnType<typeof run>>) {
  const final = server.rows('patients').find((r) => r.id === patientId);
  expect(final, 'the patient is on the server').toBeDefined();
  // Every edit was acknowledged: an answer removed it from its outbox (a refusal would keep it).
  for (const d of devices) {
    expect(await d.store.listOutbox(), 'everything sent').toEqual([]);
    const row = await d.store.getRow('patients', patientId);
    for (const f of FIELDS) expect(row?.[f], `device row ${f}`).toEqual(final?.[f]);
  }
  // The edits the server answered as not applied (values are unique, so field and value name one).
  const conflicted = new Set<string>();
  for (const { result } of told) {
    const answer = result.status === 'duplicate' ? result.first : result;
    if (answer.status === 'applied')
      for (const c of answer.conflicts ?? []) conflicted.add(`${c.field}=${String(c.yours)}`);
  }
  const lost = (e: Edit) => conflicted.has(`${e.field}=${e.value}`);
  for (const [i, e] of edits.entries()) {
    const where = `edit ${i}: device ${e.device} set ${e.field} from ${String(e.base)} to ${e.value}`;
    if (lost(e)) {
      const notices = await devices[e.device]?.store.listConflicts('patients', patientId);
      const editedAgain = edits.some(
        (later, j) => j > i && later.device === e.device && later.field === e.field,
      );
      expect(
        editedAgain || notices?.some((c) => c.field === e.field),
        `no conflict notice for ${where}`,
      ).toBe(true);
      continue;
    }
    const inFinal = sameValue(final?.[e.field], e.value);
    // Its user (or the other device's) saw this value and changed it; that edit is checked itself.
    const replaced = edits.some((e2) => e2 !== e && e2.field === e.field && sameValue(e2.base, e.value));
    expect(inFinal || replaced, `silently lost: ${where}; the server has ${String(final?.[e.field])}`).toBe(
      true,
    );
  }
}

describe('two devices editing one patient (field-level writes)', () => {
  it('no acknowledged field edit is silently lost, and both devices end with the server row', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 5, maxLength: 50, size: 'max' }),
        fc.array(fault, { minLength: 1, maxLength: 8, size: 'max' }),
        fc.nat(1e6),
        async (steps, faults, seed) => {
          await checkNoLostEdit(await run(steps, faults, seed));
        },
      ),
      { seed: propertySeed() + 11, numRuns: propertyRuns(100) },
    );
  });
});
