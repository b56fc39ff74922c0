/**
 * A Storage (localStorage's interface) in memory, for unit tests that run in Node, which has no
 * localStorage: the kiosk's configuration and lockouts, QA mode's switch, the session carried over.
 * Test support only: nothing in the app imports it.
 */
export function memoryStorage(entries: Record<string, string> = {}): Storage {
  const items = new Map(Object.entries(entries));
  return {
    get length() {
      return items.size;
    },
    key: (i) => [...items.keys()][i] ?? null,
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => void items.set(k, String(v)),
    removeItem: (k) => void items.delete(k),
    clear: () => items.clear(),
  };
}
