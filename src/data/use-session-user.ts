/** The device's session user as React state (session-user.ts), read synchronously: no loading state. */
import { useSyncExternalStore } from 'react';
import { type SessionUser, sessionUserNow, subscribeSessionUser } from './session-user.ts';

export function useSessionUser(): SessionUser | null {
  return useSyncExternalStore(subscribeSessionUser, sessionUserNow, sessionUserNow);
}
