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

export interface AppBuildOptions {
  supabaseUrl: string;
  anonKey: string;
  outDir: string;
  /** Extra compile-time constants (a test builds two versions that differ). */
  define?: Record<string, string>;
}

const root = fileURLToPath(new URL('..', import.meta.url));

/** The production build, as `npm run build` makes it, pointed at the given Supabase. */
export async function buildApp(options: AppBuildOptions): Promise<void> {
  process.env.VITE_SUPABASE_URL = options.supabaseUrl;
  process.env.VITE_SUPABASE_ANON_KEY = options.anonKey;
  // Vitest sets NODE_ENV=test, and Vite would then bundle React's development build: test what ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root,
      mode: 'production',
      logLevel: 'error',
      ...(options.define ? { define: options.define } : {}),
      build: { outDir: options.outDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

export async function startAppServer(options: AppBuildOptions): Promise<AppServer> {
  await buildApp(options);
  return serveApp(options.outDir);
}

/** Serves a build already made (a test that stops its own server while the app is open). */
export async function serveApp(outDir: string): Promise<AppServer> {
  const server = await preview({
    root,
    logLevel: 'error',
    build: { outDir },
    preview: { host: '127.0.0.1', port: await freePort(), strictPort: true },
  });
  return {
    url: server.resolvedUrls?.local[0] ?? '',
    stop: () =>
      new Promise<void>((resolve) => {
        server.httpServer.close(() => resolve());
        // A browser still holding a keep-alive connection must not keep the server up.
        if ('closeAllConnections' in server.httpServer) server.httpServer.closeAllConnections();
      }),
  };
}
