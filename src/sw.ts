/// <reference lib="webworker" />
/**
 * The service worker: precaches the app shell so the app opens with no network, answers every
 * navigation with the cached index.html, and never caches API traffic (nothing personal lands in
 * the HTTP cache: Supabase calls go straight to the network). A new version waits until the page
 * asks it to take over (SKIP_WAITING), so an open form is never reloaded away.
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope;

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
