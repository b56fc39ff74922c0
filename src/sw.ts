/// <reference lib="webworker" />
/**
 * The service worker: precaches the app shell so the app opens with no network, answers every
 * navigation with the cached index.html, and never caches API traffic (nothing personal lands in
 * the HTTP cache: Supabase calls go straight to the network). A new version waits until the page
 * asks it to take over (SKIP_WAITING), so an open form is never reloaded away. On Chromium's
 * Background Sync event it drains the outbox, so writes leave even after the tab was closed.
 * A module worker: `./sw-drain.ts` is not bundled here but imported from the page's chunks.
 * Screens only some devices use are not precached (`./sw-optional.ts`). Where the browser can, the
 * shell and the precached files are served without starting the worker (`./sw-static-routes.ts`).
 */
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, PrecacheController, PrecacheRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { BACKGROUND_SYNC_TAG } from './data/background-sync.ts';
import { drainFromWorker } from './sw-drain.ts';
import { routeOptionalChunks } from './sw-optional.ts';
import { staticRoutes } from './sw-static-routes.ts';

declare const self: ServiceWorkerGlobalScope;

/** Background Sync is Chromium-only and not in TypeScript's lib yet. */
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
  readonly lastChance: boolean;
}

// Take control of the page that installed us, so a patient's very first visit is already enough
// to open the app offline later (an update still waits for the page's SKIP_WAITING).
clientsClaim();
// precacheAndRoute, spelled out: the static routes copy from the precache once it is filled.
// Named once: the build replaces the one mention of the manifest with the list.
const manifest = self.__WB_MANIFEST;
const precache = new PrecacheController();
precache.addToCacheList(manifest);
const routes = staticRoutes(self, precache, manifest);
self.addEventListener('install', (event) =>
  event.waitUntil(precache.install(event).then(() => routes.install(event))),
);
self.addEventListener('activate', (event) => {
  precache.activate(event);
  event.waitUntil(routes.dropOtherVersions());
});
registerRoute(new PrecacheRoute(precache));
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(precache.createHandlerBoundToURL('index.html')));
// The QA and kiosk screens' chunks: not precached, kept once a device uses them.
routeOptionalChunks(self);

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

self.addEventListener('sync', (event: Event) => {
  const sync = event as SyncEvent;
  if (sync.tag !== BACKGROUND_SYNC_TAG) return;
  sync.waitUntil(drainFromWorker(self.navigator.locks));
});
