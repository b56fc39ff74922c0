/**
 * How a clinic kiosk talks to the server, over the app's own transport: while the device is a kiosk
 * (`isKiosk`, asked at every call: setting up and leaving switch it without a reload), its pushes
 * come back without the pull page, and its pulls ask for the kiosk's page (`PullOptions.kiosk`).
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
 */
import type { SyncTransport } from '../../sync/transports/transport.ts';

export function kioskTransport(transport: SyncTransport, isKiosk: () => boolean): SyncTransport {
  const { pushAndPull } = transport;
  return {
    push: (clientId, mutations) => transport.push(clientId, mutations),
    pull: (cursor, options) => transport.pull(cursor, isKiosk() ? { ...options, kiosk: true } : options),
    ...(pushAndPull
      ? {
          pushAndPull: async (clientId, mutations, request) =>
            isKiosk()
              ? { results: await transport.push(clientId, mutations), pull: null }
              : pushAndPull.call(transport, clientId, mutations, request),
        }
      : {}),
  };
}
