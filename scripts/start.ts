/**
 * `npm start`: the embedded local Supabase, then the production build of the app (with its real
 * service worker) served by `vite preview` on 5173, pointed at the local stack. Ctrl-C stops all.
 * Flags: --reset (fresh seeded database), --verbose (child process logs).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { exitWithError, startForCli, stopOnSignal } from '../supabase/local/cli.ts';
import { STACK_ERROR_KINDS, StackError } from '../supabase/local/errors.ts';
import { assertPortFree } from '../supabase/local/ports.ts';

const APP_PORT = 5173;

const VITE_BIN = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));

/** Runs Vite in a child Node process of ours (not through npx), so stopping it stops Vite itself. */
function vite(args: string[], env: NodeJS.ProcessEnv, inherit: boolean): ChildProcess {
  return spawn(process.execPath, [VITE_BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: inherit ? 'inherit' : 'ignore',
  });
}

async function main(): Promise<void> {
  const flags = process.argv.slice(2);
  const verbose = flags.includes('--verbose');
  const started = Date.now();
  await assertPortFree(APP_PORT, 'app preview');
  const stack = await startForCli({ verbose, reset: flags.includes('--reset') });
  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = async (): Promise<void> => {
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await stack.stop();
  };
  stopOnSignal(stopAll);

  const env = { VITE_SUPABASE_URL: stack.url, VITE_SUPABASE_ANON_KEY: stack.anonKey };
  console.log('Building the app (vite build)…');
  const build = vite(['build', '--logLevel', verbose ? 'info' : 'error'], env, true);
  children.push(build);
  const code = await new Promise<number | null>((resolve) => build.on('exit', resolve));
  if (code !== 0) {
    await stopAll();
    throw new StackError(
      STACK_ERROR_KINDS.startFailed,
      `vite build failed (exit ${code}): see its output above`,
    );
  }
  const preview = vite(
    ['preview', '--host', '127.0.0.1', '--port', String(APP_PORT), '--strictPort'],
    env,
    verbose,
  );
  children.push(preview);
  preview.on('exit', (exitCode) => {
    if (!stopping) {
      console.error(`error: vite preview exited with ${exitCode}`);
      void stopAll().then(() => process.exit(1));
    }
  });
  await waitForHttp(`http://127.0.0.1:${APP_PORT}/`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `\nConsult is ready in ${seconds} s: http://127.0.0.1:${APP_PORT}/   (Ctrl-C stops everything)`,
  );
}

async function waitForHttp(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new StackError(STACK_ERROR_KINDS.startFailed, `${url} did not answer within 60 s`);
}

main().catch(exitWithError);
