/**
 * `npm run stack` — the embedded local Supabase alone (no app), until Ctrl-C.
 * `npm run stack:reset` — delete the local data, then start with a fresh, seeded database.
 * `--host=<address>` picks the loopback address to listen on; any other address is refused.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { StackError } from './errors.ts';
import { assertLoopback } from './ports.ts';
import { DEFAULT_PORTS, type RunningStack, startStack } from './stack.ts';

export const LOCAL_DATA_DIR = path.resolve('.data', 'local');

export async function resetLocalData(dataDir = LOCAL_DATA_DIR): Promise<void> {
  await fs.rm(dataDir, { recursive: true, force: true });
}

/** Starts the stack for a command-line user: prints progress, one clear line on failure. */
export async function startForCli(options: {
  verbose: boolean;
  reset: boolean;
  host?: string;
}): Promise<RunningStack> {
  // Refuse a non-loopback address before a reset deletes anything (startStack checks it again).
  if (options.host) assertLoopback(options.host, 'The local stack (its auth stand-in and /__qa/ endpoints)');
  if (options.reset) {
    await resetLocalData();
    console.log(`reset: deleted ${path.relative(process.cwd(), LOCAL_DATA_DIR)}`);
  }
  const started = Date.now();
  const stack = await startStack({
    dataDir: LOCAL_DATA_DIR,
    ...(options.host ? { host: options.host } : {}),
    log: options.verbose ? (line) => console.log(line) : () => {},
    onOneTimeCode: (to, code) => console.log(`[auth] one-time code for ${to}: ${code}`),
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    [
      `Local Supabase ready in ${seconds} s (${stack.created ? 'new database, seeded' : 'existing database'}${
        stack.migrationsApplied.length ? `, applied ${stack.migrationsApplied.length} migration(s)` : ''
      })`,
      `  API URL:          ${stack.url}`,
      `  DB URL:           ${stack.dbUrl.replace(`:${DEFAULT_PORTS.db}/`, `:${DEFAULT_PORTS.db}/`)}`,
      `  anon key:         ${stack.anonKey}`,
      `  service_role key: ${stack.serviceRoleKey}`,
      `  QA faults:        ${stack.url}/__qa/faults`,
    ].join('\n'),
  );
  return stack;
}

/** Stops everything on Ctrl-C / SIGTERM, once. */
export function stopOnSignal(stopAll: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    stopAll()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error(String(error));
        process.exit(1);
      });
  };
  process.on('SIGINT', () => handler('SIGINT'));
  process.on('SIGTERM', () => handler('SIGTERM'));
}

export function exitWithError(error: unknown): never {
  console.error(error instanceof StackError ? `error: ${error.message}` : error);
  process.exit(1);
}

async function main(): Promise<void> {
  const [command = 'start', ...flags] = process.argv.slice(2);
  if (command !== 'start' && command !== 'reset') {
    exitWithError(new Error(`unknown command ${command}: use start or reset`));
  }
  const host = flags.find((f) => f.startsWith('--host='))?.slice('--host='.length);
  const stack = await startForCli({
    verbose: flags.includes('--verbose'),
    reset: command === 'reset',
    ...(host ? { host } : {}),
  });
  stopOnSignal(stack.stop);
  console.log('Press Ctrl-C to stop.');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch(exitWithError);
}
