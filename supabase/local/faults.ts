/**
 * Fault injection for QA and tests, applied by the gateway to requests whose path starts with
 * `match`: added latency, error answers, "apply, then drop the response", and a hard offline switch.
 * Rates draw from `random`; the `...Next` counters make a schedule exact for tests.
 */
import { z } from 'zod/mini';
import { FAULT_DEFAULTS, type FaultSettings, faultSettings, faultSettingsPatch } from './fault-settings.ts';

// Callers that only need the shape (the stack tests) keep importing it from here.
export type { FaultSettings } from './fault-settings.ts';

export type FaultDecision =
  | { kind: 'pass'; latencyMs: number }
  | { kind: 'fail'; latencyMs: number; status: number; retryAfterSeconds: number | null }
  | { kind: 'drop'; latencyMs: number }
  | { kind: 'offline' };

/**
 * zod/mini carries no messages (every issue says "Invalid input"): the gateway's 400 gives zod's
 * English ones, which the QA screen shows beside the field. Here, not in fault-settings.ts, so the
 * app does not bundle them.
 */
const ENGLISH = { error: z.locales.en().localeError };

/** Holds the current settings; decide() consumes the `...Next` counters. */
export class FaultController {
  private settings: FaultSettings = { ...FAULT_DEFAULTS };

  constructor(private readonly random: () => number = Math.random) {}

  get(): FaultSettings {
    return { ...this.settings };
  }

  /** Merges a partial update into the current settings; throws a `$ZodError` on bad values. */
  update(patch: unknown): FaultSettings {
    const patched = { ...this.settings, ...faultSettingsPatch.parse(patch, ENGLISH) };
    this.settings = faultSettings.parse(patched, ENGLISH);
    return this.get();
  }

  reset(): FaultSettings {
    this.settings = { ...FAULT_DEFAULTS };
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
