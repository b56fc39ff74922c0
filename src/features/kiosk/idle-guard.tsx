/**
 * Ends what it wraps after the kiosk's idle time without a touch, showing the "Still there?"
 * countdown first. Wraps a patient's session, and the staff screens too: a staff member called away
 * must not leave the queue (names of patients) open to the next person at the tablet.
 */
import type { ReactNode } from 'react';
import { StillThere } from './still-there.tsx';
import { useIdle } from './use-idle.ts';

export function IdleGuard({
  idleSeconds,
  onExpired,
  children,
}: {
  idleSeconds: number;
  onExpired(): void;
  children: ReactNode;
}) {
  const { phase, stillHere } = useIdle(idleSeconds, onExpired);
  return (
    <>
      {children}
      {phase.kind === 'warning' && <StillThere secondsLeft={phase.secondsLeft} onContinue={stillHere} />}
    </>
  );
}
