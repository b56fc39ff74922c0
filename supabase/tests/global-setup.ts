/** Starts one embedded local Supabase for the `stack` test project (see startThrowawayStack). */
import type { TestProject } from 'vitest/node';
import { startThrowawayStack } from '../local/stack.ts';
import type {} from './stack-info.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
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
