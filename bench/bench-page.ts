/**
 * A page of `bench/browser/` (its script bundled by Vite, as the app's would be) built into a
 * throwaway folder and served on a free port, for a bench that runs code in Chromium.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import { freePort } from '../supabase/local/ports.ts';

export interface BenchPage {
  url: string;
  /** Stops the server and removes the build. */
  stop(): Promise<void>;
}

/**
 * Headers that make the page cross-origin isolated (`self.crossOriginIsolated`). Chromium then
 * gives `performance.now()` 5 µs steps instead of 100 µs: a save takes 1–3 ms, so at 100 µs its
 * p95 ratios are quantised (a step is 5–7% of the figure). Only for a page that fetches nothing
 * cross-origin: COEP `require-corp` would refuse a response the bench stack does not mark for it.
 */
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export interface BenchPageOptions {
  /** Not minified, so that a profile of the page names its functions. */
  readable?: boolean;
  /** Served cross-origin isolated, for a fine timer (see `ISOLATION_HEADERS`). */
  isolated?: boolean;
}

export async function serveBenchPage(
  html: string,
  { readable = false, isolated = false }: BenchPageOptions = {},
): Promise<BenchPage> {
  const outDir = await fs.mkdtemp(path.join(os.tmpdir(), `consult-bench-${path.parse(html).name}-`));
  const root = fileURLToPath(new URL('./browser/', import.meta.url));
  const removeBuild = () => fs.rm(outDir, { recursive: true, force: true });
  try {
    await build({
      root,
      configFile: false,
      logLevel: 'error',
      build: {
        outDir,
        emptyOutDir: true,
        minify: !readable,
        rollupOptions: { input: path.join(root, html) },
      },
    });
    const server = await preview({
      root,
      configFile: false,
      logLevel: 'error',
      build: { outDir },
      preview: {
        host: '127.0.0.1',
        port: await freePort(),
        strictPort: true,
        ...(isolated ? { headers: ISOLATION_HEADERS } : {}),
      },
    });
    return {
      url: `${server.resolvedUrls?.local[0]}${html}`,
      stop: async () => {
        await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
        await removeBuild();
      },
    };
  } catch (error) {
    await removeBuild();
    throw error;
  }
}
