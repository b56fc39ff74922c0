/**
 * Network conditions for a page through the Chrome DevTools Protocol, switchable mid-run. CDP
 * throttles the page's own requests, not its service worker's: the app's sync runs in the page, and
 * the worker serves the app's files from its cache, so this is what a patient's link does to sync.
 * A drain the worker runs for Background Sync is not throttled; offline applies to it too (the
 * browser context goes offline with the page).
 */
import type { CDPSession, Page } from 'playwright-core';

export interface NetworkConditions {
  offline: boolean;
  /** Added round-trip time, ms. */
  latency: number;
  /** Bytes per second; -1: not limited. */
  downloadThroughput: number;
  uploadThroughput: number;
}

/**
 * Profiles, with their sources: WebPageTest's connectivity profiles (connectivity.ini) for "2G",
 * and Chrome DevTools' own presets for "Slow 3G" and "Fast 3G" (latency 400×5 and 150×3.75 ms,
 * 500 Kbps×0.8 and 1.6 Mbps×0.9 down), as DevTools' throttling menu applies them.
 */
export const PROFILES = {
  online: { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 },
  offline: { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 },
  /** WebPageTest "2G": 280 Kbps down, 256 Kbps up, 800 ms RTT. */
  '2g': { offline: false, latency: 800, downloadThroughput: 35_000, uploadThroughput: 32_000 },
  /** DevTools "Slow 3G". */
  'slow-3g': { offline: false, latency: 2_000, downloadThroughput: 50_000, uploadThroughput: 50_000 },
  /** DevTools "Fast 3G". */
  'fast-3g': { offline: false, latency: 562.5, downloadThroughput: 180_000, uploadThroughput: 84_375 },
} as const satisfies Record<string, NetworkConditions>;
export type ProfileName = keyof typeof PROFILES;

/** One page's network, switchable at any moment of the scenario. */
export class PageNetwork {
  private constructor(
    private readonly page: Page,
    private readonly cdp: CDPSession,
  ) {}

  static async of(page: Page): Promise<PageNetwork> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    return new PageNetwork(page, cdp);
  }

  async set(profile: ProfileName): Promise<void> {
    await this.cdp.send('Network.emulateNetworkConditions', PROFILES[profile]);
    // Offline is the whole phone's: the service worker's Background Sync must not send meanwhile.
    await this.page.context().setOffline(PROFILES[profile].offline);
  }
}
