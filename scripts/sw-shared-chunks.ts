/**
 * The service worker shares the page's chunks instead of bundling its own copy of the engine,
 * Dexie, zod and supabase-js (125 KB gzip downloaded twice). How, in three pieces:
 * - the page build gets a second entry, `src/sw-drain.ts`, so Rollup splits what it shares with the
 *   page into common chunks (`swDrainEntry` records the entry's hashed file name);
 * - vite-plugin-pwa's own build of `src/sw.ts` leaves `./sw-drain.ts` out and imports that file by
 *   URL instead (`swDrainExternal`), so the worker is a module worker importing the page's chunks;
 * - the page registers it as a module worker (`moduleWorkerRegistration`): vite-plugin-pwa writes
 *   `type: "classic"` into its registration for every production build.
 * A service worker may not use `import()`, so the import is static: the worker fetches those chunks
 * once, at install, from the same URLs the precache holds.
 */
import type { Plugin } from 'vite';

const SW_DRAIN_SOURCE = 'src/sw-drain.ts';

export interface SwSharedChunks {
  /** The page build's extra entry. */
  input: Record<string, string>;
  /** Goes into the page build's plugins. */
  swDrainEntry: Plugin;
  /** Goes into vite-plugin-pwa's `injectManifest.buildPlugins.vite`. */
  swDrainExternal: Plugin;
  /** Goes into the page build's plugins. */
  moduleWorkerRegistration: Plugin;
}

export function swSharedChunks(base = '/'): SwSharedChunks {
  let drainFile: string | null = null;
  return {
    input: { index: 'index.html', 'sw-drain': SW_DRAIN_SOURCE },
    swDrainEntry: {
      name: 'consult:sw-drain-entry',
      apply: 'build',
      generateBundle(_options, bundle) {
        const entry = Object.values(bundle).find(
          (c) => c.type === 'chunk' && c.isEntry && c.facadeModuleId?.endsWith(SW_DRAIN_SOURCE),
        );
        if (!entry) throw new Error(`the page build has no chunk for ${SW_DRAIN_SOURCE}`);
        drainFile = entry.fileName;
      },
    },
    swDrainExternal: {
      name: 'consult:sw-drain-external',
      // Before Vite's own resolver, which would otherwise find the file and bundle it.
      enforce: 'pre',
      resolveId(source, importer) {
        if (source !== './sw-drain.ts' || !importer?.endsWith('src/sw.ts')) return null;
        if (!drainFile) throw new Error('the worker is built before the page: no sw-drain chunk to import');
        // 'absolute': keep the URL as written, not rewritten relative to the output file.
        return { id: `${base}${drainFile}`, external: 'absolute' };
      },
    },
    moduleWorkerRegistration: {
      name: 'consult:module-worker-registration',
      enforce: 'post',
      transform(code, id) {
        if (!id.includes('virtual:pwa-register')) return null;
        const classic = 'type: "classic"';
        if (!code.includes(classic)) throw new Error(`${id}: no ${classic} to make a module worker`);
        return { code: code.replace(classic, 'type: "module"'), map: null };
      },
    },
  };
}
