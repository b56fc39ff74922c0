/** Browser storage: how much the app uses, and asking the browser not to evict it. */
import { type Clock, systemClock, type TimerHandle } from '../../sync/ports.ts';

export interface StorageReport {
  usage: number | null;
  quota: number | null;
  persisted: boolean | null;
}

export async function storageReport(): Promise<StorageReport> {
  const storage = globalThis.navigator?.storage;
  if (!storage?.estimate) return { usage: null, quota: null, persisted: null };
  const [estimate, persisted] = await Promise.all([
    storage.estimate(),
    storage.persisted ? storage.persisted() : Promise.resolve(null),
  ]);
  return { usage: estimate.usage ?? null, quota: estimate.quota ?? null, persisted };
}

type PersistCapable = Pick<StorageManager, 'persist'> & Partial<Pick<StorageManager, 'persisted'>>;

/** The browser's answer to a request still open, per storage: one prompt at a time. */
const openRequests = new WeakMap<PersistCapable, Promise<boolean>>();

/** Longest a caller waits for the answer: Firefox asks the patient, who may never answer. */
export const PERSIST_ANSWER_MS = 5_000;

/**
 * Asks once the patient has something worth keeping (the first save): a phone low on space would
 * otherwise be free to delete unsent bookings. Chromium grants it silently to installed apps; a
 * refusal changes nothing else. Firefox shows a prompt and its promise waits for the patient, maybe
 * forever: a caller gets `false` after PERSIST_ANSWER_MS, and while that prompt is open no second
 * one is asked for (each save would stack another).
 */
export async function requestPersistentStorage(
  storage: PersistCapable | undefined = globalThis.navigator?.storage,
  clock: Clock = systemClock,
): Promise<boolean> {
  if (!storage?.persist) return false;
  try {
    if (storage.persisted && (await storage.persisted())) return true;
  } catch {
    return false;
  }
  let answer = openRequests.get(storage);
  if (!answer) {
    answer = storage.persist().catch(() => false);
    openRequests.set(storage, answer);
    void answer.finally(() => openRequests.delete(storage));
  }
  let timer: TimerHandle = null;
  const unanswered = new Promise<boolean>((resolve) => {
    timer = clock.setTimeout(() => resolve(false), PERSIST_ANSWER_MS);
  });
  try {
    return await Promise.race([answer, unanswered]);
  } finally {
    clock.clearTimeout(timer);
  }
}
