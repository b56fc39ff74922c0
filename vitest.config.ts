import { defineConfig } from 'vitest/config';

// Three projects, one `vitest run`:
// - unit: pure logic and Dexie over fake-indexeddb, no servers.
// - stack: SQL, RLS, RPCs and whole sync runs against the real embedded local Supabase, which the
//   global setup starts on free ports in a throwaway data directory.
// - e2e: the built PWA in Debian's Chromium through playwright-core, against the same kind of stack.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: [
            'sync/**/*.test.ts',
            'src/**/*.test.{ts,tsx}',
            'scripts/**/*.test.ts',
            'supabase/local/**/*.test.ts',
          ],
          exclude: ['**/*.stack.test.ts', '**/node_modules/**'],
          setupFiles: ['fake-indexeddb/auto'],
          // The property tests run hundreds of whole sync runs; on a loaded 2-core machine one test
          // can take well over Vitest's default 5 s without anything being wrong.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'stack',
          environment: 'node',
          include: ['supabase/tests/**/*.test.ts', '**/*.stack.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['supabase/tests/global-setup.ts'],
          setupFiles: ['fake-indexeddb/auto'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One stack is shared: test files run one after another so that fault settings at the
          // gateway and row counts do not interleave.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.test.ts'],
          globalSetup: ['e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
