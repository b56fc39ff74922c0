/**
 * Keeps the chunks of screens only some devices use (src/app/pwa/optional-chunks.ts) out of the
 * service worker's precache, and tells the worker which files each such group is made of, so that a
 * device that uses one keeps all of it offline (src/sw-optional.ts). In three pieces:
 * - `findGroups` (page build): a chunk is in the precache ("core") when an entry reaches it through
 *   static or dynamic imports without passing through a group's root module; every other chunk, and
 *   its CSS, belongs to the groups whose roots reach it without passing through another group's root
 *   (a group's chunk imports the entry chunk, and the entry imports every screen lazily);
 * - `dropFromPrecache` (vite-plugin-pwa's `manifestTransforms`): the precache manifest without them;
 * - `groupsModule` (the worker's build): `virtual:consult-optional-chunks`, the groups' URLs.
 * The page is built before the worker, as for scripts/sw-shared-chunks.ts.
 */

import type { Plugin, Rollup } from 'vite';
import type { ManifestTransform } from 'workbox-build';

export const OPTIONAL_CHUNKS_MODULE = 'virtual:consult-optional-chunks';
const RESOLVED = `\0${OPTIONAL_CHUNKS_MODULE}`;

export interface SwOptionalChunks {
  /** Goes into the page build's plugins. */
  findGroups: Plugin;
  /** Goes into vite-plugin-pwa's `injectManifest.manifestTransforms`. */
  dropFromPrecache: ManifestTransform;
  /** Goes into vite-plugin-pwa's `injectManifest.buildPlugins.vite`. */
  groupsModule: Plugin;
}

/** Each group's files (relative to the build's root), from the page build's chunk graph. */
export function groupFiles(
  bundle: Rollup.OutputBundle,
  roots: Readonly<Record<string, readonly string[]>>,
): Record<string, string[]> {
  const chunks = Object.values(bundle).filter((c): c is Rollup.OutputChunk => c.type === 'chunk');
  const byFile = new Map(chunks.map((c) => [c.fileName, c]));
  const rootOf = (c: Rollup.OutputChunk): string | undefined =>
    Object.keys(roots).find((g) => roots[g]?.some((m) => c.facadeModuleId?.endsWith(m)));
  /** Every chunk `from` reaches, not entering the roots of groups other than `own`'s. */
  const reach = (from: Rollup.OutputChunk[], own?: string): Set<string> => {
    const seen = new Set<string>();
    const walk = (c: Rollup.OutputChunk) => {
      const root = rootOf(c);
      if (seen.has(c.fileName) || (root && root !== own)) return;
      seen.add(c.fileName);
      for (const f of [...c.imports, ...c.dynamicImports]) {
        const next = byFile.get(f);
        if (next) walk(next);
      }
    };
    for (const c of from) walk(c);
    return seen;
  };
  const core = reach(chunks.filter((c) => c.isEntry));
  const groups: Record<string, string[]> = {};
  for (const [group, modules] of Object.entries(roots)) {
    const own = chunks.filter((c) => rootOf(c) === group);
    const missing = modules.filter((m) => !own.some((c) => c.facadeModuleId?.endsWith(m)));
    // A renamed or no longer lazy screen would otherwise silently land back in the precache.
    if (missing.length) throw new Error(`optional chunks: no lazy chunk for ${missing.join(', ')}`);
    const files = new Set<string>();
    for (const file of reach(own, group)) {
      if (core.has(file)) continue;
      const chunk = byFile.get(file);
      files.add(file);
      for (const css of chunk?.viteMetadata?.importedCss ?? []) files.add(css);
      for (const asset of chunk?.viteMetadata?.importedAssets ?? []) files.add(asset);
    }
    groups[group] = [...files].sort();
  }
  return groups;
}

export function swOptionalChunks(
  roots: Readonly<Record<string, readonly string[]>>,
  base = '/',
): SwOptionalChunks {
  let groups: Record<string, string[]> | null = null;
  const built = (): Record<string, string[]> => {
    if (!groups) throw new Error('the worker is built before the page: no optional chunks known');
    return groups;
  };
  return {
    findGroups: {
      name: 'consult:optional-chunks',
      apply: 'build',
      generateBundle(_options, bundle) {
        groups = groupFiles(bundle, roots);
      },
    },
    dropFromPrecache: async (entries) => {
      const optional = new Set(Object.values(built()).flat());
      return { manifest: entries.filter((e) => !optional.has(e.url)), warnings: [] };
    },
    groupsModule: {
      name: 'consult:optional-chunks-module',
      resolveId: (id) => (id === OPTIONAL_CHUNKS_MODULE ? RESOLVED : null),
      load(id) {
        if (id !== RESOLVED) return null;
        const urls = Object.fromEntries(
          Object.entries(built()).map(([g, files]) => [g, files.map((f) => `${base}${f}`)]),
        );
        return `export default ${JSON.stringify(urls)};`;
      },
    },
  };
}
