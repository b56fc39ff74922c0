/**
 * The idle timer of a patient's session: any touch, key or scroll restarts it; `idlePhase` says
 * whether to show the "Still there?" countdown or to end the session. A one-second tick re-renders
 * the countdown; nothing else about the session lives here.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { type IdlePhase, idlePhase } from '../../data/kiosk-idle.ts';

const ACTIVITY = ['pointerdown', 'keydown', 'input', 'scroll'] as const;

export function useIdle(idleSeconds: number, onExpired: () => void): { phase: IdlePhase; stillHere(): void } {
  const last = useRef(Date.now());
  const [now, setNow] = useState(() => Date.now());
  const expired = useRef(onExpired);
  expired.current = onExpired;

  const stillHere = useCallback(() => {
    last.current = Date.now();
    setNow(last.current);
  }, []);

  useEffect(() => {
    const touch = () => {
      last.current = Date.now();
    };
    for (const type of ACTIVITY) document.addEventListener(type, touch, { capture: true, passive: true });
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      for (const type of ACTIVITY) document.removeEventListener(type, touch, { capture: true });
      clearInterval(tick);
    };
  }, []);

  const phase = idlePhase(last.current, now, idleSeconds);
  useEffect(() => {
    if (phase.kind === 'expired') expired.current();
  }, [phase.kind]);
  return { phase, stillHere };
}
