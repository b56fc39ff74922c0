/**
 * The in-app fault layer's settings (QA mode): what the fetch the Supabase client is created with
 * does to each request on this device. Shape, limits, presets and where they are kept. Loaded only
 * when QA mode is on or the QA screen opens: never on a patient's first screen.
 */
import { z } from 'zod/mini';
import { FAULT_LIMITS } from '../../supabase/local/fault-settings.ts';

export const IN_APP_LIMITS = {
  ...FAULT_LIMITS,
  /** A trickled body: at least one byte a second, at most a fast link's worth. */
  bytesPerSecond: { min: 0, max: 10_000_000 },
} as const;

const ms = z.int().check(z.gte(FAULT_LIMITS.latencyMs.min), z.lte(FAULT_LIMITS.latencyMs.max));
const rate = z.number().check(z.gte(FAULT_LIMITS.rate.min), z.lte(FAULT_LIMITS.rate.max));

export const inAppFaults = z.object({
  /** Every API request fails as a network error; the app itself (its own files) still loads. */
  offline: z.boolean(),
  /** Added before each request goes out. */
  latencyMs: ms,
  /** Up to this much more or less, uniformly: a real link's delay varies. */
  jitterMs: ms,
  /** Share of requests answered `failStatus` by the layer without reaching the server. */
  failRate: rate,
  failStatus: z.int().check(z.gte(FAULT_LIMITS.status.min), z.lte(FAULT_LIMITS.status.max)),
  retryAfterSeconds: z.nullable(
    z.int().check(z.gte(FAULT_LIMITS.retryAfterSeconds.min), z.lte(FAULT_LIMITS.retryAfterSeconds.max)),
  ),
  /** Share of requests that reach the server (and commit) whose answer the app then throws away. */
  lostRate: rate,
  /** Every API request is answered 200 with a Wi-Fi login page, as a hotel or station hotspot does. */
  captivePortal: z.boolean(),
  /** Answers arrive at this many bytes a second; 0 leaves them as fast as the link is. */
  bytesPerSecond: z
    .int()
    .check(z.gte(IN_APP_LIMITS.bytesPerSecond.min), z.lte(IN_APP_LIMITS.bytesPerSecond.max)),
});
export type InAppFaults = z.infer<typeof inAppFaults>;

export const NO_FAULTS: Readonly<InAppFaults> = {
  offline: false,
  latencyMs: 0,
  jitterMs: 0,
  failRate: 0,
  failStatus: 503,
  retryAfterSeconds: null,
  lostRate: 0,
  captivePortal: false,
  bytesPerSecond: 0,
};

export const PRESET_NAMES = [
  '2g-village',
  'flaky-wifi',
  'captive-portal',
  'server-down',
  'all-fine',
] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/**
 * Presets in QA's words. Link numbers come from WebPageTest's connectivity profiles
 * (https://github.com/WPO-Foundation/webpagetest/blob/master/www/settings/connectivity.ini.sample):
 * "2G" is 280 Kbps down and 800 ms round trip; "3G" is 300 ms round trip. Chrome DevTools' own
 * "Slow 3G" (2,000 ms, 50 KB/s) is the CDP profile the `qa` scenarios use. No published profile
 * gives failure or loss rates: those are ours, set so that a short session sees several of each.
 */
export const PRESETS: Readonly<Record<PresetName, InAppFaults>> = {
  '2g-village': {
    ...NO_FAULTS,
    latencyMs: 800,
    jitterMs: 200,
    // 280 Kbps.
    bytesPerSecond: 35_000,
    lostRate: 0.05,
  },
  'flaky-wifi': {
    ...NO_FAULTS,
    latencyMs: 300,
    jitterMs: 250,
    failRate: 0.2,
    failStatus: 503,
    lostRate: 0.1,
  },
  'captive-portal': { ...NO_FAULTS, captivePortal: true },
  'server-down': { ...NO_FAULTS, failRate: 1, failStatus: 503, retryAfterSeconds: 30 },
  'all-fine': NO_FAULTS,
};

export function isPresetName(value: string): value is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(value);
}

/** The preset these settings equal, if any (what the screen and the banner name). */
export function presetOf(settings: InAppFaults): PresetName | null {
  return PRESET_NAMES.find((name) => sameFaults(PRESETS[name], settings)) ?? null;
}

export function sameFaults(a: InAppFaults, b: InAppFaults): boolean {
  return (Object.keys(a) as (keyof InAppFaults)[]).every((k) => a[k] === b[k]);
}

/** Reads the stored JSON; anything unreadable is "on, with nothing injected" rather than a crash. */
export function parseStoredFaults(text: string | null): InAppFaults | null {
  if (text === null) return null;
  try {
    const parsed = inAppFaults.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : { ...NO_FAULTS };
  } catch {
    return { ...NO_FAULTS };
  }
}
