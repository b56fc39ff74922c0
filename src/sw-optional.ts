/// <reference lib="webworker" />
/**
 * The service worker's side of the optional chunks (src/app/pwa/optional-chunks.ts): the screens
 * only some devices use are not precached, so a phone does not download them to work offline.
 * - Every same-origin `/assets/` file the precache does not hold is served cache-first from its own
 *   cache once fetched: the names are hashed, so a cached file never goes stale, it is only replaced.
 * - A page that loads a group says so (`KEEP_OFFLINE`): the worker stores the group's whole file
 *   list (chunks the device has not opened yet too, e.g. the kiosk's staff screens) and remembers
 *   the group, so the next version's worker stores its files at install, before it takes over: an
 *   update never leaves a kiosk with a chunk that is not on the device.
 * - When a version takes over, files no group of it lists are deleted (the previous version's).
 */

import groups from 'virtual:consult-optional-chunks';
import { registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { isKeepOfflineMessage, type OptionalGroup } from './app/pwa/optional-chunks.ts';
import { hasKioskDatabase } from './data/kiosk-device.ts';

const FILES = 'consult-optional-chunks';
/** The groups this device uses, as empty responses keyed by a URL no request can ask for. */
const USED = 'consult-optional-groups';
const usedKey = (group: string) => `/__consult/optional-group/${group}`;
/**
 * Servers answer with `Vary: Origin` (Vite's does), and a module script's request carries an Origin
 * header that a fetch from the worker does not: matched on Vary, a file stored one way is not found
 * the other. A hashed file's content never varies.
 */
const ANY_VARY: CacheQueryOptions = { ignoreVary: true };

/** Stores the group's files that are not stored yet (a failed fetch rejects). */
async function storeMissing(group: string): Promise<void> {
  const files = await caches.open(FILES);
  const missing: string[] = [];
  for (const url of groups[group] ?? []) if (!(await files.match(url, ANY_VARY))) missing.push(url);
  await files.addAll(missing);
}

async function markUsed(group: OptionalGroup): Promise<void> {
  await (await caches.open(USED)).put(usedKey(group), new Response(''));
}

async function keepGroup(group: OptionalGroup): Promise<void> {
  await markUsed(group);
  await storeMissing(group);
}

/** At install: the files of every group this device used, as this version names them. */
async function keepUsedGroups(): Promise<void> {
  const used = new Set((await (await caches.open(USED)).keys()).map((r) => new URL(r.url).pathname));
  // A kiosk set up under a version from before optional chunks never said so (its worker
  // precached everything): its own database tells.
  if (!used.has(usedKey('kiosk')) && (await hasKioskDatabase())) {
    await markUsed('kiosk');
    used.add(usedKey('kiosk'));
  }
  // A failure fails the install, as a precache failure does: the browser tries the update again.
  for (const group of Object.keys(groups)) if (used.has(usedKey(group))) await storeMissing(group);
}

async function dropOtherVersions(): Promise<void> {
  const current = new Set(Object.values(groups).flat());
  const files = await caches.open(FILES);
  for (const request of await files.keys())
    if (!current.has(new URL(request.url).pathname)) await files.delete(request, ANY_VARY);
}

export function routeOptionalChunks(worker: ServiceWorkerGlobalScope): void {
  // After precacheAndRoute's route, which answers every precached URL first.
  registerRoute(
    ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith('/assets/'),
    new CacheFirst({ cacheName: FILES, matchOptions: ANY_VARY }),
  );
  worker.addEventListener('install', (event) => event.waitUntil(keepUsedGroups()));
  worker.addEventListener('activate', (event) => event.waitUntil(dropOtherVersions()));
  worker.addEventListener('message', (event) => {
    // Offline (a kiosk starting with no network), what is missing cannot be fetched: it is already
    // there, or comes with the next start that has a connection.
    if (isKeepOfflineMessage(event.data)) event.waitUntil(keepGroup(event.data.group).catch(() => undefined));
  });
}
