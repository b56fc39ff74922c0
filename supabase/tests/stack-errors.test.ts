/**
 * Start-up failures of the local stack: each is one clear StackError, and nothing is left running.
 */
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { STACK_ERROR_KINDS, type StackError } from '../local/errors.ts';
import { MIGRATIONS_DIR } from '../local/migrate.ts';
import { assertPortFree, freePort } from '../local/ports.ts';
import { startStack } from '../local/stack.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

async function failure(promise: Promise<unknown>): Promise<StackError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as StackError;
}

describe('local stack start-up failures', () => {
  it('names the port when the API port is taken, and starts nothing', async () => {
    const blocker = net.createServer();
    const apiPort = await freePort();
    await new Promise<void>((resolve) => blocker.listen(apiPort, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(() => resolve())));
    const dbPort = await freePort();

    const error = await failure(
      startStack({ dataDir: await tempDir('consult-err-'), apiPort, dbPort, fast: true }),
    );
    expect(error.kind).toBe(STACK_ERROR_KINDS.portInUse);
    expect(error.message).toContain(String(apiPort));
    expect(error.message.split('\n')).toHaveLength(1);
    await expect(assertPortFree(dbPort, 'db')).resolves.toBeUndefined();
  });

  it('names the migration file and line that failed, and stops Postgres again', async () => {
    const migrations = await tempDir('consult-migrations-');
    const [first] = (await fs.readdir(MIGRATIONS_DIR)).sort();
    await fs.copyFile(path.join(MIGRATIONS_DIR, first ?? ''), path.join(migrations, first ?? ''));
    await fs.writeFile(
      path.join(migrations, '29990101000000_broken.sql'),
      'create table ok_table (id int);\nselect * from no_such_table;\n',
    );
    const apiPort = await freePort();
    const dbPort = await freePort();

    const error = await failure(
      startStack({
        dataDir: await tempDir('consult-err-'),
        apiPort,
        dbPort,
        fast: true,
        migrationsDir: migrations,
      }),
    );
    expect(error.kind).toBe(STACK_ERROR_KINDS.migrationFailed);
    expect(error.message).toContain('29990101000000_broken.sql');
    expect(error.message).toContain('line 2');
    expect(error.message).toContain('no_such_table');
    await expect(assertPortFree(dbPort, 'db')).resolves.toBeUndefined();
    await expect(assertPortFree(apiPort, 'api')).resolves.toBeUndefined();
  });

  it('keeps the data across a restart and applies only new migrations', async () => {
    const dataDir = await tempDir('consult-restart-');
    const migrations = await tempDir('consult-migrations-');
    for (const file of await fs.readdir(MIGRATIONS_DIR)) {
      await fs.copyFile(path.join(MIGRATIONS_DIR, file), path.join(migrations, file));
    }
    const options = {
      dataDir,
      apiPort: await freePort(),
      dbPort: await freePort(),
      fast: true,
      migrationsDir: migrations,
    };
    const first = await startStack(options);
    expect(first.created).toBe(true);
    await first.stop();

    await fs.writeFile(
      path.join(migrations, '29990101000000_note.sql'),
      'create table public.restart_note (id int);',
    );
    const second = await startStack(options);
    try {
      expect(second.created).toBe(false);
      expect(second.migrationsApplied).toEqual(['29990101000000']);
    } finally {
      await second.stop();
    }
  });
});
