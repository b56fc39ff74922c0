/**
 * Applies the local bootstrap (what hosted Supabase already has), then each migration in
 * supabase/migrations once, in order, recorded in supabase_migrations.schema_migrations as the
 * Supabase CLI records them; then, on a new database, supabase/seed.sql.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { STACK_ERROR_KINDS, StackError } from './errors.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SUPABASE_DIR = path.resolve(here, '..');
export const MIGRATIONS_DIR = path.join(SUPABASE_DIR, 'migrations');
export const SEED_FILE = path.join(SUPABASE_DIR, 'seed.sql');
const BOOTSTRAP_FILE = path.join(here, 'bootstrap.sql');

const MIGRATION_NAME = /^(\d{14})_(.+)\.sql$/;

export interface MigrationFile {
  version: string;
  name: string;
  file: string;
}

export async function listMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const names = existsSync(dir) ? await fs.readdir(dir) : [];
  return names
    .flatMap((file) => {
      const match = MIGRATION_NAME.exec(file);
      return match ? [{ version: match[1] ?? '', name: match[2] ?? '', file: path.join(dir, file) }] : [];
    })
    .sort((a, b) => a.version.localeCompare(b.version));
}

/** Runs one SQL file in its own transaction; a failure names the file and Postgres's reason. */
async function runFile(client: pg.Client, file: string, after?: () => Promise<void>): Promise<void> {
  const sql = await fs.readFile(file, 'utf8');
  try {
    await client.query('begin');
    await client.query(sql);
    await after?.();
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    const e = error as { message?: string; position?: string };
    const line = e.position ? ` (line ${sql.slice(0, Number(e.position)).split('\n').length})` : '';
    throw new StackError(
      STACK_ERROR_KINDS.migrationFailed,
      `${path.relative(process.cwd(), file)} failed${line}: ${e.message ?? String(error)}`,
    );
  }
}

/** Applies the bootstrap and any migration not yet recorded; returns the versions it applied. */
export async function applyMigrations(dbUrl: string, dir = MIGRATIONS_DIR): Promise<string[]> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    await runFile(client, BOOTSTRAP_FILE);
    const done = new Set(
      (
        await client.query<{ version: string }>('select version from supabase_migrations.schema_migrations')
      ).rows.map((r) => r.version),
    );
    const applied: string[] = [];
    for (const migration of await listMigrations(dir)) {
      if (done.has(migration.version)) continue;
      await runFile(client, migration.file, async () => {
        await client.query(
          'insert into supabase_migrations.schema_migrations (version, name) values ($1, $2)',
          [migration.version, migration.name],
        );
      });
      applied.push(migration.version);
    }
    // PostgREST caches the schema; tell a running one to reload it.
    if (applied.length > 0) await client.query(`notify pgrst, 'reload schema'`);
    return applied;
  } finally {
    await client.end();
  }
}

export async function applySeed(dbUrl: string, file = SEED_FILE): Promise<boolean> {
  if (!existsSync(file)) return false;
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    await runFile(client, file);
    return true;
  } finally {
    await client.end();
  }
}
