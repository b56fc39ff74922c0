/**
 * How a drain makes a server call and what a failed call does to it: a 401 refreshes the session
 * once per drain; a refusal of what the call carried is thrown as `Refused` (the push rounds split
 * the batch); anything else that fails the whole drain is thrown as `Stop` and ends it.
 */
import { classify, type SyncAction } from './classify.ts';

/** A failure that ends the whole drain. */
export type DrainFailure = Extract<SyncAction, { type: 'retry-later' | 'refresh-session' | 'pause' }>;

/** Thrown inside a drain to end it; never leaves `drain`. */
export class Stop {
  constructor(readonly failure: DrainFailure) {}
}

/** Thrown by a call the server refused for what it carried; the push rounds split the batch. */
export class Refused {
  constructor(readonly action: Extract<SyncAction, { type: 'split' }>) {}
}

export type Call = <T>(fn: () => Promise<T>) => Promise<T>;

/** Runs a server call; a 401 refreshes the session once per drain and tries again. */
export function callOnce(refreshSession: (() => Promise<boolean>) | undefined): Call {
  let refreshed = false;
  return async (fn) => {
    for (;;) {
      try {
        return await fn();
      } catch (error) {
        const action = classify({ error });
        if (action.type === 'refresh-session' && !refreshed && refreshSession) {
          refreshed = true;
          if (await refreshSession().catch(() => false)) continue;
        }
        if (action.type === 'split') throw new Refused(action);
        if (action.type === 'retry-later' || action.type === 'refresh-session' || action.type === 'pause')
          throw new Stop(action);
        throw error;
      }
    }
  };
}
