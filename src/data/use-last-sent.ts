/**
 * When this device last heard from the server that everything was in. The engine knows it for its
 * own drains only; kept in localStorage it survives a reload, and the `storage` event shares it with
 * other tabs, whose outbox another tab may have drained.
 */
import { useEffect, useSyncExternalStore } from 'react';

const KEY = 'consult.lastSentAt';

function read(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

function subscribe(onChange: () => void): () => void {
  const onStorage = (e: StorageEvent) => {
    if (e.key === KEY) onChange();
  };
  window.addEventListener('storage', onStorage);
  return () => window.removeEventListener('storage', onStorage);
}

/** The later of two ISO times (either may be missing). */
export function laterOf(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

export function useLastSentAt(fromEngine: string | null): string | null {
  const stored = useSyncExternalStore(subscribe, read, () => null);
  useEffect(() => {
    if (!fromEngine || laterOf(fromEngine, read()) !== fromEngine || fromEngine === read()) return;
    try {
      localStorage.setItem(KEY, fromEngine);
    } catch {
      // Without storage the indicator still shows this tab's own drains.
    }
  }, [fromEngine]);
  return laterOf(fromEngine, stored);
}
