/// <reference lib="webworker" />
/**
 * Static routes (Chromium 123+, `InstallEvent.addRoutes`): the browser serves the app's shell,
 * `/`, and every other precached file straight from a cache, without starting the worker. A worker that has been idle is stopped (Chromium stops one within about 30 s), and
 * starting it again held the reopened app's HTML back 120–1,500 ms. Browsers without static
 * routing keep the fetch handler, which serves the same files from the precache.
 *
 * Each version copies its files into a cache of its own (`consult-shell-<hash of the manifest>`)
 * and routes to that cache only: a version that is installed but waiting for the page's
 * SKIP_WAITING must not serve its shell to the pages of the version still in control, whose
 * routes point at the old cache. The copies carry no `Vary`: a module script's request carries an
 * Origin header that the precache's own fetch did not, and a cache source matches on Vary.
 * A route that finds nothing in its cache goes to the network, not to the fetch handler: so only
 * URLs the copy holds are routed (the optional chunks are left to `./sw-optional.ts`).
 */
import type { PrecacheController } from 'workbox-precaching';

const PREFIX = 'consult-shell-';

interface PrecacheEntry {
  url: string;
  revision?: string | null;
}

/** The part of Chromium's router API used here (not in TypeScript's lib yet). */
interface RouterRule {
  condition: {
    urlPattern?: { pathname: string; search?: string };
    requestMode?: RequestMode;
    or?: RouterRule['condition'][];
  };
  source: { cacheName: string };
}
interface RoutableInstallEvent extends ExtendableEvent {
  addRoutes(rules: RouterRule[]): Promise<void>;
}

const canRoute = (event: ExtendableEvent): event is RoutableInstallEvent =>
  typeof (event as Partial<RoutableInstallEvent>).addRoutes === 'function';

/** FNV-1a over every entry: any change to what the worker precaches names a new cache. */
function versionOf(entries: readonly PrecacheEntry[]): string {
  let hash = 0x811c9dc5;
  for (const { url, revision } of entries)
    for (const ch of `${url}\n${revision ?? ''}\n`) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193);
  return (hash >>> 0).toString(36);
}

/** The copy of a precached response with no `Vary` (see the file's comment). */
async function withoutVary(response: Response): Promise<Response> {
  const headers = new Headers(response.headers);
  headers.delete('vary');
  return new Response(await response.blob(), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

export interface StaticRoutes {
  install(event: ExtendableEvent): Promise<void>;
  /** At activation: the caches of other versions go (the new version's routes replaced theirs). */
  dropOtherVersions(): Promise<void>;
}

export function staticRoutes(
  worker: ServiceWorkerGlobalScope,
  controller: PrecacheController,
  manifest: readonly (PrecacheEntry | string)[],
): StaticRoutes {
  const entries = manifest.map((e) => (typeof e === 'string' ? { url: e } : e));
  const cacheName = PREFIX + versionOf(entries);
  const scope = new URL(worker.registration.scope);
  // Every precached file but the HTML, which is routed as the start URL: the icon and the web
  // manifest the page links to would otherwise start the worker, beside the first paint's work.
  const files = entries.map((e) => e.url).filter((url) => url !== 'index.html');

  /** Copies the shell as `/` and the other precached files under their own paths. Needs the precache filled. */
  async function copy(): Promise<string[]> {
    const precache = await caches.open(controller.strategy.cacheName ?? '');
    const shell = await caches.open(cacheName);
    const copyOne = async (url: string, as: string): Promise<void> => {
      const key = controller.getCacheKeyForURL(url);
      const response = key ? await precache.match(key) : undefined;
      if (!response) throw new Error(`${url} is not in the precache`);
      await shell.put(new URL(as, scope).href, await withoutVary(response));
    };
    await copyOne('index.html', scope.pathname);
    const paths = files.map((url) => new URL(url, scope).pathname);
    for (const [i, url] of files.entries()) await copyOne(url, paths[i] ?? url);
    return paths;
  }

  return {
    async install(event) {
      if (!canRoute(event)) return;
      try {
        const paths = await copy();
        await event.addRoutes([
          // A navigation to the app's start URL with no query: its key in the copy.
          {
            condition: { urlPattern: { pathname: scope.pathname, search: '' }, requestMode: 'navigate' },
            source: { cacheName },
          },
          {
            condition: { or: paths.map((pathname) => ({ urlPattern: { pathname } })) },
            source: { cacheName },
          },
        ]);
      } catch (error) {
        // A rule the browser refuses (a limit on their size, say) leaves the fetch handler serving
        // everything, as in a browser without static routing: not a reason to fail the install.
        console.warn('static routes not added', error);
      }
    },
    async dropOtherVersions() {
      for (const name of await caches.keys())
        if (name.startsWith(PREFIX) && name !== cacheName) await caches.delete(name);
    },
  };
}
