/** The device's session user as React state (session-user.ts), read synchronously. */
import { useSyncExternalStore } from 'react';
import { type SessionUserState, sessionUserNow, subscribeSessionUser } from './session-user.ts';

export function useSessionUserState(): SessionUserState {
  return useSyncExternalStore(subscribeSessionUser, sessionUserNow, sessionUserNow);
}

/** The session's user; null with none, or while not known yet. */
export function useSessionUser() {
  return useSessionUserState().user;
}
