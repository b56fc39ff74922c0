/**
 * The per-device QA switch, the only part of QA mode on a patient's first screen, so it stays tiny:
 * whether in-app faults are on (a localStorage entry holding their settings), a way to watch that,
 * the fetch hook that loads the fault layer (`qa-fault-fetch.ts`) only while they are on, and the
 * copy of the settings the service worker's drains read (`qa-fault-mirror.ts`).
 */

/** Holds the in-app fault settings as JSON; absent means QA mode is off (the default everywhere). */
export const QA_FAULTS_KEY = 'consult.qa.inAppFaults';

/** `?qa-faults=<preset>` turns QA mode on, in builds that allow it (never a production build). */
export const QA_URL_FLAG = 'qa-faults';

const listeners = new Set<() => void>();

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // Storage disabled by the browser: QA mode simply cannot be on.
    return null;
  }
}

export function readQaFaults(): string | null {
  return storage()?.getItem(QA_FAULTS_KEY) ?? null;
}

export function isQaFaultsOn(): boolean {
  return readQaFaults() !== null;
}

/**
 * Set while the worker's copy may hold settings: a device where QA mode was never on (a patient's)
 * then never opens that database at all.
 */
const WORKER_COPY_KEY = 'consult.qa.workerCopy';

export type CopyForWorker = (json: string | null) => Promise<void>;

const copyViaChunk: CopyForWorker = (json) =>
  import('./qa-fault-mirror.ts').then((m) => m.copyQaFaultsForWorker(json));

/**
 * Keeps the service worker's copy of the settings equal to localStorage. Called on every change and
 * every API request: one localStorage read when nothing changed. Settings written to localStorage
 * behind the app's back (a test's init script) reach the worker with the page's next request.
 */
export function workerCopySync(copy: CopyForWorker = copyViaChunk): () => Promise<void> {
  // What this page last copied; undefined until it first looked.
  let copied: string | null | undefined;
  return () => {
    const s = storage();
    const now = readQaFaults();
    if (!s || now === copied) return Promise.resolve();
    copied = now;
    if (now === null && s.getItem(WORKER_COPY_KEY) === null) return Promise.resolve();
    if (now !== null) s.setItem(WORKER_COPY_KEY, 'on');
    return copy(now).then(
      // Turned on again meanwhile: that copy is on its way, and the marker must stay.
      () => (readQaFaults() === null ? s.removeItem(WORKER_COPY_KEY) : undefined),
      // Not copied (the chunk or IndexedDB failed): the next request tries again.
      () => {
        copied = undefined;
      },
    );
  };
}

/** The page's one copier, shared by the switch and the fetch hook. */
export const syncWorkerCopy = workerCopySync();

/** Turns QA mode on with these settings (JSON), or off with null; every watcher hears of it. */
export function writeQaFaults(json: string | null): void {
  const s = storage();
  if (!s) return;
  if (json === null) s.removeItem(QA_FAULTS_KEY);
  else s.setItem(QA_FAULTS_KEY, json);
  void syncWorkerCopy();
  for (const l of listeners) l();
}

export function subscribeQaFaults(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab of the app turned it on or off.
  const onStorage = (e: StorageEvent) => {
    if (e.key === QA_FAULTS_KEY) listener();
  };
  if (typeof window !== 'undefined') window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    if (typeof window !== 'undefined') window.removeEventListener('storage', onStorage);
  };
}

/**
 * Honours `?qa-faults=<preset>` (before the hash) when the build allows it: a development build,
 * or one built with VITE_CONSULT_QA_URL_FLAG=on (staging). A production build ignores it, so a
 * link cannot degrade a patient's phone. Once read, the flag is taken out of the address (`forget`
 * gets the search without it): left there, a reload or an app update turned QA mode on again after
 * QA had turned it off with the banner.
 */
export async function applyQaUrlFlag(
  search: string,
  allowed: boolean,
  forget: (searchWithout: string) => void = () => {},
): Promise<void> {
  if (!allowed) return;
  const params = new URLSearchParams(search);
  const preset = params.get(QA_URL_FLAG);
  if (preset === null) return;
  params.delete(QA_URL_FLAG);
  const rest = params.toString();
  forget(rest === '' ? '' : `?${rest}`);
  if (preset === 'off') return writeQaFaults(null);
  const { PRESETS, isPresetName } = await import('./qa-fault-settings.ts');
  if (isPresetName(preset)) writeQaFaults(JSON.stringify(PRESETS[preset]));
  else console.warn(`?${QA_URL_FLAG}=${preset}: no such preset (${Object.keys(PRESETS).join(', ')}, off)`);
}

type Fetch = typeof globalThis.fetch;

/**
 * The fetch the Supabase client is created with: the platform's own while QA mode is off (a check
 * of one localStorage entry per request), the fault layer around it while it is on.
 */
export function qaFetch(
  base: Fetch,
  load: () => Promise<Fetch> = () =>
    import('./qa-fault-fetch.ts').then((m) => m.faultFetch(base, readQaFaults)),
  copyForWorker: () => Promise<void> = syncWorkerCopy,
): Fetch {
  let layer: Promise<Fetch> | null = null;
  return (input, init) => {
    void copyForWorker();
    if (!isQaFaultsOn()) return base(input, init);
    layer ??= load();
    // A failed load (offline before the chunk was cached) fails this request only: load it again next time.
    layer.catch(() => {
      layer = null;
    });
    return layer.then((f) => f(input, init));
  };
}
