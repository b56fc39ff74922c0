/**
 * The in-app fault layer: a fetch around the platform's that degrades API requests as QA set them
 * (qa-fault-settings.ts). It sits in the Supabase client's fetch, so it works the same against the
 * local stack and a hosted project, and touches nothing else (the app's own files still load).
 * Loaded by `qa-mode.ts` only while QA mode is on.
 */
import { type InAppFaults, parseStoredFaults } from './qa-fault-settings.ts';

type Fetch = typeof globalThis.fetch;

export interface FaultDeps {
  random(): number;
  /** Waits `ms`; rejects with the signal's reason if it aborts first (the transport's timeout). */
  sleep(ms: number, signal?: AbortSignal | null): Promise<void>;
}

/** What a hotspot's login page looks like to the app: 200, HTML, nothing it asked for. */
export const CAPTIVE_PORTAL_PAGE =
  '<!doctype html><html data-consult-qa="captive-portal"><head><title>Wi-Fi login</title></head>' +
  '<body><h1>Welcome to Free Wi-Fi</h1><p>Accept the terms to connect.</p></body></html>';

/** Sent for an injected failure, shaped like a PostgREST error so the app reads it as the server's. */
function failure(status: number, retryAfterSeconds: number | null): Response {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (retryAfterSeconds !== null) headers.set('retry-after', String(retryAfterSeconds));
  const body = {
    code: 'QA_FAULT',
    message: `injected ${status} (QA in-app fault)`,
    details: null,
    hint: null,
  };
  return new Response(JSON.stringify(body), { status, headers });
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

export const platformFaultDeps: FaultDeps = {
  random: Math.random,
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const timer = setTimeout(done, ms);
      function done() {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }
      function onAbort() {
        clearTimeout(timer);
        if (signal) reject(abortReason(signal));
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * The same answer, its body let out `bytesPerSecond` at a time in tenths of a second. The caller's
 * abort (the transport's timeout) ends the read as it would a real slow body: without it a drain
 * read a large page at a slow rate for minutes, long past the timeout it would have hit in the field.
 */
async function trickle(
  response: Response,
  bytesPerSecond: number,
  deps: FaultDeps,
  signal: AbortSignal | null | undefined,
): Promise<Response> {
  // No body to slow down (204, 304): handing one to new Response would throw.
  if (response.status === 204 || response.status === 304) return response;
  const bytes = new Uint8Array(await response.arrayBuffer());
  const step = Math.max(1, Math.round(bytesPerSecond / 10));
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (offset >= bytes.length) return controller.close();
      // A rejected pull errors the stream: the reader gets the abort, as from a real fetch's body.
      await deps.sleep(100, signal);
      controller.enqueue(bytes.slice(offset, offset + step));
      offset += step;
    },
  });
  const { status, statusText, headers } = response;
  return new Response(body, { status, statusText, headers });
}

/** One request under these faults, in the order a real path would apply them. */
async function degrade(
  base: Fetch,
  faults: InAppFaults,
  deps: FaultDeps,
  input: Parameters<Fetch>[0],
  init: Parameters<Fetch>[1],
): Promise<Response> {
  // What a browser throws when there is no route: supabase-js reports it as a network failure.
  if (faults.offline) throw new TypeError('Failed to fetch (QA in-app fault: offline)');
  const jitter = faults.jitterMs > 0 ? faults.jitterMs * (2 * deps.random() - 1) : 0;
  const delay = Math.max(0, Math.round(faults.latencyMs + jitter));
  if (delay > 0) await deps.sleep(delay, init?.signal);
  if (faults.captivePortal)
    return new Response(CAPTIVE_PORTAL_PAGE, { status: 200, headers: { 'content-type': 'text/html' } });
  if (faults.failRate > 0 && deps.random() < faults.failRate)
    return failure(faults.failStatus, faults.retryAfterSeconds);
  const response = await base(input, init);
  if (faults.lostRate > 0 && deps.random() < faults.lostRate) {
    // The server answered (and committed); the app drops the answer as a timed-out request would.
    await response.arrayBuffer().catch(() => undefined);
    return failure(408, null);
  }
  return faults.bytesPerSecond > 0 ? trickle(response, faults.bytesPerSecond, deps, init?.signal) : response;
}

/**
 * The fault layer over `base`. The settings are read on every request, so a change on the QA
 * screen applies to the next request; `read` answering null (QA mode off) passes requests through.
 */
export function faultFetch(
  base: Fetch,
  read: () => string | null,
  deps: FaultDeps = platformFaultDeps,
): Fetch {
  return (input, init) => {
    const faults = parseStoredFaults(read());
    return faults ? degrade(base, faults, deps, input, init) : base(input, init);
  };
}
