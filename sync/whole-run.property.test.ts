/**
 * Whole sync runs against the in-process server under random fault schedules: offline spells,
 * timeouts (before and after commit), requests given up on that reach the server late (after a newer
 * write of the same row), 5xx and 429 with Retry-After, 401s, responses lost after commit, tabs
 * closed mid-drain and reopened on the same store, two tabs draining at once (with and without Web
 * Locks), pulls in small pages, and poison writes: a queued write rewritten to hold a lone surrogate
 * or U+0000 past the device's validation (an old app version, a bug), which the server refuses with
 * the whole call. Replay a failure with FC_SEED=<seed>; FC_RUNS=<n> for a longer soak.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStorableText } from './free-text.ts';
import type { Row } from './local-mutation.ts';
import { MemoryDrainLock } from './locks.ts';
import { planOutboxSafely } from './planner.ts';
import type { DrainLock } from './ports.ts';
import type { EntityName, Mutation, PullResponse, PushResult } from './protocol.ts';
import { isSlotConflict, PUSH_LIMITS, SLOT_CONFLICTS } from './protocol.ts';
import { SyncEngine } from './sync-engine.ts';
import { FakeNetwork } from './testing/fake-signals.ts';
import { CLINIC_ID, REFERENCE_DATA, SLOTS } from './testing/fixtures.ts';
import { type Fault, type Identity, InProcessServer } from './testing/in-process-server.ts';
import { flush, ManualClock } from './testing/manual-clock.ts';
import { MemoryStore } from './testing/memory-store.ts';
import { propertyRuns, propertySeed, seededIds, seededRandom } from './testing/seeded-random.ts';
import { type UserCmd, UserModel, userCmd, userFields } from './testing/user-model.ts';
import { beforeIsolationRefusal } from './testing/whole-call-refusals.ts';
import type { PullOptions, SyncTransport } from './transports/transport.ts';

type Step =
  | { t: 'user'; cmd: UserCmd }
  | { t: 'advance'; ms: number }
  | { t: 'drain'; tab: number }
  | { t: 'both' }
  | { t: 'network'; online: boolean }
  | { t: 'flaky'; on: boolean }
  | { t: 'crash'; tab: number; afterCommit: boolean }
  | { t: 'poison'; text: string };

const tab = fc.nat(1);
const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: userCmd.map((cmd) => ({ t: 'user' as const, cmd })), weight: 10 },
  { arbitrary: fc.integer({ min: 0, max: 90_000 }).map((ms) => ({ t: 'advance' as const, ms })), weight: 3 },
  { arbitrary: tab.map((n) => ({ t: 'drain' as const, tab: n })), weight: 2 },
  { arbitrary: fc.constant({ t: 'both' as const }), weight: 1 },
  { arbitrary: fc.boolean().map((online) => ({ t: 'network' as const, online })), weight: 1 },
  { arbitrary: fc.boolean().map((on) => ({ t: 'flaky' as const, on })), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('crash' as const), tab, afterCommit: fc.boolean() }), weight: 1 },
  {
    arbitrary: fc.constantFrom('\ud800', '\udfff', '\u0000').map((text) => ({ t: 'poison' as const, text })),
    weight: 1,
  },
);

/** The text field of each entity a poison goes into. */
const POISON_FIELD: Record<EntityName, string> = { patients: 'full_name', appointments: 'reason' };

const fault: fc.Arbitrary<Fault | null> = fc.oneof(
  fc.constant(null),
  fc.constant({ type: 'lost-after-commit' as const }),
  fc.constant({ type: 'offline' as const }),
  fc.boolean().map((afterCommit) => ({ type: 'timeout' as const, afterCommit })),
  fc.constantFrom(500, 502, 503).map((status) => ({ type: 'server-error' as const, status })),
  fc.nat(20_000).map((retryAfterMs) => ({ type: 'rate-limited' as const, retryAfterMs })),
  fc.constant({ type: 'lost-after-commit' as const }),
  fc.constant({ type: 'unauthorized' as const }),
  // Given up on by the client, delivered after the next push: an old write arriving after a newer one.
  fc.constant({ type: 'late' as const }),
);

const never = <T>() => new Promise<T>(() => {});

/** One tab's connection: faults while flaky, and death (the tab closed) mid-request. */
class TabTransport implements SyncTransport {
  dead = false;
  hangNext: { afterCommit: boolean } | null = null;
  constructor(
    private readonly inner: SyncTransport,
    private readonly server: InProcessServer,
    private readonly identity: Identity,
    private readonly seen: PushResult[],
  ) {}
  async push(clientId: string, mutations: readonly Mutation[]): Promise<PushResult[]> {
    if (this.dead) return never();
    if (this.hangNext) {
      if (this.hangNext.afterCommit)
        try {
          this.server.push(this.identity, clientId, JSON.parse(JSON.stringify(mutations)));
        } catch {
          // Refused whole (a poison write): nothing committed, and nobody hears the answer.
        }
      this.dead = true;
      return never();
    }
    const results = await this.inner.push(clientId, mutations);
    this.seen.push(...results);
    return results;
  }
  async pull(cursor: string | null, options?: PullOptions): Promise<PullResponse> {
    if (this.dead || this.hangNext) {
      this.dead = true;
      return never();
    }
    return this.inner.pull(cursor, options);
  }
}

/** Web Locks as tabs see them: a closed tab's locks are released. */
class TabLocks {
  private readonly held = new Map<string, number>();
  forTab(id: number): DrainLock {
    return {
      run: async (name, fn) => {
        if (this.held.has(name)) return { acquired: false };
        this.held.set(name, id);
        try {
          return { acquired: true, value: await fn() };
        } finally {
          if (this.held.get(name) === id) this.held.delete(name);
        }
      },
    };
  }
  close(id: number): void {
    for (const [name, holder] of this.held) if (holder === id) this.held.delete(name);
  }
}

async function wholeRun(
  steps: Step[],
  faults: (Fault | null)[],
  startFlaky: boolean,
  webLocks: boolean,
  seed: number,
) {
  const clock = new ManualClock();
  const server = new InProcessServer(REFERENCE_DATA, () => new Date(clock.now()));
  // U+0000 refused with the whole call too, as before push isolation: every poison must be split out.
  server.refuseWholeCall = beforeIsolationRefusal;
  const identity: Identity = { userId: '5a5a5a5a-0000-4000-8000-000000000001', staffClinicId: CLINIC_ID };
  const store = new MemoryStore({ newId: seededIds(seed), now: () => new Date(clock.now()) });
  const user = new UserModel(seededIds(seed + 1), SLOTS);
  const network = new FakeNetwork(true);
  const locks = new TabLocks();
  const seen: PushResult[] = [];
  const random = seededRandom(seed + 2);
  let flaky = startFlaky;
  let calls = 0;
  let nextTabId = 0;
  const faultPlan = () => (flaky && faults.length > 0 ? (faults[calls++ % faults.length] ?? null) : null);

  const openTab = () => {
    const id = nextTabId++;
    const transport = new TabTransport(server.transport(identity, faultPlan), server, identity, seen);
    const engine = new SyncEngine({
      store,
      transport,
      clock,
      network,
      lock: webLocks ? locks.forTab(id) : new MemoryDrainLock(),
      random,
      refreshSession: async () => true,
      newId: seededIds(seed + 100 + id),
      debounceMs: 500,
      pollMs: 30_000,
      backoff: { baseMs: 1_000, maxMs: 60_000 },
      // Small pages, few per drain: pulls that stop mid-way and go on in later drains, under faults.
      pullPageRows: 1 + (seed % 4),
      maxPullPages: 1 + (seed % 3),
      // Half the runs plan in small windows with small batches: plans made from a prefix of the outbox.
      ...(seed % 2 === 1
        ? {
            outboxWindow: 1 + (seed % 5),
            limits: { maxMutations: 1 + ((seed >> 1) % 4), maxBytes: PUSH_LIMITS.maxBytes },
          }
        : {}),
    });
    engine.start();
    return { id, transport, engine };
  };
  const tabs = [openTab(), openTab()];

  for (const s of steps) {
    const current = tabs[s.t === 'drain' || s.t === 'crash' ? s.tab : 0] as (typeof tabs)[number];
    switch (s.t) {
      case 'user':
        await user.apply(s.cmd, store, current.engine);
        break;
      case 'advance':
        await clock.advance(s.ms);
        break;
      case 'drain':
        await Promise.race([current.engine.drainOnce(), flush().then(flush)]);
        break;
      case 'both':
        await Promise.race([Promise.all(tabs.map((t) => t.engine.drainOnce())), flush().then(flush)]);
        break;
      case 'network':
        network.set(s.online);
        await flush();
        break;
      case 'flaky':
        flaky = s.on;
        break;
      case 'crash': {
        current.transport.hangNext = { afterCommit: s.afterCommit };
        void current.engine.drainOnce();
        await flush();
        await flush();
        // The tab is gone: its timers and listeners stop, its lock is released, its request never answers.
        void current.engine.stop();
        current.transport.dead = true;
        locks.close(current.id);
        tabs[s.tab] = openTab();
        break;
      }
      case 'poison': {
        // The newest write still waiting, rewritten in the store as an old app version queued it: one
        // never sent, of a row none of whose queued writes was sent (a write's data never changes
        // once it may be on the server).
        const outbox = await store.listOutbox();
        const sent = new Set(outbox.filter((x) => x.attempted).map((x) => `${x.entity}:${x.key}`));
        const m = outbox
          .filter((x) => x.state === 'pending' && x.op === 'upsert' && !sent.has(`${x.entity}:${x.key}`))
          .at(-1);
        if (!m) break;
        const field = POISON_FIELD[m.entity];
        // Followed by a letter: two poisons of one write never make a surrogate pair.
        store.memory.plant('outbox', { ...m, data: { ...m.data, [field]: `${m.data?.[field]}${s.text}x` } });
        break;
      }
    }
  }

  // Heal: the network is back and stays reliable; drain until nothing sendable is left.
  flaky = false;
  network.set(true);
  const survivor = tabs[0] as (typeof tabs)[number];
  for (let round = 0; round < 60; round++) {
    await clock.advance(61_000);
    const result = await survivor.engine.syncNow();
    const plan = planOutboxSafely(await store.listOutbox());
    const morePull = result.status === 'synced' && result.morePull;
    if (plan.batches.length === 0 && plan.vanished.length === 0 && !morePull) break;
  }
  for (const t of tabs) void t.engine.stop();
  // Whatever is still on the way arrives at last: by now every write it carries is older than one
  // the server has, and must change nothing.
  server.deliverLate();
  return { server, store, user, seen };
}

async function checkInvariants({ server, store, user, seen }: Awaited<ReturnType<typeof wholeRun>>) {
  // No mutation applied twice.
  for (const [id, n] of server.applyCount) expect(n, `mutation ${id} applied ${n} times`).toBe(1);
  // No missing_parent (or any other ordering failure) ever reached the user: only real conflicts.
  const rejections = seen.flatMap((r) => (r.status === 'rejected' ? [r.code] : []));
  // A slot already held: slot_taken if another patient holds it, own_booking if the same one does.
  for (const code of rejections) expect(SLOT_CONFLICTS).toContain(code);
  // The outbox ends empty except rejected writes and what waits behind them.
  const outbox = await store.listOutbox();
  const plan = planOutboxSafely(outbox);
  expect(plan.batches).toEqual([]);
  const held = new Set(plan.held.map((h) => h.mutation.id));
  for (const m of outbox) expect(m.state === 'rejected' || held.has(m.id), `${m.id} ${m.state}`).toBe(true);
  // Nothing else is refused but writes carrying a poison (planted, or sent again by a retry of a
  // row since deleted), each split out and naming its field.
  for (const m of outbox)
    if (m.state === 'rejected' && !isSlotConflict(m.error?.code)) {
      const field = POISON_FIELD[m.entity];
      expect(isStorableText(String(m.data?.[field])), `${m.id} rejected: ${m.error?.message}`).toBe(false);
      expect(m.error).toMatchObject({ code: 'validation', field });
    }
  // Every row the user is not still deciding about is on the server as their writes describe it.
  const unsettled = new Set(outbox.map((m) => `${m.entity}:${m.key}`));
  const serverRows = new Map<string, Row>();
  for (const entity of ['patients', 'appointments'] as EntityName[])
    for (const r of server.rows(entity)) serverRows.set(`${entity}:${String(r.id)}`, r);
  const keys = new Set([...user.intended.keys(), ...serverRows.keys()]);
  for (const k of keys) {
    if (unsettled.has(k)) continue;
    const entity = k.split(':')[0] as EntityName;
    const expected = user.intended.get(k) ?? null;
    expect(userFields(entity, serverRows.get(k)), `server ${k}`).toEqual(expected);
    const device = await store.getRow(entity, k.split(':')[1] as string);
    expect(userFields(entity, device), `device ${k}`).toEqual(expected);
    // The pull pages missed nothing: the device holds the server's latest version of the row.
    expect(device?.version, `device version of ${k}`).toBe(serverRows.get(k)?.version);
  }
  for (const table of ['clinics', 'doctors', 'slots'] as const)
    expect((await store.listRows(table)).length, table).toBe(server.reference[table].length);
}

describe('whole sync runs under faults (in-process server)', () => {
  it('end where the user’s writes say, exactly once, without FK errors, with Web Locks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 5, maxLength: 60, size: 'max' }),
        fc.array(fault, { minLength: 1, maxLength: 12, size: 'max' }),
        fc.boolean(),
        fc.nat(1e6),
        async (steps, faults, startFlaky, seed) => {
          await checkInvariants(await wholeRun(steps, faults, startFlaky, true, seed));
        },
      ),
      { seed: propertySeed(), numRuns: propertyRuns(250) },
    );
  });

  it('the same without Web Locks: concurrent drains of one store rely on the ledger', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 5, maxLength: 60, size: 'max' }),
        fc.array(fault, { minLength: 1, maxLength: 12, size: 'max' }),
        fc.boolean(),
        fc.nat(1e6),
        async (steps, faults, startFlaky, seed) => {
          await checkInvariants(await wholeRun(steps, faults, startFlaky, false, seed));
        },
      ),
      { seed: propertySeed() + 7, numRuns: propertyRuns(150) },
    );
  });
});
