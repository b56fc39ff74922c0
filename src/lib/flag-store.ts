/** A boolean that code outside React can raise and components can watch (useSyncExternalStore). */
export interface FlagStore {
  get(): boolean;
  raise(): void;
  subscribe(listener: () => void): () => void;
}

export function createFlagStore(): FlagStore {
  let value = false;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    raise() {
      if (value) return;
      value = true;
      for (const l of [...listeners]) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
