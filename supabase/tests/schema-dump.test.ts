/**
 * The checked-in supabase/schema.sql is the schema the migrations build: an empty database of its
 * own, every migration, pg_dump, compared line for line.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../local/migrate.ts';
import { dumpSchema, SCHEMA_FILE } from './schema-dump.ts';
import { sql, stack } from './stack-clients.ts';

const dbName = `consult_schema_${randomUUID().replaceAll('-', '')}`;
let dbUrl: string;

beforeAll(async () => {
  await sql(`create database ${dbName}`);
  const url = new URL(stack().dbUrl);
  url.pathname = `/${dbName}`;
  dbUrl = url.toString();
  await applyMigrations(dbUrl);
});

afterAll(async () => {
  await sql(`drop database if exists ${dbName} with (force)`);
});

describe('supabase/schema.sql', () => {
  it('is what the migrations build', async () => {
    const checkedIn = await fs.readFile(SCHEMA_FILE, 'utf8');
    expect(
      dumpSchema(dbUrl),
      'supabase/schema.sql differs from the migrated schema: run `npm run schema:dump` and commit it',
    ).toBe(checkedIn);
  });
});
