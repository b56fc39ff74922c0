/**
 * Fault injection for QA and tests, applied by the gateway to requests whose path starts with
 * `match`: added latency, error answers, "apply, then drop the response", and a hard offline switch.
 * Rates draw from `random`; the `...Next` counters make a schedule exact for tests.
 */
import { z } from 'zod';

export const faultSettings = z.object({
  /** Milliseconds added before each matching request is forwarded. */
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  /** Probability (0..1) of answering `failStatus` without forwarding. */
  failRate: z.number().min(0).max(1).default(0),
  failStatus: z.number().int().min(400).max(599).default(503),
  /** Sent as Retry-After on injected failures when set. */
  retryAfterSeconds: z.number().int().min(0).max(3600).nullable().default(null),
  /** Probability (0..1) of forwarding, letting the server commit, then dropping the connection. */
  dropRate: z.number().min(0).max(1).default(0),
  /** Refuse every matching request by closing the connection: the device sees a network error. */
  offline: z.boolean().default(false),
  /** The next N matching requests fail with failStatus (then failRate applies again). */
  failNext: z.number().int().min(0).default(0),
  /** The next N matching requests are applied and their responses dropped. */
  dropNext: z.number().int().min(0).default(0),
  /** Path prefix the faults apply to. */
  match: z.string().default('/rest/v1/'),
});
export type FaultSettings = z.infer<typeof faultSettings>;

export type FaultDecision =
  | { kind: 'pass'; latencyMs: number }
  | { kind: 'fail'; latencyMs: number; status: number; retryAfterSeconds: number | null }
  | { kind: 'drop'; latencyMs: number }
  | { kind: 'offline' };

/** Holds the current settings; decide() consumes the `...Next` counters. */
export class FaultController {
  private settings: FaultSettings = faultSettings.parse({});

  constructor(private readonly random: () => number = Math.random) {}

  get(): FaultSettings {
    return { ...this.settings };
  }

  /** Merges a partial update into the current settings; throws a ZodError on bad values. */
  update(patch: unknown): FaultSettings {
    this.settings = faultSettings.parse({ ...this.settings, ...faultSettings.partial().parse(patch) });
    return this.get();
  }

  reset(): FaultSettings {
    this.settings = faultSettings.parse({});
    return this.get();
  }

  decide(path: string): FaultDecision {
    const s = this.settings;
    if (!path.startsWith(s.match)) return { kind: 'pass', latencyMs: 0 };
    if (s.offline) return { kind: 'offline' };
    if (s.failNext > 0) {
      s.failNext -= 1;
      return {
        kind: 'fail',
        latencyMs: s.latencyMs,
        status: s.failStatus,
        retryAfterSeconds: s.retryAfterSeconds,
      };
    }
    if (s.dropNext > 0) {
      s.dropNext -= 1;
      return { kind: 'drop', latencyMs: s.latencyMs };
    }
    if (s.failRate > 0 && this.random() < s.failRate) {
      return {
        kind: 'fail',
        latencyMs: s.latencyMs,
        status: s.failStatus,
        retryAfterSeconds: s.retryAfterSeconds,
      };
    }
    if (s.dropRate > 0 && this.random() < s.dropRate) return { kind: 'drop', latencyMs: s.latencyMs };
    return { kind: 'pass', latencyMs: s.latencyMs };
  }
}
