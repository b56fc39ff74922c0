/**
 * Budgets of the build, gzipped: the first screen's JavaScript (the entry script and every chunk
 * index.html preloads: what the browser must fetch before the first screen is interactive; lazily
 * imported chunks are listed apart, loaded on demand), and everything the phone downloads to work
 * offline: each file of the service worker's precache manifest plus the worker itself.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

export interface FirstScreenSize {
  firstScreenGzipBytes: number;
  firstScreenFiles: string[];
  lazyGzipBytes: number;
  lazyFiles: number;
  /** Precache entries plus the service worker. */
  offlineGzipBytes: number;
  offlineFiles: number;
  workerGzipBytes: number;
}

export async function measureFirstScreen(): Promise<FirstScreenSize> {
  const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'consult-bench-build-'));
  try {
    await build({ logLevel: 'error', build: { outDir, emptyOutDir: true } });
    const html = await fs.readFile(path.join(outDir, 'index.html'), 'utf8');
    const initial = new Set(
      [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\/?([^"]+\.js)"/g)].map(
        (m) => m[1] ?? '',
      ),
    );
    const gz = async (file: string): Promise<number> =>
      gzipSync(await fs.readFile(path.join(outDir, file)), { level: 9 }).length;
    const assets = (await fs.readdir(path.join(outDir, 'assets'))).filter((f) => f.endsWith('.js'));
    let firstScreenGzipBytes = 0;
    let lazyGzipBytes = 0;
    for (const file of initial) firstScreenGzipBytes += await gz(file);
    const lazy = assets.map((f) => `assets/${f}`).filter((f) => !initial.has(f));
    for (const file of lazy) lazyGzipBytes += await gz(file);
    // The precache manifest is injected into sw.js as JSON objects with a "url" each.
    const worker = await fs.readFile(path.join(outDir, 'sw.js'), 'utf8');
    const precached = [...new Set([...worker.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1] ?? ''))];
    const workerGzipBytes = await gz('sw.js');
    let offlineGzipBytes = workerGzipBytes;
    for (const file of precached) offlineGzipBytes += await gz(file);
    return {
      firstScreenGzipBytes,
      firstScreenFiles: [...initial],
      lazyGzipBytes,
      lazyFiles: lazy.length,
      offlineGzipBytes,
      offlineFiles: precached.length + 1,
      workerGzipBytes,
    };
  } finally {
    await fs.rm(outDir, { recursive: true, force: true });
  }
}
