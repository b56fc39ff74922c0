/**
 * The production build of the app, pointed at a given Supabase URL, served by `vite preview` on a
 * free port: what the browser tests and the browser benchmarks open.
 */
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import { freePort } from '../supabase/local/ports.ts';

export interface AppServer {
  url: string;
  stop(): Promise<void>;
}

export async function startAppServer(options: {
  supabaseUrl: string;
  anonKey: string;
  outDir: string;
}): Promise<AppServer> {
  process.env.VITE_SUPABASE_URL = options.supabaseUrl;
  process.env.VITE_SUPABASE_ANON_KEY = options.anonKey;
  const root = fileURLToPath(new URL('..', import.meta.url));
  await build({ root, logLevel: 'error', build: { outDir: options.outDir, emptyOutDir: true } });
  const server = await preview({
    root,
    logLevel: 'error',
    build: { outDir: options.outDir },
    preview: { host: '127.0.0.1', port: await freePort(), strictPort: true },
  });
  return {
    url: server.resolvedUrls?.local[0] ?? '',
    stop: () => new Promise<void>((resolve) => server.httpServer.close(() => resolve())),
  };
}
