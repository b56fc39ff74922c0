/**
 * CI's run of `npm run qa`: the short lost-response storm against the e2e stack, through the same
 * runner the command uses; it must report everything arrived exactly once.
 */
import { expect, it } from 'vitest';
import { formatReport, runScenario } from '../scripts/qa/run.ts';
import { SCENARIOS } from '../scripts/qa/scenarios.ts';
import { e2e, launchBrowser } from './browser.ts';

it('runs the short lost-response storm: every write arrives exactly once', async () => {
  const scenario = SCENARIOS.find((s) => s.name === 'lost-response-storm');
  if (!scenario) throw new Error('the lost-response-storm scenario is missing');
  const browser = await launchBrowser();
  try {
    const report = await runScenario(scenario, {
      appUrl: e2e().appUrl,
      dbUrl: e2e().stack.dbUrl,
      outDir: e2e().artifactsDir,
      short: true,
      browser,
    });
    expect(report.ok, formatReport(report)).toBe(true);
    expect(report.serverChecked).toBe(true);
    expect(report.devices[0]?.answers.duplicate ?? 0).toBeGreaterThan(0);
  } finally {
    await browser.close();
  }
}, 600_000);
