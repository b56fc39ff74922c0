/**
 * The fault settings as they travel between the local gateway's `/__qa/faults` and its callers: the
 * one definition that the gateway (faults.ts), the QA screen (src/features/qa/) and the stack tests
 * share. It imports nothing but zod/mini, because the app bundles it; biome.json holds it to that.
 */
import { z } from 'zod/mini';

/** The bounds the gateway enforces; the QA form shows and checks the same ones. */
export const FAULT_LIMITS = {
  latencyMs: { min: 0, max: 60_000 },
  /** Probabilities. */
  rate: { min: 0, max: 1 },
  status: { min: 400, max: 599 },
  retryAfterSeconds: { min: 0, max: 3600 },
  /** The `...Next` counters have no upper bound. */
  count: { min: 0, max: null },
} as const;

/** Every setting, as GET, PUT and DELETE answer them. */
export const faultSettings = z.object({
  /** Milliseconds added before each matching request is forwarded. */
  latencyMs: z.int().check(z.gte(FAULT_LIMITS.latencyMs.min), z.lte(FAULT_LIMITS.latencyMs.max)),
  /** Probability of answering `failStatus` without forwarding. */
  failRate: z.number().check(z.gte(FAULT_LIMITS.rate.min), z.lte(FAULT_LIMITS.rate.max)),
  failStatus: z.int().check(z.gte(FAULT_LIMITS.status.min), z.lte(FAULT_LIMITS.status.max)),
  /** Sent as Retry-After on injected failures when set. */
  retryAfterSeconds: z.nullable(
    z.int().check(z.gte(FAULT_LIMITS.retryAfterSeconds.min), z.lte(FAULT_LIMITS.retryAfterSeconds.max)),
  ),
  /** Probability of forwarding, letting the server commit, then dropping the connection. */
  dropRate: z.number().check(z.gte(FAULT_LIMITS.rate.min), z.lte(FAULT_LIMITS.rate.max)),
  /** Refuse every matching request by closing the connection: the device sees a network error. */
  offline: z.boolean(),
  /** The next N matching requests fail with failStatus (then failRate applies again). */
  failNext: z.int().check(z.gte(FAULT_LIMITS.count.min)),
  /** The next N matching requests are applied and their responses dropped. */
  dropNext: z.int().check(z.gte(FAULT_LIMITS.count.min)),
  /** Path prefix the faults apply to. */
  match: z.string(),
});
export type FaultSettings = z.infer<typeof faultSettings>;

/** What PUT accepts: any subset, merged into the current settings. */
export const faultSettingsPatch = z.partial(faultSettings);

/** Nothing injected: what the gateway starts with and DELETE restores. */
export const FAULT_DEFAULTS: Readonly<FaultSettings> = {
  latencyMs: 0,
  failRate: 0,
  failStatus: 503,
  retryAfterSeconds: null,
  dropRate: 0,
  offline: false,
  failNext: 0,
  dropNext: 0,
  match: '/rest/v1/',
};
