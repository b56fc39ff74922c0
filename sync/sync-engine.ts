/**
 * The sync engine: drains the outbox to the server in dependency order, then pulls. It wires three
 * parts and publishes one status snapshot:
 *   - `scheduler.ts` (with the pure `schedule.ts`): when to drain: triggers, timers, lock, backoff, pause;
 *   - `drain.ts`: what one drain does: plan, push rounds, answers, pull pages;
 *   - `outbox-changes.ts`: what the user's commands (retry, discard) change in the outbox.
 */
import { Backoff, type BackoffOptions, DEFAULT_BACKOFF } from './backoff.ts';
import { type DrainContext, type DrainOutcome, drain } from './drain.ts';
import { ERROR_KINDS } from './errors.ts';
import type { LocalMutation } from './local-mutation.ts';
import { MemoryDrainLock } from './locks.ts';
import { dropChange, retryChange } from './outbox-changes.ts';
import { discardSet } from './planner.ts';
import { randomUUID } from './platform.ts';
import {
  alwaysOnline,
  alwaysVisible,
  type Clock,
  type DrainLock,
  type DrainObserver,
  type Logger,
  type NetworkStatus,
  silentLogger,
  systemClock,
  type Visibility,
} from './ports.ts';
import type { SchedulerState } from './schedule.ts';
import { type DrainResult, Scheduler } from './scheduler.ts';
import type { SyncStore } from './stores/sync-store.ts';
import { StatusStore, type SyncStatus } from './sync-status.ts';
import type { SyncTransport } from './transports/transport.ts';

export interface SyncEngineOptions extends Omit<DrainContext, 'log'> {
  store: SyncStore;
  transport: SyncTransport;
  clock?: Clock;
  lock?: DrainLock;
  network?: NetworkStatus;
  visibility?: Visibility;
  logger?: Logger;
  /** For backoff jitter. */
  random?: () => number;
  /** Ids for re-enqueued (retried) mutations. */
  newId?: () => string;
  debounceMs?: number;
  pollMs?: number;
  backoff?: BackoffOptions;
  lockName?: string;
  /** Told of each drain's start and end (the QA sync log). */
  drainObserver?: DrainObserver;
}

function phaseStatus(state: SchedulerState): Pick<SyncStatus, 'phase' | 'nextRetryAt'> {
  return { phase: state.phase, nextRetryAt: state.phase === 'backoff' ? state.retryAt : null };
}

export class SyncEngine {
  private readonly store: SyncStore;
  private readonly clock: Clock;
  private readonly network: NetworkStatus;
  private readonly visibility: Visibility;
  private readonly log: Logger;
  private readonly scheduler: Scheduler;
  private readonly status = new StatusStore();
  private readonly unsubscribers: (() => void)[] = [];
  private listeners = 0;
  /** Stops following the store and the network for the status (see `subscribe`). */
  private unwatch: (() => void) | null = null;
  private countsDirty = false;
  private counting: Promise<void> | null = null;

  constructor(private readonly options: SyncEngineOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.network = options.network ?? alwaysOnline;
    this.visibility = options.visibility ?? alwaysVisible;
    this.log = options.logger ?? silentLogger;
    const context: DrainContext = { ...options, log: this.log };
    this.scheduler = new Scheduler(
      {
        clock: this.clock,
        lock: options.lock ?? new MemoryDrainLock(),
        lockName: options.lockName ?? 'consult-sync-drain',
        network: this.network,
        backoff: new Backoff(options.backoff ?? DEFAULT_BACKOFF, options.random ?? Math.random),
        debounceMs: options.debounceMs ?? 500,
        pollMs: options.pollMs ?? 30_000,
        observer: options.drainObserver,
      },
      {
        drain: async () => this.record(await drain(context)),
        hasQueued: async () => {
          const counts = await this.store.countOutbox();
          return counts.pending + counts.sending > 0;
        },
        changed: (state) => {
          this.status.update(phaseStatus(state));
          this.recount();
        },
      },
    );
    this.status.update({ online: this.network.isOnline() });
  }

  /**
   * Listens to the status. While anyone listens, the counts and the network flag follow the store
   * and the platform even before start() (the page starts the engine a second after its first
   * screen; the indicator must be right meanwhile); they stop following with the last listener
   * (the worker's engine never has one).
   */
  readonly subscribe = (listener: () => void): (() => void) => {
    const off = this.status.subscribe(listener);
    if (this.listeners++ === 0) {
      const offStore = this.store.subscribe(() => this.recount());
      const offNetwork = this.network.subscribe((online) => this.status.update({ online }));
      this.unwatch = () => {
        offStore();
        offNetwork();
      };
      this.status.update({ online: this.network.isOnline() });
      this.recount();
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      off();
      if (--this.listeners === 0) {
        this.unwatch?.();
        this.unwatch = null;
      }
    };
  };
  readonly getSnapshot = (): SyncStatus => this.status.getSnapshot();

  /** Starts listening to writes, the network and visibility; drains once right away. */
  start(): void {
    if (this.unsubscribers.length > 0) return;
    this.unsubscribers.push(
      this.store.subscribe((event) => {
        if (event.type === 'quarantine')
          this.log.warn('unreadable record moved to quarantine', { table: event.entry.table });
        this.recount();
        if (event.type === 'write') this.scheduler.trigger('debounce');
      }),
      this.network.subscribe((online) => {
        this.status.update({ online });
        if (online) this.scheduler.trigger('now');
      }),
      this.visibility.subscribe((visible) => {
        if (visible) this.scheduler.trigger('now');
      }),
    );
    this.recount();
    this.scheduler.start();
  }

  /** Stops the triggers and waits for a drain in flight; a drain's end no longer arms anything. */
  async stop(): Promise<void> {
    for (const off of this.unsubscribers.splice(0)) off();
    await this.scheduler.stop();
  }

  /** The "Sync now" button: now, past any backoff, and also trying again after a sign-in pause. */
  syncNow(): Promise<DrainResult> {
    return this.scheduler.syncNow();
  }

  /** One full drain (push rounds, then pull); what the service worker's `sync` event awaits. */
  drainOnce(): Promise<DrainResult> {
    return this.scheduler.request();
  }

  /** The mutations `discard(id)` would remove: it and everything that cannot happen without it. */
  async discardPlan(id: string): Promise<LocalMutation[]> {
    return discardSet(id, await this.store.listOutbox());
  }

  /** Removes the mutation and its dependents, restoring their rows as they were before. */
  async discard(id: string): Promise<LocalMutation[]> {
    const set = await this.discardPlan(id);
    if (set.length > 0) await this.store.apply(dropChange(set));
    this.scheduler.trigger('debounce');
    return set;
  }

  /**
   * Sets aside every outbox record that does not read as an entry (damaged, or of an unknown shape):
   * it moves to the quarantine, for QA, and stops counting as needing attention. Such a record has
   * no entry to discard by its id, and its id may not even be text.
   */
  async setAsideUnreadable(): Promise<void> {
    // Reading the outbox moves each record that does not parse to the quarantine (TxReader).
    await this.store.listOutbox();
    this.scheduler.trigger('debounce');
  }

  /** Sends a rejected mutation again, as a new mutation carrying the row as it is now. */
  async retry(id: string): Promise<LocalMutation | null> {
    const m = (await this.store.listOutbox()).find((x) => x.id === id);
    if (m?.state !== 'rejected') return null;
    const row = m.op === 'upsert' ? await this.store.getRow(m.entity, m.key) : undefined;
    const newId = (this.options.newId ?? randomUUID)();
    const createdAt = new Date(this.clock.now()).toISOString();
    const { change, record } = retryChange(m, row, newId, createdAt);
    await this.store.apply(change);
    this.scheduler.trigger('now');
    return record;
  }

  /** Resolves once the status reflects the store (for tests and for a UI that just wrote). */
  async settled(): Promise<void> {
    while (this.counting) await this.counting;
  }

  /** What a drain's end says for the status: the last success, or the last error. */
  private record(outcome: DrainOutcome): DrainOutcome {
    const at = this.clock.now();
    if (outcome.status === 'synced') {
      this.status.update({ lastSuccessAt: at, lastError: null });
      return outcome;
    }
    const { failure } = outcome;
    const kind =
      failure.type === 'retry-later' || failure.type === 'pause' ? failure.kind : ERROR_KINDS.unauthorized;
    this.status.update({ lastError: { kind, message: failure.message, at } });
    // Waiting for someone to sign in (a first visit, a session that ended) is a state the screen
    // shows, not a fault: a warning on every such drain filled QA's console and scenario output.
    if (failure.type === 'refresh-session') this.log.info('drain waits for a sign-in', { kind });
    else this.log.warn('drain failed', { kind });
    return outcome;
  }

  /** Re-counts the outbox for the status; overlapping requests fold into one more count. */
  private recount(): void {
    this.countsDirty = true;
    if (this.counting) return;
    this.counting = (async () => {
      while (this.countsDirty) {
        this.countsDirty = false;
        try {
          this.status.update({ counts: await this.store.countOutbox() });
        } catch (e) {
          this.log.warn('status count failed', { error: e instanceof Error ? e.name : 'unknown' });
        }
      }
      this.counting = null;
    })();
  }
}
