/**
 * Carries out `schedule.ts`'s transitions: the debounce and wake timers, the drain lock (one drain
 * at a time per engine, and across tabs and the service worker: Web Locks with ifAvailable, never
 * steal) and the backoff. What a drain does and what the status says belong to the delegate.
 */
import type { Backoff } from './backoff.ts';
import type { DrainOutcome } from './drain.ts';
import { ERROR_KINDS, type ErrorKind } from './errors.ts';
import type { Clock, DrainLock, DrainObserver, NetworkStatus, TimerHandle } from './ports.ts';
import {
  type DrainEnd,
  type Effect,
  INITIAL_SCHEDULER_STATE,
  type SchedulerEvent,
  type SchedulerState,
  transition,
} from './schedule.ts';

export type DrainResult =
  /** `pulled`: rows merged from every page; `morePull`: pages were left for the next drain. */
  | { status: 'synced'; pushed: number; pulled: number; pages: number; morePull: boolean }
  | { status: 'skipped' }
  | { status: 'offline' }
  | { status: 'paused' }
  | { status: 'stopped' }
  | { status: 'failed'; kind: ErrorKind; retryAt: number | null };

export interface SchedulerDelegate {
  /** One drain; the scheduler holds the lock around it. */
  drain(): Promise<DrainOutcome>;
  /** Whether the outbox holds anything to send (asked when the poll timer fires). */
  hasQueued(): Promise<boolean>;
  /** The state changed. */
  changed(state: SchedulerState): void;
}

export interface SchedulerOptions {
  clock: Clock;
  lock: DrainLock;
  lockName: string;
  network: NetworkStatus;
  backoff: Backoff;
  debounceMs: number;
  pollMs: number;
  observer?: DrainObserver | undefined;
}

function sameState(a: SchedulerState, b: SchedulerState): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((k) => x[k] === y[k]);
}

export class Scheduler {
  private state: SchedulerState = INITIAL_SCHEDULER_STATE;
  /** The drains in flight (one, or more folded in by `again`); what a request made meanwhile awaits. */
  private running: Promise<DrainResult> | null = null;
  private debounceTimer: TimerHandle | null = null;
  private wakeTimer: TimerHandle | null = null;
  /** What asked for the next drain, for the observer. */
  private cause = 'start';

  constructor(
    private readonly options: SchedulerOptions,
    private readonly delegate: SchedulerDelegate,
  ) {}

  getState(): SchedulerState {
    return this.state;
  }

  start(): void {
    this.dispatch({ type: 'start' });
    this.trigger('now');
  }

  async stop(): Promise<void> {
    this.dispatch({ type: 'stop' });
    await this.running?.catch(() => undefined);
  }

  trigger(when: 'now' | 'debounce'): void {
    void this.answer(this.dispatch({ type: 'trigger', when, online: this.online() }));
  }

  /** One full drain now, or the one in flight (it then runs once more). */
  request(): Promise<DrainResult> {
    return this.answer(this.dispatch({ type: 'request', online: this.online() }));
  }

  /** The "Sync now" button: past any backoff, and also after a sign-in pause. */
  syncNow(): Promise<DrainResult> {
    return this.answer(this.dispatch({ type: 'sync-now', online: this.online() }));
  }

  private online(): boolean {
    return this.options.network.isOnline();
  }

  private answer(effects: readonly Effect[]): Promise<DrainResult> {
    for (const e of effects) if (e.type === 'refuse') return Promise.resolve({ status: e.status });
    return this.running ?? Promise.resolve({ status: 'skipped' });
  }

  private dispatch(event: SchedulerEvent): Effect[] {
    const before = this.state;
    const { state, effects } = transition(before, event);
    this.state = state;
    if (!sameState(state, before)) this.delegate.changed(state);
    if (event.type !== 'drained' && effects.some((e) => e.type === 'drain')) this.cause = causeOf(event);
    for (const effect of effects) this.run(effect);
    return effects;
  }

  private run(effect: Effect): void {
    const { clock } = this.options;
    switch (effect.type) {
      case 'drain':
        // While drains run, the loop itself sees this effect and goes round once more.
        this.running ??= this.loop();
        return;
      case 'refuse':
        return;
      case 'debounce':
        if (this.debounceTimer !== null) clock.clearTimeout(this.debounceTimer);
        this.debounceTimer = clock.setTimeout(() => {
          this.debounceTimer = null;
          void this.request();
        }, this.options.debounceMs);
        return;
      case 'poll':
        this.wakeTimer ??= clock.setTimeout(() => void this.wake(), this.options.pollMs);
        return;
      case 'wake-at': {
        if (this.wakeTimer !== null) clock.clearTimeout(this.wakeTimer);
        const ms = effect.at === 'now' ? 0 : Math.max(0, effect.at - clock.now());
        this.wakeTimer = clock.setTimeout(() => void this.wake(), ms);
        return;
      }
      case 'disarm':
        if (this.debounceTimer !== null) clock.clearTimeout(this.debounceTimer);
        if (this.wakeTimer !== null) clock.clearTimeout(this.wakeTimer);
        this.debounceTimer = null;
        this.wakeTimer = null;
        return;
    }
  }

  private async wake(): Promise<void> {
    this.wakeTimer = null;
    const queued = await this.delegate.hasQueued();
    void this.answer(this.dispatch({ type: 'wake', queued, online: this.online() }));
  }

  private async loop(): Promise<DrainResult> {
    try {
      for (;;) {
        const { end, result } = await this.once();
        if (result.status !== 'skipped') this.report(result);
        const effects = this.dispatch({ type: 'drained', end, online: this.online() });
        // Stopped meanwhile: nothing was armed, so there is no retry time to report.
        if (!effects.some((e) => e.type === 'drain'))
          return result.status === 'failed' && this.state.phase !== 'backoff'
            ? { ...result, retryAt: null }
            : result;
      }
    } finally {
      // Cleared before the promise settles: a request right after the last drain starts a new one.
      this.running = null;
    }
  }

  private report(result: Exclude<DrainResult, { status: 'skipped' }>): void {
    const failed = result.status === 'failed';
    this.options.observer?.drainEnded({
      at: this.options.clock.now(),
      status: result.status,
      kind: failed ? result.kind : null,
      retryAt: failed ? result.retryAt : null,
      pausedForSignIn: failed && result.retryAt === null,
    });
  }

  /** One drain under the lock, its failure turned into when to try again. */
  private async once(): Promise<{ end: DrainEnd; result: DrainResult }> {
    const { lock, lockName, backoff, clock } = this.options;
    const crashed = (e: unknown): DrainOutcome => {
      const message = `drain lock failed: ${e instanceof Error ? e.name : 'unknown'}`;
      return {
        status: 'failed',
        failure: { type: 'retry-later', kind: ERROR_KINDS.badResponse, message, retryAfterMs: null },
      };
    };
    const locked = await lock
      .run(lockName, () => {
        this.options.observer?.drainStarted({ at: clock.now(), trigger: this.cause });
        // Unless a request arrives meanwhile, a next drain in this loop is for the pages left.
        this.cause = 'again';
        return this.delegate.drain();
      })
      .catch((e: unknown) => ({
        acquired: true as const,
        value: crashed(e),
      }));
    if (!locked.acquired) return { end: { type: 'skipped' }, result: { status: 'skipped' } };
    const outcome = locked.value;
    if (outcome.status === 'synced') {
      backoff.reset();
      return { end: { type: 'synced', morePull: outcome.morePull }, result: outcome };
    }
    const { failure } = outcome;
    if (failure.type === 'retry-later') {
      const retryAt = clock.now() + backoff.next(failure.retryAfterMs);
      return {
        end: { type: 'retry-later', retryAt },
        result: { status: 'failed', kind: failure.kind, retryAt },
      };
    }
    const kind = failure.type === 'pause' ? failure.kind : ERROR_KINDS.unauthorized;
    return { end: { type: 'needs-sign-in' }, result: { status: 'failed', kind, retryAt: null } };
  }
}

/** A short name of what led to a drain (`again`: the loop went round for pages left). */
function causeOf(event: SchedulerEvent): string {
  return event.type === 'trigger' ? `trigger-${event.when}` : event.type;
}
