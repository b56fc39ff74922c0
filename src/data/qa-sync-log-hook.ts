/**
 * The sync log's hook into the engine, small enough for the first screen: an engine observer and a
 * transport wrapper that only queue what happened. The recorder (`qa-sync-log.ts`) is loaded with
 * the first drain and turns the queue into log entries; nothing here keeps a row.
 */
import type { DrainEndReport, DrainObserver } from '../../sync/ports.ts';
import type { Mutation, PullResponse, PushResult } from '../../sync/protocol.ts';
import type { SyncTransport } from '../../sync/transports/transport.ts';

export type SyncLogEvent =
  | { type: 'started'; at: number; trigger: string }
  | {
      type: 'push';
      ms: number;
      mutations: readonly Mutation[];
      results: readonly PushResult[] | null;
      error: string | null;
    }
  | { type: 'pull'; ms: number; page: PullResponse | null; error: string | null }
  | { type: 'ended'; report: DrainEndReport };

export interface SyncLogConsumer {
  consume(event: SyncLogEvent): void;
}

export interface SyncLogHook {
  observer: DrainObserver;
  wrap(transport: SyncTransport): SyncTransport;
}

/** Events kept while the recorder loads; past this (it cannot load) the oldest are dropped. */
const MAX_QUEUED = 500;

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function lazySyncLog(
  load: () => Promise<SyncLogConsumer> = () => import('./qa-sync-log.ts').then((m) => m.deviceSyncLog()),
  now: () => number = Date.now,
): SyncLogHook {
  const queue: SyncLogEvent[] = [];
  let consumer: SyncLogConsumer | null = null;
  let loading = false;
  const emit = (event: SyncLogEvent) => {
    if (consumer) return consumer.consume(event);
    queue.push(event);
    if (queue.length > MAX_QUEUED) queue.shift();
    if (loading) return;
    loading = true;
    load().then(
      (c) => {
        consumer = c;
        for (const e of queue.splice(0)) c.consume(e);
      },
      // Not loadable (offline before the chunk was cached): the next event tries again.
      () => {
        loading = false;
      },
    );
  };
  const timed = async <T>(
    call: () => Promise<T>,
    report: (ms: number, value: T | null, error: string | null) => void,
  ) => {
    const start = now();
    try {
      const value = await call();
      report(now() - start, value, null);
      return value;
    } catch (e) {
      report(now() - start, null, describe(e));
      throw e;
    }
  };
  return {
    observer: {
      drainStarted: ({ at, trigger }) => emit({ type: 'started', at, trigger }),
      drainEnded: (report) => emit({ type: 'ended', report }),
    },
    wrap: (transport) => {
      const wrapped: SyncTransport = {
        push: (clientId, mutations) =>
          timed(
            () => transport.push(clientId, mutations),
            (ms, results, error) => emit({ type: 'push', ms, mutations, results, error }),
          ),
        pull: (cursor, options) =>
          timed(
            () => transport.pull(cursor, options),
            (ms, page, error) => emit({ type: 'pull', ms, page, error }),
          ),
      };
      const pushAndPull = transport.pushAndPull?.bind(transport);
      // Logged as the push it is and, when it brought one, the page: that page took no call of its own.
      if (pushAndPull)
        wrapped.pushAndPull = (clientId, mutations, request) =>
          timed(
            () => pushAndPull(clientId, mutations, request),
            (ms, answer, error) => {
              emit({ type: 'push', ms, mutations, results: answer?.results ?? null, error });
              if (answer?.pull) emit({ type: 'pull', ms: 0, page: answer.pull, error: null });
            },
          );
      return wrapped;
    },
  };
}
