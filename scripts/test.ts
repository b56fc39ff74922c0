/**
 * `npm test`: the whole suite — unit, stack (real Postgres + PostgREST + supabase-js) and end-to-end
 * (real Chromium) — in one Vitest run. Extra arguments go to Vitest (e.g. `npm test -- --project unit`).
 */
import { spawnSync } from 'node:child_process';
import { ensureChromium } from './ensure-chromium.ts';

const args = process.argv.slice(2);
const wantsBrowser =
  !args.includes('--project') || args.some((a, i) => args[i - 1] === '--project' && a === 'e2e');
try {
  if (wantsBrowser) ensureChromium();
} catch (error) {
  console.error(`error: ${(error as Error).message}`);
  process.exit(1);
}
const result = spawnSync('npx', ['vitest', 'run', ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
