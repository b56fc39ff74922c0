/**
 * `npm test`: the whole suite — unit, stack (real Postgres + PostgREST + supabase-js) and end-to-end
 * (real Chromium and Firefox ESR) — in one Vitest run. Extra arguments go to Vitest (e.g.
 * `npm test -- --project unit`).
 * Ends with one plain line, "tests: N passed, N failed", read from Vitest's JSON report.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { ensureBrowsers } from './ensure-browsers.ts';

const REPORT = 'test-results/vitest.json';

const args = process.argv.slice(2);
const wantsBrowser =
  !args.includes('--project') || args.some((a, i) => args[i - 1] === '--project' && a === 'e2e');
try {
  if (wantsBrowser) ensureBrowsers();
} catch (error) {
  console.error(`error: ${(error as Error).message}`);
  process.exit(1);
}
fs.rmSync(REPORT, { force: true });
const result = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${REPORT}`, ...args],
  { stdio: 'inherit' },
);

interface JsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}
if (fs.existsSync(REPORT)) {
  const report = JSON.parse(fs.readFileSync(REPORT, 'utf8')) as JsonReport;
  const skipped = report.numPendingTests + report.numTodoTests;
  console.log(
    `tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`,
  );
}
process.exit(result.status ?? 1);
