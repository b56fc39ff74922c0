/**
 * The engine waits for the session it needs. A patient who chose "Continue without an account" has
 * no session until the anonymous sign-in reaches the server; the gate makes that sign-in the first
 * step of every push and pull. So the first `sync_push` never goes out without a session (and never
 * comes back 401, which would show "sign in to send" to someone who chose no account), and a
 * sign-in that failed because the server could not be reached is retried by whatever retries a
 * drain: the engine's backoff timer, `online`, the page becoming visible, "Sync now".
 *
 * A failed sign-in is thrown as the transport error the engine already knows (`network`, `timeout`,
 * `server`, ...), so the engine's one classifier decides what happens next. One sign-in at a time per
 * auth client: overlapping drains (or tabs of the same page) wait for the same request.
 */
import { ERROR_KINDS, type ErrorKind, SyncTransportError } from '../../sync/errors.ts';
import { type Clock, systemClock, type TimerHandle } from '../../sync/ports.ts';
import type { SyncTransport } from '../../sync/transports/transport.ts';
import { loadAuthChoice } from '../lib/device-prefs.ts';

/** supabase-js's auth errors, as far as the gate reads them. */
export interface AuthFailure {
  name: string;
  message: string;
  /** HTTP status; 0 when the request never got an answer. */
  status?: number | undefined;
}

/** The two calls of supabase-js's `auth` the gate makes (a test passes a fake). */
export interface AnonymousAuth {
  getSession(): Promise<{ data: { session: object | null }; error: AuthFailure | null }>;
  signInAnonymously(): Promise<{ error: AuthFailure | null }>;
}

export interface SessionGateOptions {
  auth(): Promise<AnonymousAuth>;
  /** The patient chose "Continue without an account" on this device (read at each call). */
  wantsAnonymous(): boolean;
  /** A sign-in that has not answered by then fails as `timeout`, as a push would (30 s). */
  timeoutMs?: number;
  clock?: Clock;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * What a failed sign-in means for the engine. The server unreachable or failing: retry with backoff.
 * An answer that is not the auth API's (a captive portal's page): retry too. A refusal (anonymous
 * sign-ins turned off, say): `unauthorized`, so the engine pauses and asks the patient to sign in.
 */
export function kindOfAuthFailure(error: AuthFailure): ErrorKind {
  const status = error.status;
  // supabase-js answers status 0 when fetch itself failed, and none when the body was not its JSON.
  if (status === 0) return ERROR_KINDS.network;
  if (status === undefined) return ERROR_KINDS.badResponse;
  if (status === 408) return ERROR_KINDS.timeout;
  if (status === 429) return ERROR_KINDS.rateLimited;
  if (status >= 500) return ERROR_KINDS.server;
  return ERROR_KINDS.unauthorized;
}

function toTransportError(step: string, error: AuthFailure): SyncTransportError {
  return new SyncTransportError(
    kindOfAuthFailure(error),
    `anonymous sign-in (${step}): ${error.status ?? '-'} ${error.message}`,
    error.status ?? 0,
  );
}

/** The sign-in in flight per auth client: a retry waits for it rather than making a second user. */
const inFlight = new WeakMap<AnonymousAuth, Promise<void>>();

async function signInOnce(auth: AnonymousAuth): Promise<void> {
  const current = await auth.getSession();
  // An error here is a session that could not be refreshed (offline, say). It is still this
  // patient's session: never replace it with a new anonymous user, just try again later.
  if (current.error) throw toTransportError('session', current.error);
  if (current.data.session) return;
  const { error } = await auth.signInAnonymously();
  if (error) throw toTransportError('sign-in', error);
}

function shared(auth: AnonymousAuth): Promise<void> {
  let pending = inFlight.get(auth);
  if (!pending) {
    pending = signInOnce(auth).finally(() => inFlight.delete(auth));
    inFlight.set(auth, pending);
  }
  return pending;
}

/**
 * Resolves once the device has a session, signing in anonymously if needed; throws a
 * `SyncTransportError` otherwise. A caller that gives up at `timeoutMs` leaves the request running:
 * the next call waits for it instead of starting another.
 */
export async function ensureAnonymousSession(
  auth: AnonymousAuth,
  {
    timeoutMs = DEFAULT_TIMEOUT_MS,
    clock = systemClock,
  }: Pick<SessionGateOptions, 'timeoutMs' | 'clock'> = {},
): Promise<void> {
  let timer: TimerHandle = null;
  const timeout = new Promise<never>((_, reject) => {
    timer = clock.setTimeout(
      () => reject(new SyncTransportError(ERROR_KINDS.timeout, 'anonymous sign-in: no answer', 0)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([shared(auth), timeout]);
  } finally {
    clock.clearTimeout(timer);
  }
}

/**
 * Throws `unauthorized` when the device holds no session: `sync_push` and `sync_pull` are granted to
 * signed-in users only, so such a call could only come back 401. The engine then does what it does
 * on a 401 (one refresh, then "sign in"), without a request: before, every visit of someone not
 * signed in yet sent a pull the server refused, a 401 in the console QA read. A session that could
 * not be read (a refresh that failed offline) is left to the server, which answers what it is.
 */
async function requireSession(auth: AnonymousAuth): Promise<void> {
  const { data, error } = await auth.getSession();
  if (!error && !data.session)
    throw new SyncTransportError(ERROR_KINDS.unauthorized, 'not signed in: no session to send with', 401);
}

/**
 * `transport` with the anonymous sign-in done (or known to be impossible for now) before each call,
 * and no call made without a session.
 */
export function withSessionGate(transport: SyncTransport, options: SessionGateOptions): SyncTransport {
  const ready = async () => {
    const auth = await options.auth();
    if (options.wantsAnonymous()) await ensureAnonymousSession(auth, options);
    else await requireSession(auth);
  };
  const gated: SyncTransport = {
    push: async (clientId, mutations) => {
      await ready();
      return transport.push(clientId, mutations);
    },
    pull: async (cursor, pullOptions) => {
      await ready();
      return transport.pull(cursor, pullOptions);
    },
  };
  // Passed on only if the inner transport has it: the drain pulls apart from a stand-in without it.
  const pushAndPull = transport.pushAndPull?.bind(transport);
  if (pushAndPull)
    gated.pushAndPull = async (clientId, mutations, request) => {
      await ready();
      return pushAndPull(clientId, mutations, request);
    };
  return gated;
}

/** The page's gate: supabase-js's auth, and the choice saved on this device. */
export function anonymousSessionGate(supabase: () => Promise<{ auth: AnonymousAuth }>): SessionGateOptions {
  return {
    auth: async () => (await supabase()).auth,
    wantsAnonymous: () => loadAuthChoice() === 'anonymous',
  };
}

/**
 * The engine's `refreshSession` (called once on a 401) for a page whose patient may have just chosen
 * anonymous use: a drain started before the choice gets 401 for want of a session, and would pause
 * for sign-in while the sign-in it needs is this one. So when refreshing finds no session to
 * refresh and the patient chose no account, sign in anonymously; true when a session is in place.
 */
export function refreshOrSignInAnonymously(
  refresh: () => Promise<boolean>,
  options: SessionGateOptions,
): () => Promise<boolean> {
  return async () => {
    if (await refresh().catch(() => false)) return true;
    if (!options.wantsAnonymous()) return false;
    try {
      await ensureAnonymousSession(await options.auth(), options);
      return true;
    } catch {
      return false;
    }
  };
}
