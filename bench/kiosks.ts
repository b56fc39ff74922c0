/**
 * Many kiosk devices of one clinic draining at once: each device queued `perDevice` writes offline
 * (1 patient : 4 appointments) in its own store, then every engine drains at the same moment. This
 * row measures the server and the wire under a crowd; the local IndexedDB work is the `drain` row's.
 * So the stores are in memory, not Dexie (with Dexie on fake-indexeddb it ran past 9 minutes), and
 * the devices are spread over child processes at the lowest CPU priority (`kiosk-devices.ts`): real
 * kiosks parse, validate and store their first pulls on their own CPUs, and one thread doing it for
 * all 100, one after another, was the row's bottleneck.
 * The devices call the server as the app's kiosk does (`kioskTransport`: pushes without the pull
 * page, pulls without appointments), or as any device (`transport: 'app'`, to measure that lever).
 * They start empty (their first pull in the run) or pulled at setup (`pulledFirst`), as a kiosk at
 * work is. Two times: until every write is acknowledged (every outbox empty: the row's rate), and
 * until every device caught up: it holds every slot as the server ends the run, each one the walk-ins
 * booked marked taken (a device whose pull stopped below pushes still running drains again, as a
 * kiosk's engine would on its next write or poll). Nothing may be lost: every device must end so.
 *
 * Baselines, in the same run, each on the same database (`clearWalkIns` between runs, so no run pulls
 * another run's rows): the same writes pushed raw with `sync_push`, one request per device, no
 * engine, no pull; and the same plus each device's first pull as a kiosk, read raw (bytes only: no
 * JSON.parse, no zod, no store), which is what the server and the wire alone allow the engine.
 */
import { fork } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { ErrorKind } from '../sync/errors.ts';
import { toWire } from '../sync/local-mutation.ts';
import { PULLED_TABLES, type PulledTable, pushResponse } from '../sync/protocol.ts';
import { MemoryStore } from '../sync/testing/memory-store.ts';
import type { BenchStack } from './bench-stack.ts';
import type {
  DeviceResult,
  DeviceSpec,
  Expected,
  FromWorker,
  ToWorker,
  WorkerInput,
} from './kiosk-devices.ts';
import { rawPull, untilAnswered } from './kiosk-pulls.ts';
import { queueWalkIns } from './sync-drain.ts';

export interface KioskRun {
  writes: number;
  /** Until every device's last push was answered: every write acknowledged, every outbox empty. */
  ms: number;
  /** `writes` over `ms`: the row's rate. */
  writesPerSecond: number;
  deviceP50Ms: number;
  deviceMaxMs: number;
  /**
   * Until every device had pulled everything (engine: its drains left nothing to pull, and it holds
   * every slot; raw: its first pull ended); absent when the run does not pull.
   */
  caughtUpMs?: number;
  caughtUpP50Ms?: number;
  /** When each device's first push left, p50 and the last (engine only: raw pushes leave at 0). */
  sentP50Ms?: number;
  sentMaxMs?: number;
  /** One push call and one pull call as a device saw it (queueing included), mean; engine only. */
  meanPushMs?: number;
  meanPullMs?: number;
  /** CPU the device processes used while draining, all devices together (engine only). */
  deviceCpuMs?: number;
  /** Rows a device's pulls carried during the run (its setup pull not included), mean. */
  pulledRowsPerDevice?: number;
  /** The same by table (engine only). */
  pulledByTable?: Record<PulledTable, number>;
  /** Rows a device held before the clock started (its setup pull), mean (engine only). */
  rowsBeforePerDevice?: number;
  /** Drains that failed, by error kind; each was tried again after the backoff the engine chose. */
  failedDrains?: Partial<Record<ErrorKind, number>>;
  /** Raw calls the server turned away (5xx) and that were sent again at once. */
  turnedAway?: number;
  /**
   * Devices that after their drains miss slots of the database's, or hold as free slots it ends
   * with taken; how many slots they miss, and how many they hold stale.
   */
  devicesShort?: number;
  slotsMissing?: number;
  slotsStale?: number;
}

/** How the engine's devices start and push (`kiosk-devices.ts`). */
export interface EngineMode {
  /** Each device made its first pull at setup, before the clock (a kiosk at work has). */
  pulledFirst: boolean;
  /** The app's kiosk transport, or the plain one (`WorkerInput.transport`). */
  transport: 'kiosk' | 'app';
  /** `WorkerInput.pullBytes`. */
  pullBytes?: number | undefined;
  /** `WorkerInput.catchUpPause`. */
  catchUpPause?: boolean | undefined;
}

const PER_PATIENT = 4;

async function devices(
  bench: BenchStack,
  count: number,
  perDevice: number,
): Promise<{ store: MemoryStore; client: SupabaseClient }[]> {
  const patients = perDevice / (PER_PATIENT + 1);
  const slots = await bench.addSlots(count * patients * PER_PATIENT);
  const out: { store: MemoryStore; client: SupabaseClient }[] = [];
  for (let d = 0; d < count; d++) {
    const mine = slots.slice(d * patients * PER_PATIENT, (d + 1) * patients * PER_PATIENT);
    out.push({
      store: await queueWalkIns(new MemoryStore(), mine, patients, PER_PATIENT),
      // Signed in before the clock starts: a kiosk at work already holds its staff session.
      client: await bench.staffClient(),
    });
  }
  return out;
}

const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** `acked`: per device, when its writes were all acknowledged; `caughtUp`: when it had pulled all. */
function summary(writes: number, acked: number[], caughtUp?: number[]): KioskRun {
  const ms = Math.max(...acked);
  return {
    writes,
    ms,
    writesPerSecond: (writes / ms) * 1000,
    deviceP50Ms: median(acked),
    deviceMaxMs: ms,
    ...(caughtUp ? { caughtUpMs: Math.max(...caughtUp), caughtUpP50Ms: median(caughtUp) } : {}),
  };
}

/** Child processes the devices are spread over (`kiosk-devices.ts`). */
export const KIOSK_WORKERS = 4;

function startWorker(input: WorkerInput): {
  ready: Promise<void>;
  go(expected: Expected): Promise<{ results: DeviceResult[]; cpuMs: number }>;
} {
  const child = fork(fileURLToPath(new URL('./kiosk-devices.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
  });
  // The lowest priority: the server (Postgres, PostgREST, the gateway) is served first, and the
  // devices' own work gets what is left, as their own CPUs would give it without taking any.
  if (child.pid !== undefined) setPriority(child.pid, 19);
  const failed = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`a kiosk device process exited (${code}) before it was done`)),
    );
  });
  const next = () =>
    Promise.race([failed, new Promise<FromWorker>((resolve) => child.once('message', resolve))]);
  const send = (message: ToWorker) => child.send(message);
  const ready = next().then(() => undefined);
  send({ type: 'build', input });
  return {
    ready,
    go: async (expected) => {
      send({ type: 'go', ...expected });
      const done = await next();
      if (done.type !== 'done') throw new Error('a kiosk device process answered out of turn');
      return done;
    },
  };
}

export async function kiosksWithEngine(
  bench: BenchStack,
  count: number,
  perDevice: number,
  mode: EngineMode,
): Promise<KioskRun> {
  const patients = perDevice / (PER_PATIENT + 1);
  const slots = await bench.addSlots(count * patients * PER_PATIENT);
  const specs: DeviceSpec[] = [];
  for (let d = 0; d < count; d++) {
    // Signed in before the clock starts: a kiosk at work already holds its staff session.
    const session = (await (await bench.staffClient()).auth.getSession()).data.session;
    if (!session) throw new Error('kiosk staff sign-in gave no session');
    const { access_token, refresh_token } = session;
    const mine = slots.slice(d * patients * PER_PATIENT, (d + 1) * patients * PER_PATIENT);
    specs.push({ slots: mine, session: { access_token, refresh_token } });
  }
  const base = {
    url: bench.stack.url,
    anonKey: bench.stack.anonKey,
    patients,
    perPatient: PER_PATIENT,
    ...mode,
  };
  const workers = Array.from({ length: KIOSK_WORKERS }, (_, w) =>
    startWorker({ ...base, devices: specs.filter((_, d) => d % KIOSK_WORKERS === w) }),
  );
  await Promise.all(workers.map((w) => w.ready));
  // Every walk-in books one of the run's new slots: taken once its device's writes are in.
  // Slots a device is to hold: a pull leaves out those that ended (the seed's morning, once past:
  // counting every slot reported a loss when the bench ran after 09:30 India time).
  const expected: Expected = {
    slotsInDb: await bench.countBookableSlots(),
    takenAtEnd: (await bench.countTakenSlots()) + count * patients * PER_PATIENT,
  };
  const started = performance.timeOrigin + performance.now();
  const done = await Promise.all(workers.map((w) => w.go(expected)));
  const takenNow = await bench.countTakenSlots();
  if (takenNow !== expected.takenAtEnd)
    throw new Error(`the run left ${takenNow} slots taken, not ${expected.takenAtEnd}: a write was lost`);
  const results = done.flatMap((d) => d.results);
  const failedDrains: Partial<Record<ErrorKind, number>> = {};
  for (const r of results)
    for (const [kind, n] of Object.entries(r.failures) as [ErrorKind, number][])
      failedDrains[kind] = (failedDrains[kind] ?? 0) + n;
  const sum = (f: (r: DeviceResult) => number) => results.reduce((n, r) => n + f(r), 0);
  return {
    ...summary(
      count * perDevice,
      results.map((r) => r.ackedAt - started),
      results.map((r) => r.doneAt - started),
    ),
    sentP50Ms: median(results.map((r) => r.sentAt - started)),
    sentMaxMs: Math.max(...results.map((r) => r.sentAt - started)),
    pulledRowsPerDevice: sum((r) => r.pulledRows) / count,
    pulledByTable: Object.fromEntries(
      PULLED_TABLES.map((t) => [t, sum((r) => r.pulledByTable[t]) / count]),
    ) as Record<PulledTable, number>,
    rowsBeforePerDevice: sum((r) => r.rowsBefore) / count,
    deviceCpuMs: done.reduce((n, d) => n + d.cpuMs, 0),
    meanPushMs: sum((r) => r.calls.push.ms) / sum((r) => r.calls.push.n),
    meanPullMs:
      sum((r) => r.calls.pull.ms) /
      Math.max(
        1,
        sum((r) => r.calls.pull.n),
      ),
    failedDrains,
    devicesShort: results.filter((r) => r.slotsMissing > 0 || r.slotsStale > 0).length,
    slotsMissing: sum((r) => r.slotsMissing),
    slotsStale: sum((r) => r.slotsStale),
  };
}

export async function kiosksRawPush(
  bench: BenchStack,
  count: number,
  perDevice: number,
  /** Each device's first pull as well, read raw (`rawPull`). */
  pull = false,
): Promise<KioskRun> {
  const fleet = await devices(bench, count, perDevice);
  const batches = await Promise.all(
    fleet.map(async ({ store, client }) => ({
      client,
      clientId: await store.getClientId(),
      mutations: (await store.listOutbox()).map((m) => toWire(m)),
    })),
  );
  let turnedAway = 0;
  const tally = () => {
    turnedAway += 1;
  };
  let pulledRows = 0;
  const started = performance.now();
  const times = await Promise.all(
    batches.map(async ({ client, clientId, mutations }) => {
      const { value } = await untilAnswered(async () => {
        const answer = await client.rpc('sync_push', { client_id: clientId, mutations });
        if (answer.error && answer.status < 500) throw new Error(`raw push failed: ${answer.error.message}`);
        return { status: answer.status, value: answer.data };
      }, tally);
      const bad = pushResponse.parse(value).find((r) => r.status !== 'applied');
      if (bad) throw new Error(`raw push not applied: ${JSON.stringify(bad)}`);
      const acked = performance.now() - started;
      if (pull) {
        // Not `pulledRows += await …`: that reads the total before the await, losing the others'.
        const rows = await rawPull(bench, client, tally);
        pulledRows += rows;
      }
      return { acked, caughtUp: performance.now() - started };
    }),
  );
  return {
    ...summary(
      count * perDevice,
      times.map((t) => t.acked),
      pull ? times.map((t) => t.caughtUp) : undefined,
    ),
    turnedAway,
    ...(pull ? { pulledRowsPerDevice: pulledRows / count } : {}),
  };
}
