/** Starts one embedded local Supabase for the `stack` test project (see startThrowawayStack). */
import type { TestProject } from 'vitest/node';
import { startThrowawayStack } from '../local/stack.ts';
import { ensurePgDump } from './schema-dump.ts';
import type {} from './stack-info.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Here rather than in schema-dump.test.ts: an apt-get install can take longer than a test may.
  ensurePgDump();
  const stack = await startThrowawayStack('consult-stack-test-');
  project.provide('stack', {
    url: stack.url,
    anonKey: stack.anonKey,
    serviceRoleKey: stack.serviceRoleKey,
    jwtSecret: stack.jwtSecret,
    dbUrl: stack.dbUrl,
  });
  return stack.stop;
}
