/**
 * A tiny hash router: `#/path?query`. Hash URLs always load index.html, so every screen opens offline
 * from the precached shell with no server-side fallback, and no router dependency is needed.
 */
import { useSyncExternalStore } from 'react';

export interface Location {
  path: string;
  query: URLSearchParams;
}

export function parseHash(hash: string): Location {
  const raw = hash.replace(/^#/, '');
  const [path = '', search = ''] = raw.split('?', 2);
  return {
    path: path.startsWith('/') ? path.replace(/\/+$/, '') || '/' : '/',
    query: new URLSearchParams(search),
  };
}

export function hrefOf(path: string, query?: Record<string, string>): string {
  const search = query ? new URLSearchParams(query).toString() : '';
  return `#${path}${search ? `?${search}` : ''}`;
}

export function navigate(
  path: string,
  query?: Record<string, string>,
  options: { replace?: boolean } = {},
): void {
  const href = hrefOf(path, query);
  if (options.replace) window.location.replace(href);
  else window.location.hash = href;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The current hash; components parse it (a string snapshot keeps useSyncExternalStore stable). */
export function useHash(): string {
  return useSyncExternalStore(
    subscribe,
    () => window.location.hash,
    () => '',
  );
}

/** Matches `/appointments/:id`-style patterns; returns the params or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const s = path.split('/');
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const part = p[i] ?? '';
    const seg = s[i] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(seg);
    else if (part !== seg) return null;
  }
  return params;
}

/**
 * The app's root as a whole page load: no hash (a hash change is not a load, and a screen's own
 * hash handling may answer it), no query.
 */
export function appRootUrl(href: string): string {
  const url = new URL(href);
  url.hash = '';
  url.search = '';
  return url.href;
}
