/**
 * What a run of `npm run qa` started (the throwaway stack, the app's server, Chromium), stopped in
 * reverse order whatever ends the run: its end, a failure after the stack started (the build, a
 * Chromium that does not launch) or Ctrl-C. Before, only a run that reached the scenario stopped
 * the stack: a failed build left its PostgREST and data directory behind.
 */
export interface Stoppable {
  stop(): Promise<void>;
}

export class RunResources {
  private readonly started: Stoppable[] = [];

  constructor(private readonly warn: (line: string) => void = console.error) {}

  /** Keeps `resource` to stop at the end; passes it (or null, nothing started) through. */
  add<T extends Stoppable | null>(resource: T): T {
    if (resource) this.started.push(resource);
    return resource;
  }

  /** Stops everything, newest first; one that fails to stop does not keep the others running. */
  async stopAll(): Promise<void> {
    for (let r = this.started.pop(); r; r = this.started.pop()) {
      await r
        .stop()
        .catch((e: unknown) => this.warn(`could not stop: ${e instanceof Error ? e.message : e}`));
    }
  }
}
