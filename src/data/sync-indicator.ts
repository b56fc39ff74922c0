/**
 * What the always-visible status indicator says, derived from the outbox itself (not only from the
 * engine's last report), so it can never claim "all sent" while anything is still queued.
 */
import type { MutationState } from '../../sync/local-mutation.ts';

export interface IndicatorInput {
  online: boolean;
  /** Every outbox entry's state. */
  outbox: readonly { state: MutationState }[];
  /** The engine is pushing right now. */
  draining: boolean;
  /** When the outbox last became empty after a push (this device), if ever. */
  lastSentAt: Date | null;
  /** The engine paused because there is no session: writes wait for sign-in. */
  needsSignIn: boolean;
}

export type Indicator =
  | { kind: 'attention'; count: number; offline: boolean }
  | { kind: 'offline'; waiting: number }
  | { kind: 'sending'; waiting: number }
  | { kind: 'sign-in'; waiting: number }
  | { kind: 'waiting'; waiting: number }
  | { kind: 'all-sent'; at: Date }
  | { kind: 'nothing-yet' };

/** Entries the user must act on (fix or discard) before they can be sent. */
export function needsAttention(state: MutationState): boolean {
  return state === 'rejected' || state === 'blocked';
}

export function deriveIndicator(input: IndicatorInput): Indicator {
  const attention = input.outbox.filter((m) => needsAttention(m.state)).length;
  const waiting = input.outbox.length - attention;
  // Needs attention wins: nothing else the indicator could say is something the user can act on.
  if (attention > 0) return { kind: 'attention', count: attention, offline: !input.online };
  if (!input.online) return { kind: 'offline', waiting };
  if (waiting > 0) {
    if (input.draining || input.outbox.some((m) => m.state === 'sending'))
      return { kind: 'sending', waiting };
    if (input.needsSignIn) return { kind: 'sign-in', waiting };
    return { kind: 'waiting', waiting };
  }
  return input.lastSentAt ? { kind: 'all-sent', at: input.lastSentAt } : { kind: 'nothing-yet' };
}
