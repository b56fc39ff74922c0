/** The engine's status and the indicator derived from it, the outbox and the network. */
import { useSyncExternalStore } from 'react';
import type { EngineStatus } from './engine-port.ts';
import { useServices } from './services-context.tsx';
import { deriveIndicator, type Indicator } from './sync-indicator.ts';
import { useLastSentAt } from './use-last-sent.ts';
import { useOnline } from './use-online.ts';
import { useOutbox } from './use-outbox.ts';

export function useEngineStatus(): EngineStatus {
  const { engine } = useServices();
  return useSyncExternalStore(engine.subscribe, engine.getStatus, engine.getStatus);
}

/** undefined while the outbox loads: the indicator must not guess "all sent" before it knows. */
export function useSyncIndicator(): Indicator | undefined {
  const status = useEngineStatus();
  const online = useOnline();
  const outbox = useOutbox();
  const lastSentAt = useLastSentAt(status.lastSentAt);
  if (!outbox) return undefined;
  return deriveIndicator({
    online,
    outbox,
    draining: status.draining,
    lastSentAt: lastSentAt ? new Date(lastSentAt) : null,
    needsSignIn: status.needsSignIn,
  });
}
