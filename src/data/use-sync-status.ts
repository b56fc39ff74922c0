/** The engine's status snapshot and the indicator derived from it. */
import { useSyncExternalStore } from 'react';
import type { SyncStatus } from '../../sync/sync-status.ts';
import { useServices } from './services-context.tsx';
import { deriveIndicator, type Indicator } from './sync-indicator.ts';
import { useLastSentAt } from './use-last-sent.ts';

export function useEngineStatus(): SyncStatus {
  const { engine } = useServices();
  return useSyncExternalStore(engine.subscribe, engine.getStatus, engine.getStatus);
}

/** undefined until the outbox was counted: the indicator must not guess "all sent" before it knows. */
export function useSyncIndicator(): Indicator | undefined {
  const { engine } = useServices();
  const status = useEngineStatus();
  const lastSentAt = useLastSentAt(engine);
  const { counts } = status;
  if (!counts) return undefined;
  return deriveIndicator({ status: { ...status, counts }, lastSentAt });
}
