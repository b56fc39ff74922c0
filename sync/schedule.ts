/**
 * When the engine drains, as a pure state machine: `transition(state, event)` returns the next state
 * and the effects the scheduler (`scheduler.ts`) carries out. Nothing else changes the state.
 *
 *             trigger now · request · debounce fired · wake (queued or behind)
 *   ┌──────── idle ───────────────────────────────────────────────► draining ◄──┐ request while
 *   │          ▲ ▲                                                  │  │  │  │  └─ draining: again
 *   │          │ └── synced (poll; wake now if the pull is behind) ─┘  │  │  └─ synced + again: drain again
 *   │          └──── skipped (another tab holds the lock) ─────────────┘  │
 *   │   offline request: idle (poll)                                      ├─ retry-later ─► backoff(retryAt)
 *   │                                                                     │    wake · request · trigger now ─► draining
 *   │                                                                     └─ needs sign-in ─► needs-sign-in
 *   │                                          (draining again if a sync-now came meanwhile)  sync-now ─► idle ─► draining
 *   └─ stop (any state) ─► stopped(paused, inFlight) ── start ─► needs-sign-in if paused,
 *                                                                 draining if a drain is still in flight, else idle
 *
 * `stopped` remembers a drain still in flight (its end must not revive the phase or arm a timer) and
 * a sign-in pause (a restart keeps it). A write only debounces: it never cuts a backoff short or
 * wakes a paused or stopped engine.
 */

export type SchedulerState =
  /** `behind`: drain at the next wake even with nothing queued (the server had more to pull). */
  | { phase: 'idle'; behind: boolean }
  /**
   * `again`: a request came while draining; one more drain follows a successful one. `syncNow`: it
   * was a Sync now, which a sign-in also asks for: one more drain follows even one that ended
   * needing a sign-in, since that sign-in may be what it was waiting for.
   */
  | { phase: 'draining'; again: boolean; syncNow?: true }
  | { phase: 'backoff'; retryAt: number }
  | { phase: 'needs-sign-in' }
  | { phase: 'stopped'; paused: boolean; inFlight: boolean };

export type SchedulerPhase = SchedulerState['phase'];

/** How a drain ended, as far as scheduling cares. */
export type DrainEnd =
  | { type: 'synced'; morePull: boolean }
  /** Another tab or the service worker holds the drain lock. */
  | { type: 'skipped' }
  | { type: 'retry-later'; retryAt: number }
  | { type: 'needs-sign-in' };

export type SchedulerEvent =
  | { type: 'start' }
  | { type: 'stop' }
  /** A write (`debounce`), the network coming back or the page becoming visible (`now`). */
  | { type: 'trigger'; when: 'now' | 'debounce'; online: boolean }
  /** drainOnce(), or the debounce timer firing. */
  | { type: 'request'; online: boolean }
  /** The "Sync now" button: also ends a sign-in pause. */
  | { type: 'sync-now'; online: boolean }
  /** The wake timer fired (backoff over, or the poll); `queued`: the outbox has something to send. */
  | { type: 'wake'; queued: boolean; online: boolean }
  | { type: 'drained'; end: DrainEnd; online: boolean };

export type Effect =
  /** Run a drain and report `drained`; while one runs this means "one more". */
  | { type: 'drain' }
  /** Answer a request without draining. */
  | { type: 'refuse'; status: 'stopped' | 'paused' | 'offline' }
  /** (Re)arm the debounce timer. */
  | { type: 'debounce' }
  /** Arm the wake timer for the poll interval, unless it is armed already. */
  | { type: 'poll' }
  /** (Re)arm the wake timer for this time, or for right away. */
  | { type: 'wake-at'; at: number | 'now' }
  /** Clear both timers. */
  | { type: 'disarm' };

export interface Transition {
  state: SchedulerState;
  effects: Effect[];
}

export const INITIAL_SCHEDULER_STATE: SchedulerState = { phase: 'idle', behind: false };

function request(state: SchedulerState, online: boolean): Transition {
  switch (state.phase) {
    case 'draining':
      return { state: { phase: 'draining', again: true }, effects: [] };
    case 'stopped':
      // A drain still in flight answers this request too.
      return { state, effects: state.inFlight ? [] : [{ type: 'refuse', status: 'stopped' }] };
    case 'needs-sign-in':
      return { state, effects: [{ type: 'refuse', status: 'paused' }] };
    case 'idle':
    case 'backoff':
      if (!online)
        // Whatever was owed (a backoff's retry, pages left to pull) is tried at the next wake.
        return {
          state: { phase: 'idle', behind: state.phase === 'backoff' || state.behind },
          effects: [{ type: 'refuse', status: 'offline' }, { type: 'poll' }],
        };
      return { state: { phase: 'draining', again: false }, effects: [{ type: 'disarm' }, { type: 'drain' }] };
  }
}

function drained(state: SchedulerState, end: DrainEnd, online: boolean): Transition {
  if (state.phase === 'stopped') {
    const paused = state.paused || end.type === 'needs-sign-in';
    return { state: { phase: 'stopped', paused, inFlight: false }, effects: [] };
  }
  if (state.phase !== 'draining') return { state, effects: [] };
  switch (end.type) {
    case 'synced':
      if (state.again && online)
        return { state: { phase: 'draining', again: false }, effects: [{ type: 'drain' }] };
      // More pages on the server: go on at once, but through the timer, so the lock is let go.
      if (end.morePull)
        return { state: { phase: 'idle', behind: true }, effects: [{ type: 'wake-at', at: 'now' }] };
      // Something may still wait (another tab held the lock, writes landed late): look again later.
      return { state: { phase: 'idle', behind: false }, effects: [{ type: 'poll' }] };
    case 'skipped':
      return { state: { phase: 'idle', behind: false }, effects: [{ type: 'poll' }] };
    case 'retry-later':
      return {
        state: { phase: 'backoff', retryAt: end.retryAt },
        effects: [{ type: 'wake-at', at: end.retryAt }],
      };
    case 'needs-sign-in':
      if (state.syncNow && online)
        return { state: { phase: 'draining', again: false }, effects: [{ type: 'drain' }] };
      return { state: { phase: 'needs-sign-in' }, effects: [] };
  }
}

export function transition(state: SchedulerState, event: SchedulerEvent): Transition {
  switch (event.type) {
    case 'start':
      if (state.phase !== 'stopped') return { state, effects: [] };
      if (state.paused) return { state: { phase: 'needs-sign-in' }, effects: [] };
      return {
        state: state.inFlight ? { phase: 'draining', again: true } : { phase: 'idle', behind: false },
        effects: [],
      };
    case 'stop': {
      const paused = state.phase === 'needs-sign-in' || (state.phase === 'stopped' && state.paused);
      const inFlight = state.phase === 'draining' || (state.phase === 'stopped' && state.inFlight);
      return { state: { phase: 'stopped', paused, inFlight }, effects: [{ type: 'disarm' }] };
    }
    case 'trigger':
      if (state.phase === 'stopped' || state.phase === 'needs-sign-in') return { state, effects: [] };
      if (event.when === 'now') return request(state, event.online);
      // Writes do not cut a backoff short: the retry timer will take them along.
      return { state, effects: state.phase === 'backoff' ? [] : [{ type: 'debounce' }] };
    case 'request':
      return request(state, event.online);
    case 'sync-now':
      if (state.phase === 'needs-sign-in') return request({ phase: 'idle', behind: false }, event.online);
      if (state.phase === 'stopped') return request({ ...state, paused: false }, event.online);
      if (state.phase === 'draining')
        return { state: { phase: 'draining', again: true, syncNow: true }, effects: [] };
      return request(state, event.online);
    case 'wake':
      if (state.phase === 'backoff' || (state.phase === 'idle' && (state.behind || event.queued)))
        return request(state, event.online);
      return { state, effects: [] };
    case 'drained':
      return drained(state, event.end, event.online);
  }
}
