/**
 * The sync loop: drains the outbox to the server in dependency order, then pulls.
 *
 *            write (debounced) · online · visible · timer · syncNow() · drainOnce()
 *            (a drain = push rounds, then pull pages until the server has no more)
 *                                      │
 *   ┌── idle ◄──── ok ─────────── draining ──── 5xx/429/network/timeout ───► backoff ──┐
 *   │    ▲                          │   ▲                                   (timer,     │
 *   │    └──── lock busy (skip) ────┘   └──────────── online, syncNow ──────────────────┘
 *   │                               │ 401 → refreshSession() once → draining
 *   │                               └ 401 again / 403 ──► needs-sign-in ── resumeAfterSignIn() ─► draining
 *   └─ stop() from any state ──► stopped ── start() ──► idle (or needs-sign-in, if it was paused)
 *
 * `stopped` is a flag, not only a phase: a drain still in flight when stop() is called must not
 * put the phase back to idle or arm a timer when it ends.
 *
 * One drain at a time per engine (overlapping triggers fold into one more round) and across
 * tabs and the service worker (the injected DrainLock: Web Locks with ifAvailable, never steal).
 */
import { Backoff, type BackoffOptions, DEFAULT_BACKOFF } from './backoff.ts';
import { classify, type SyncAction } from './classify.ts';
import { ERROR_KINDS, type ErrorKind, isPlanCycleError } from './errors.ts';
import type { LocalMutation } from './local-mutation.ts';
import { MemoryDrainLock } from './locks.ts';
import { dropChange, housekeepingChange, resultsChange } from './outbox-changes.ts';
import { discardSet, type Plan, type PlanLimits, type PlannedMutation, planOutboxSafely } from './planner.ts';
import {
  alwaysOnline,
  alwaysVisible,
  type Clock,
  type DrainLock,
  type Logger,
  type NetworkStatus,
  silentLogger,
  systemClock,
  type TimerHandle,
  type Visibility,
} from './ports.ts';
import { PULL_LIMITS, PUSH_LIMITS } from './protocol.ts';
import type { OutboxChange, PurgeFilter, PurgeReport, SyncStore, WriteInput } from './stores/sync-store.ts';
import { outboxStatus, StatusStore, type SyncStatus } from './sync-status.ts';
import type { SyncTransport } from './transports/transport.ts';

export interface SyncEngineOptions {
  store: SyncStore;
  transport: SyncTransport;
  clock?: Clock;
  lock?: DrainLock;
  network?: NetworkStatus;
  visibility?: Visibility;
  logger?: Logger;
  /** For backoff jitter. */
  random?: () => number;
  /** Refreshes the auth session; true when a valid session is now in place. */
  refreshSession?: () => Promise<boolean>;
  /** Ids for re-enqueued (retried) mutations. */
  newId?: () => string;
  limits?: PlanLimits;
  debounceMs?: number;
  pollMs?: number;
  backoff?: BackoffOptions;
  lockName?: string;
  /** Most push rounds in one drain before yielding to the timer. */
  maxRounds?: number;
  /** Changes per pull page (DEFAULT_PULL_PAGE_ROWS): what one answer may hold in memory. */
  pullPageRows?: number;
  /**
   * Most pull pages in one drain; if the server still has more, another drain follows right away
   * (as a timer, so the drain lock is let go in between and other tabs get their turn).
   */
  maxPullPages?: number;
}

export type DrainResult =
  /** `pulled`: rows merged from every page; `morePull`: pages were left for the next drain. */
  | { status: 'synced'; pushed: number; pulled: number; pages: number; morePull: boolean }
  | { status: 'skipped' }
  | { status: 'offline' }
  | { status: 'paused' }
  | { status: 'stopped' }
  | { status: 'failed'; kind: ErrorKind; retryAt: number | null };

/**
 * Rows per pull page the engine asks for: about 2 MB of JSON, where one answer used to carry
 * everything (over 5 MB for a kiosk's first pull, which holds every future slot of every clinic).
 * Bigger than the server's default (PULL_LIMITS.defaultRows) because each page is a round trip on a
 * slow link. Measured with `bench/run.ts sync` (100 ms latency, a new kiosk's 1,000 writes and its
 * first pull): 15 round trips with pages of 1,000 rows, 9 with 2,000, 5 with 5,000.
 */
export const DEFAULT_PULL_PAGE_ROWS = 5 * PULL_LIMITS.defaultRows;

type Failure = Extract<SyncAction, { type: 'retry-later' | 'refresh-session' | 'pause' }>;
class DrainFailure {
  constructor(readonly action: Failure) {}
}

export class SyncEngine {
  private readonly store: SyncStore;
  private readonly transport: SyncTransport;
  private readonly clock: Clock;
  private readonly lock: DrainLock;
  private readonly network: NetworkStatus;
  private readonly visibility: Visibility;
  private readonly log: Logger;
  private readonly backoff: Backoff;
  private readonly status = new StatusStore();
  private readonly unsubscribers: (() => void)[] = [];
  private current: Promise<DrainResult> | null = null;
  private again = false;
  private debounceTimer: TimerHandle | null = null;
  private wakeTimer: TimerHandle | null = null;
  private statusDirty = false;
  private statusRefresh: Promise<void> | null = null;
  /** Set by stop(), cleared by start(); a never-started engine still drains on demand (service worker). */
  private stopped = false;
  /** The last drain stopped at maxPullPages with more to pull. */
  private pullBehind = false;

  constructor(private readonly options: SyncEngineOptions) {
    this.store = options.store;
    this.transport = options.transport;
    this.clock = options.clock ?? systemClock;
    this.lock = options.lock ?? new MemoryDrainLock();
    this.network = options.network ?? alwaysOnline;
    this.visibility = options.visibility ?? alwaysVisible;
    this.log = options.logger ?? silentLogger;
    this.backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF, options.random ?? Math.random);
    this.status.update({ online: this.network.isOnline() });
  }

  readonly subscribe = (listener: () => void) => this.status.subscribe(listener);
  readonly getSnapshot = (): SyncStatus => this.status.getSnapshot();

  /** Starts listening to writes, the network and visibility; drains once right away. */
  start(): void {
    if (this.unsubscribers.length > 0) return;
    if (this.stopped) {
      this.stopped = false;
      const { needsSignIn } = this.status.getSnapshot();
      this.status.update({ phase: needsSignIn ? 'needs-sign-in' : 'idle' });
    }
    this.unsubscribers.push(
      this.store.subscribe((event) => {
        if (event.type === 'quarantine')
          this.log.warn('unreadable record moved to quarantine', {
            table: event.entry.table,
            key: event.entry.key,
            issues: event.entry.issues,
          });
        this.refreshStatus();
        if (event.type === 'write') this.schedule('debounce');
      }),
      this.network.subscribe((online) => {
        this.status.update({ online });
        if (online) this.schedule('now');
      }),
      this.visibility.subscribe((visible) => {
        if (visible) this.schedule('now');
      }),
    );
    this.refreshStatus();
    this.schedule('now');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const off of this.unsubscribers.splice(0)) off();
    this.clearTimers();
    this.status.update({ phase: 'stopped', nextRetryAt: null });
    await this.current?.catch(() => undefined);
  }

  write(input: WriteInput): Promise<LocalMutation> {
    return this.store.write(input);
  }

  /** The "Sync now" button: now, past any backoff, and also trying again after a sign-in pause. */
  syncNow(): Promise<DrainResult> {
    if (this.status.getSnapshot().needsSignIn)
      this.status.update({ needsSignIn: false, phase: this.stopped ? 'stopped' : 'idle' });
    return this.drainOnce();
  }

  /** After the user signed in again: clear the pause and drain. */
  resumeAfterSignIn(): Promise<DrainResult> {
    return this.syncNow();
  }

  /** One full drain (push rounds, then pull); what the service worker's `sync` event awaits. */
  drainOnce(): Promise<DrainResult> {
    if (this.current) {
      this.again = true;
      return this.current;
    }
    const run = this.runDrains().finally(() => {
      this.current = null;
    });
    this.current = run;
    return run;
  }

  /** The mutations `discard(id)` would remove: it and everything that cannot happen without it. */
  async discardPlan(id: string): Promise<LocalMutation[]> {
    return discardSet(id, await this.store.listOutbox());
  }

  /** Removes the mutation and its dependents, restoring their rows as they were before. */
  async discard(id: string): Promise<LocalMutation[]> {
    const set = await this.discardPlan(id);
    if (set.length > 0) await this.store.apply(dropChange(set));
    this.schedule('debounce');
    return set;
  }

  /** Sends a rejected mutation again, as a new mutation carrying the row as it is now. */
  async retry(id: string): Promise<LocalMutation | null> {
    const m = (await this.store.listOutbox()).find((x) => x.id === id);
    if (m?.state !== 'rejected') return null;
    const row = m.op === 'upsert' ? await this.store.getRow(m.entity, m.key) : undefined;
    const newId = (this.options.newId ?? (() => crypto.randomUUID()))();
    const { error: _e, blockedBy: _b, ...rest } = m;
    const record: LocalMutation = {
      ...rest,
      id: newId,
      state: 'pending',
      attempted: false,
      data: m.op === 'upsert' ? (row ?? m.data) : null,
      createdAt: new Date(this.clock.now()).toISOString(),
    };
    await this.store.apply({ replace: [{ replaces: [m.id], record }], rewire: { [m.id]: newId } });
    this.schedule('now');
    return record;
  }

  /** Deletes people's synced data from this device (kiosk); unsent writes are kept. */
  purge(filter: PurgeFilter): Promise<PurgeReport> {
    return this.store.purge(filter);
  }

  private async runDrains(): Promise<DrainResult> {
    let result: DrainResult;
    do {
      this.again = false;
      result = await this.drainGuarded();
    } while (this.again && result.status === 'synced');
    this.afterDrain(result);
    return result;
  }

  private async drainGuarded(): Promise<DrainResult> {
    const snap = this.status.getSnapshot();
    if (this.stopped) return { status: 'stopped' };
    if (snap.needsSignIn) return { status: 'paused' };
    if (!this.network.isOnline()) return { status: 'offline' };
    this.clearTimers();
    this.status.update({ phase: 'draining', nextRetryAt: null });
    try {
      const locked = await this.lock.run(this.options.lockName ?? 'consult-sync-drain', () => this.drain());
      return locked.acquired ? locked.value : { status: 'skipped' };
    } catch (e) {
      if (e instanceof DrainFailure) return this.fail(e.action);
      this.log.error('drain crashed', { error: String(e) });
      return this.fail({
        type: 'retry-later',
        kind: ERROR_KINDS.badResponse,
        message: String(e),
        retryAfterMs: null,
      });
    } finally {
      this.status.update({ sending: false });
    }
  }

  private async drain(): Promise<DrainResult> {
    const clientId = await this.store.getClientId();
    // Answers are merged only if nobody purged everyone (signed out) while they were on the way.
    const epoch = await this.store.getEpoch();
    let refreshed = false;
    let pushed = 0;
    const call = async <T>(fn: () => Promise<T>): Promise<T> => {
      for (;;) {
        try {
          return await fn();
        } catch (error) {
          const action = classify({ error });
          if (action.type === 'refresh-session' && !refreshed && this.options.refreshSession) {
            refreshed = true;
            const ok = await this.options.refreshSession().catch(() => false);
            if (ok) continue;
          }
          if (action.type === 'retry-later' || action.type === 'refresh-session' || action.type === 'pause')
            throw new DrainFailure(action);
          throw error;
        }
      }
    };
    for (let round = 0; round < (this.options.maxRounds ?? 100); round++) {
      const plan = await this.plan();
      const batch = plan.batches[0];
      if (!batch) break;
      const covered = batch.flatMap((p) => p.covers.map((m) => m.id));
      // `attempted` marks only the id that goes on the wire: the others' ids never reach the ledger.
      const wireIds = new Set(batch.map((p) => p.wire.id));
      await this.store.apply({
        patch: covered.map((id) =>
          wireIds.has(id) ? { id, state: 'sending', attempted: true } : { id, state: 'sending' },
        ),
      });
      this.status.update({ sending: true });
      let results: Awaited<ReturnType<SyncTransport['push']>>;
      // A group goes out under its newest write's seq: what the server compares a late request with.
      const wire = batch.map((p) => ({ ...p.wire, seq: Math.max(...p.covers.map(seqOnWire)) }));
      try {
        results = await call(() => this.transport.push(clientId, wire));
      } catch (e) {
        // Still attempted (the server may have committed), but no longer in flight.
        await this.store.apply({ patch: covered.map((id) => ({ id, state: 'pending' })) });
        throw e;
      } finally {
        this.status.update({ sending: false });
      }
      const sent = new Set(batch.map((p) => p.wire.id));
      if (results.length !== batch.length || !results.every((r) => sent.has(r.id))) {
        await this.store.apply({ patch: covered.map((id) => ({ id, state: 'pending' })) });
        throw new DrainFailure({
          type: 'retry-later',
          kind: ERROR_KINDS.badResponse,
          message: 'answers do not match the batch',
          retryAfterMs: null,
        });
      }
      const { change, summary } = resultsChange(batch, results);
      await this.store.apply({ ...withWireSeq(change, batch), epoch });
      pushed += batch.length;
      this.log.debug('pushed batch', { size: batch.length, ...summary });
    }
    const { pulled, pages, morePull } = await this.pullPages(epoch, call);
    this.pullBehind = morePull;
    this.backoff.reset();
    this.status.update({ lastSuccessAt: this.clock.now(), lastError: null });
    return { status: 'synced', pushed, pulled, pages, morePull };
  }

  /**
   * Pulls page after page, each merged with its cursor in one store transaction as it arrives: one
   * page in memory at a time, and a crash or a failure mid-way keeps the pages already merged (the
   * next drain goes on from the last cursor).
   */
  private async pullPages(
    epoch: number,
    call: <T>(fn: () => Promise<T>) => Promise<T>,
  ): Promise<{ pulled: number; pages: number; morePull: boolean }> {
    const maxRows = this.options.pullPageRows ?? DEFAULT_PULL_PAGE_ROWS;
    const maxPages = this.options.maxPullPages ?? 50;
    let pulled = 0;
    for (let pages = 1; ; pages++) {
      const cursor = await this.store.getCursor();
      const page = await call(() => this.transport.pull(cursor, { maxRows }));
      pulled += (await this.store.applyPull(page, epoch)).merged;
      if (!page.hasMore) return { pulled, pages, morePull: false };
      // Signed out meanwhile: the page was dropped and the cursor reset; the next session's drain
      // starts over under its own user.
      if ((await this.store.getEpoch()) !== epoch) return { pulled, pages, morePull: false };
      if (pages >= maxPages) return { pulled, pages, morePull: true };
    }
  }

  /** Plans, applying what the plan implies before anything is sent (holds, vanished, oversize). */
  private async plan(): Promise<Plan> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const outbox = await this.store.listOutbox();
      let plan: Plan;
      try {
        plan = planOutboxSafely(outbox, { limits: this.options.limits ?? PUSH_LIMITS });
      } catch (e) {
        if (!isPlanCycleError(e)) throw e;
        // Only corrupt data can do this (deps always point back in time): surface it, do not spin.
        this.log.error('dependency cycle in the outbox', { ids: e.ids });
        const error = {
          code: 'conflict' as const,
          message: 'dependency cycle; discard and write again',
          field: null,
        };
        await this.store.apply({ patch: e.ids.map((id) => ({ id, state: 'rejected', error })) });
        continue;
      }
      const change = housekeepingChange(plan);
      if (change) await this.store.apply(change);
      // Oversized ones were just rejected: plan again so that nothing waiting on them goes out.
      if (plan.oversized.length === 0) return plan;
    }
    return { batches: [], vanished: [], held: [], released: [], oversized: [] };
  }

  private fail(action: Failure): DrainResult {
    const at = this.clock.now();
    switch (action.type) {
      case 'retry-later': {
        const delay = this.backoff.next(action.retryAfterMs);
        if (this.stopped) {
          // Stopped mid-drain: remember the error, but arm nothing; start() drains again.
          this.status.update({ lastError: { kind: action.kind, message: action.message, at } });
          return { status: 'failed', kind: action.kind, retryAt: null };
        }
        this.status.update({
          phase: 'backoff',
          lastError: { kind: action.kind, message: action.message, at },
          nextRetryAt: at + delay,
        });
        this.wakeTimer = this.clock.setTimeout(() => this.wake(), delay);
        return { status: 'failed', kind: action.kind, retryAt: at + delay };
      }
      case 'refresh-session':
      case 'pause': {
        const kind = action.type === 'pause' ? action.kind : ERROR_KINDS.unauthorized;
        this.status.update({
          phase: this.stopped ? 'stopped' : 'needs-sign-in',
          needsSignIn: true,
          lastError: { kind, message: action.message, at },
        });
        return { status: 'failed', kind, retryAt: null };
      }
      default: {
        const never: never = action;
        throw new Error(`unhandled failure ${JSON.stringify(never)}`);
      }
    }
  }

  private afterDrain(result: DrainResult): void {
    this.refreshStatus();
    if (this.stopped) {
      this.status.update({ phase: 'stopped' });
      return;
    }
    if (result.status === 'failed' || result.status === 'stopped' || result.status === 'paused') return;
    this.status.update({ phase: 'idle' });
    if (result.status === 'synced' && result.morePull) {
      // The server has more pages: go on at once, but through the timer, after letting go of the lock.
      if (this.wakeTimer !== null) this.clock.clearTimeout(this.wakeTimer);
      this.wakeTimer = this.clock.setTimeout(() => this.wake(), 0);
      return;
    }
    // Something may still wait (another tab held the lock, writes landed late): look again later.
    this.wakeTimer ??= this.clock.setTimeout(() => this.wake(), this.options.pollMs ?? 30_000);
  }

  private async wake(): Promise<void> {
    this.wakeTimer = null;
    const outbox = await this.store.listOutbox();
    if (
      this.pullBehind ||
      outbox.some((m) => m.state === 'pending' || m.state === 'sending') ||
      this.status.getSnapshot().phase === 'backoff'
    )
      void this.drainOnce();
  }

  private schedule(when: 'now' | 'debounce'): void {
    const snap = this.status.getSnapshot();
    if (this.stopped || snap.needsSignIn) return;
    if (when === 'debounce') {
      // Writes do not cut a backoff short: the retry timer will take them along.
      if (snap.phase === 'backoff') return;
      if (this.debounceTimer !== null) this.clock.clearTimeout(this.debounceTimer);
      this.debounceTimer = this.clock.setTimeout(() => {
        this.debounceTimer = null;
        void this.drainOnce();
      }, this.options.debounceMs ?? 500);
      return;
    }
    void this.drainOnce();
  }

  private clearTimers(): void {
    if (this.debounceTimer !== null) this.clock.clearTimeout(this.debounceTimer);
    if (this.wakeTimer !== null) this.clock.clearTimeout(this.wakeTimer);
    this.debounceTimer = null;
    this.wakeTimer = null;
  }

  /** Re-reads the outbox for the status; overlapping requests fold into one more read. */
  private refreshStatus(): void {
    this.statusDirty = true;
    if (this.statusRefresh) return;
    this.statusRefresh = (async () => {
      while (this.statusDirty) {
        this.statusDirty = false;
        try {
          this.status.update(outboxStatus(await this.store.listOutbox()));
        } catch (e) {
          this.log.warn('status refresh failed', { error: String(e) });
        }
      }
      this.statusRefresh = null;
    })();
  }

  /** Resolves once the status reflects the store (for tests and for a UI that just wrote). */
  async settled(): Promise<void> {
    while (this.statusRefresh) await this.statusRefresh;
  }
}

function seqOnWire(m: LocalMutation): number {
  return m.wireSeq ?? m.seq;
}

/**
 * A rejected group becomes one record that keeps its first member's seq (its place in the outbox);
 * it remembers the group's newest seq for the wire, or a retry of it would look older than a member
 * the server may already have applied, and be answered as superseded.
 */
function withWireSeq(change: OutboxChange, batch: readonly PlannedMutation[]): OutboxChange {
  if (!change.replace?.length) return change;
  return {
    ...change,
    replace: change.replace.map((r) => {
      const group = batch.find((p) => p.covers.some((m) => r.replaces.includes(m.id)));
      if (!group) return r;
      const newest = Math.max(...group.covers.map(seqOnWire));
      return newest > r.record.seq ? { ...r, record: { ...r.record, wireSeq: newest } } : r;
    }),
  };
}
