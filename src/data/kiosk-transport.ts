/**
 * How a clinic kiosk talks to the server, over the app's own transport: while the device is a kiosk
 * (`isKiosk`, asked at every call: setting up and leaving switch it without a reload), its pushes
 * come back without the pull page, and its pulls ask for the kiosk's page (`PullOptions.kiosk`) in
 * small pages (`KIOSK_PULL_PAGE_BYTES`).
 *
 * - **The push alone.** What a kiosk's drain is for is getting the walk-ins' writes to the server.
 *   A page inside a push answer is read in the push's own transaction, after the batch, so the
 *   answer (the writes acknowledged) waited for up to a megabyte of other devices' changes, and the
 *   open transaction held back every other device's pull bound meanwhile. Answering `pull: null`
 *   is what an older server does: the drain then pulls on its own (sync/drain.ts), one more round
 *   trip per drain, after the writes are safe.
 * - **No appointment rows in its pulls.** A kiosk keeps no appointment it did not write: the sweep
 *   (kiosk-session.ts) removes every pulled one at once, its own come back as its pushes' answers,
 *   slots carry whether they are taken, and Today is read online. They were most of its pull.
 * - **Small pages.** A page is one statement holding one of the server's few connections (PostgREST
 *   keeps 10) for as long as it takes; when a clinic's kiosks all catch up at once, their pushes
 *   queued behind those pulls. In pages of 64 KiB instead of the engine's 1 MiB (a kiosk's first
 *   pull after a busy morning, about 420 KB, is seven pages on the clinic's link), 100 kiosks' push
 *   calls took 2 s on average instead of 3, their pull calls 3 s instead of 12, and they caught up
 *   no later (`npm run bench -- kiosks`, once each on the shared machine). With the pause below,
 *   pages of 128 KiB caught up no sooner either (26 s against 17–22 s, one run).
 * - **Acknowledged first, then a pause, then the catch-up.** After its writes are acknowledged, a
 *   kiosk waits before the first page of its catch-up (`catchUpPause`): two seconds, and twice as
 *   long as its push took (what the push waited for is what the server had queued), five seconds at
 *   most. The two seconds cover the kiosks whose pushes left a little later than its own: with one
 *   second, the earliest kiosks' catch-ups met the last pushes when the devices started unevenly.
 *   When a clinic's kiosks all drain at once (back online after an outage), each one's catch-up
 *   (every slot the others took, every patient they registered) is many pages, and the pages held
 *   the server's connections while the others' pushes waited: with the pause, the pushes go first.
 *   A walk-in's write made during the pause ends it (`pauseEndedByWrites`, the app's timing): the
 *   catch-up runs at once and the drain sends the write next, so it waits for no idle seconds.
 *   Nothing else waits for it that matters: the walk-in's writes are safe, a slot another kiosk took is
 *   refused by the server (`slot_taken`, shown beside the item) if booked meanwhile, and the pulls
 *   that follow bring every change (`npm run bench -- kiosks`: see docs/architecture.md, "Kiosk").
 */
import { PULL_LIMITS } from '../../sync/protocol.ts';
import type { SyncStore } from '../../sync/stores/sync-store.ts';
import type { PullOptions, SyncTransport } from '../../sync/transports/transport.ts';

/** The most bytes a kiosk asks of one pull page (see above). */
export const KIOSK_PULL_PAGE_BYTES = PULL_LIMITS.defaultBytes / 4;

/** The pause before a catch-up, after a push that took `pushMs` (see above). */
export function catchUpPause(pushMs: number): number {
  return Math.min(5_000, 2_000 + 2 * Math.max(0, pushMs));
}

function kioskPage(options: PullOptions | undefined): PullOptions {
  const asked = options?.maxBytes ?? KIOSK_PULL_PAGE_BYTES;
  return { ...options, kiosk: true, maxBytes: Math.min(asked, KIOSK_PULL_PAGE_BYTES) };
}

/** The clock and the wait; tests pass their own. */
export interface KioskTiming {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realTiming: KioskTiming = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * The real clock, with a pause that a new local write ends at once: a walk-in's write made during
 * the pause then waits for the catch-up only (the drain sends it next), not for the rest of it.
 */
export function pauseEndedByWrites(store: Pick<SyncStore, 'subscribe'>): KioskTiming {
  return {
    now: realTiming.now,
    sleep: (ms) =>
      new Promise((resolve) => {
        let off = (): void => undefined;
        const end = () => {
          clearTimeout(timer);
          off();
          resolve();
        };
        const timer = setTimeout(end, ms);
        off = store.subscribe((event) => {
          if (event.type === 'write') end();
        });
      }),
  };
}

export function kioskTransport(
  transport: SyncTransport,
  isKiosk: () => boolean,
  timing: KioskTiming = realTiming,
): SyncTransport {
  const { pushAndPull } = transport;
  // When the pull after the last push may start; cleared by that pull.
  let pullFrom: number | null = null;
  const push: SyncTransport['push'] = async (clientId, mutations) => {
    if (!isKiosk()) return transport.push(clientId, mutations);
    const started = timing.now();
    const results = await transport.push(clientId, mutations);
    const ended = timing.now();
    pullFrom = ended + catchUpPause(ended - started);
    return results;
  };
  return {
    push,
    pull: async (cursor, options) => {
      if (!isKiosk()) return transport.pull(cursor, options);
      if (pullFrom !== null) {
        // What is left of the pause: a pull long after the push (a later drain) does not wait.
        const wait = pullFrom - timing.now();
        pullFrom = null;
        if (wait > 0) await timing.sleep(wait);
      }
      return transport.pull(cursor, kioskPage(options));
    },
    ...(pushAndPull
      ? {
          pushAndPull: async (clientId, mutations, request) =>
            isKiosk()
              ? { results: await push(clientId, mutations), pull: null }
              : pushAndPull.call(transport, clientId, mutations, request),
        }
      : {}),
  };
}
