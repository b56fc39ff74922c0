/**
 * Starts one embedded local Supabase for the `stack` test project: a throwaway data directory, free
 * ports (so a developer's `npm start` on 54321/54322 keeps running), fast-but-unsafe Postgres settings.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../local/ports.ts';
import { startStack } from '../local/stack.ts';
import type {} from './stack-info.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'consult-stack-test-'));
  const logs: string[] = [];
  const stack = await startStack({
    dataDir,
    apiPort: await freePort(),
    dbPort: await freePort(),
    fast: true,
    log: (line) => logs.push(line),
  }).catch((error: unknown) => {
    console.error(logs.join('\n'));
    throw error;
  });
  project.provide('stack', {
    url: stack.url,
    anonKey: stack.anonKey,
    serviceRoleKey: stack.serviceRoleKey,
    jwtSecret: stack.jwtSecret,
    dbUrl: stack.dbUrl,
  });
  return async () => {
    await stack.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  };
}
