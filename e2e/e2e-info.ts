import type { StackInfo } from '../supabase/tests/stack-info.ts';

/** What the e2e global setup hands to every browser test file. */
export interface E2eInfo {
  /** The built app served by `vite preview`, pointed at `stack`. */
  appUrl: string;
  /** That build's folder, for a test that serves it itself (to stop the server under the app). */
  appDir: string;
  stack: StackInfo;
  /** Where tests save screenshots for review. */
  artifactsDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: E2eInfo;
  }
}
