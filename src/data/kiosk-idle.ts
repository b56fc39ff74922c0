/**
 * When an idle kiosk session ends. The patient has `idleSeconds` without a touch in all; during the
 * last `COUNTDOWN_SECONDS` of them (or the last third, for short idle times) a "Still there?"
 * countdown is shown, with a button to continue. Pure: the hook feeds it the clock.
 */
export const COUNTDOWN_SECONDS = 20;

export type IdlePhase =
  | { kind: 'active' }
  /** Seconds left, rounded up: what the countdown shows. */
  | { kind: 'warning'; secondsLeft: number }
  | { kind: 'expired' };

/** How many of the idle seconds the countdown takes. */
export function countdownSeconds(idleSeconds: number): number {
  return Math.min(COUNTDOWN_SECONDS, Math.floor(idleSeconds / 3));
}

export function idlePhase(lastActivity: number, now: number, idleSeconds: number): IdlePhase {
  const idleMs = idleSeconds * 1000;
  const elapsed = now - lastActivity;
  if (elapsed >= idleMs) return { kind: 'expired' };
  const left = idleMs - elapsed;
  if (left <= countdownSeconds(idleSeconds) * 1000)
    return { kind: 'warning', secondsLeft: Math.ceil(left / 1000) };
  return { kind: 'active' };
}
