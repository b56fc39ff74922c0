/**
 * How the service worker's registration answered a page's requests: through a static route
 * (`src/sw-static-routes.ts`) or its fetch handler, read from the page's own Resource Timing
 * (Chromium's `workerFinalSourceType`), and a way to stop the worker first, as Chromium does with
 * an idle one.
 */
import type { BrowserContext, Page } from 'playwright-core';

/** What served the page's HTML, and the set of what served its files under /assets/. */
export interface ServedFrom {
  /** `cache`: a static route, without the worker; `fetch-event`: the worker's fetch handler. */
  navigation: string;
  assets: string[];
}

export function servedFrom(page: Page): Promise<ServedFrom> {
  return page.evaluate(() => {
    // Not in TypeScript's lib yet (Chromium 131+); an empty string where no route matched.
    type Timing = PerformanceResourceTiming & { workerFinalSourceType?: string };
    const source = (t: Timing | undefined) => t?.workerFinalSourceType ?? 'unknown';
    const nav = performance.getEntriesByType('navigation')[0] as Timing | undefined;
    const assets = (performance.getEntriesByType('resource') as Timing[])
      .filter((t) => new URL(t.name).pathname.startsWith('/assets/'))
      .map(source);
    return { navigation: source(nav), assets: [...new Set(assets)].sort() };
  });
}

/** A new page of the context, opened after every service worker was stopped. */
export async function newPageWorkerStopped(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();
  return page;
}

/** The src of the page's entry script: it names the build (its hash changes with every version). */
export function entryScript(page: Page): Promise<string | null | undefined> {
  return page.evaluate(() => document.querySelector('script[type="module"]')?.getAttribute('src'));
}
