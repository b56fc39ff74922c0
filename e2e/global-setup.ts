/**
 * For the browser tests: one embedded local Supabase (throwaway data, free ports), the production
 * build of the app pointed at it (real service worker), served by `vite preview` on a free port.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureBrowsers } from '../scripts/ensure-browsers.ts';
import { startThrowawayStack } from '../supabase/local/stack.ts';
import { startAppServer } from './app-server.ts';
import type {} from './e2e-info.ts';

export const ARTIFACTS_DIR = path.resolve('test-results', 'e2e');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  ensureBrowsers();
  const stack = await startThrowawayStack('consult-e2e-');
  const appDir = path.join(stack.dataDir, 'dist');
  const app = await startAppServer({
    supabaseUrl: stack.url,
    anonKey: stack.anonKey,
    outDir: appDir,
  }).catch(async (error: unknown) => {
    await stack.stop();
    throw error;
  });
  await fs.mkdir(ARTIFACTS_DIR, { recursive: true });
  project.provide('e2e', {
    appUrl: app.url,
    appDir,
    artifactsDir: ARTIFACTS_DIR,
    stack: {
      url: stack.url,
      anonKey: stack.anonKey,
      serviceRoleKey: stack.serviceRoleKey,
      jwtSecret: stack.jwtSecret,
      dbUrl: stack.dbUrl,
    },
  });
  return async () => {
    await app.stop();
    await stack.stop();
  };
}
