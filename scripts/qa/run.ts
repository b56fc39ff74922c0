/**
 * Runs one QA scenario in Chromium against a built app (a throwaway local stack, or any URL) and
 * checks that everything it wrote arrived exactly once: from the app's own state (outbox empty,
 * each row there once), the server's answers (the sync log: no write applied twice, none refused)
 * and, when the database is reachable (local stack), the server's rows themselves.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { BACKGROUND_SYNC_TRIGGER } from '../../src/data/qa-sync-log.ts';
import { DEMO_STAFF } from '../../supabase/local/demo-staff.ts';
import { qaBannerShows, readDevice, readSyncLog, setQaFaults } from './app-steps.ts';
import { answeredRows, countAnswers, deviceProblems } from './checks.ts';
import type { StaffAccount } from './kiosk-steps.ts';
import { PageNetwork, type ProfileName } from './network.ts';

export interface Device {
  name: string;
  page: Page;
  net: PageNetwork;
  /** The profiles this device wrote (a phone: its patient's; a kiosk: each walk-in's), each once. */
  patientNames: string[];
  /** The booking reasons this device wrote, each of which must arrive once. */
  reasons: string[];
  /** A kiosk: it keeps a walk-in's rows only until they are sent, so the app holds each at most once. */
  kiosk: boolean;
}

export interface DeviceOptions {
  /** In QA mode with these in-app faults from the start. */
  qaFaults?: object;
  /** A tablet (800 × 1280, touch) to set up as a kiosk; its patients are the walk-ins it registers. */
  kiosk?: boolean;
}

export interface ScenarioContext {
  runId: string;
  short: boolean;
  /**
   * A new phone (its own browser profile) on the given network, the app open on it (in QA mode with
   * these in-app faults if given). The phone has no Background Sync, as Firefox and Safari have none:
   * every drain stays in the page, where the CDP conditions apply (CDP does not throttle the
   * service worker's own requests).
   */
  device(name: string, network: ProfileName, options?: DeviceOptions): Promise<Device>;
  /** The staff account a kiosk is set up with. */
  staff: StaffAccount;
  step(text: string): void;
  /** Something wrong the scenario worked around, as a person would: printed in the report. */
  finding(text: string): void;
  screenshot(device: Device, name: string): Promise<void>;
  /** Polls until `check` holds or `timeoutMs` passes. */
  until(what: string, check: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
}

export interface Scenario {
  name: string;
  summary: string;
  run(ctx: ScenarioContext): Promise<Device[]>;
}

export interface RunOptions {
  appUrl: string;
  /** The stack's database, to count rows on the server; null against a deployed build. */
  dbUrl: string | null;
  outDir: string;
  short: boolean;
  browser: Browser;
  /** For the kiosk scenario; the local stack's demo receptionist unless given. */
  staff?: StaffAccount;
  log?: (line: string) => void;
}

export interface DeviceCheck {
  device: string;
  problems: string[];
  answers: Record<string, number>;
}

export interface QaRunReport {
  scenario: string;
  ok: boolean;
  seconds: number;
  steps: string[];
  devices: DeviceCheck[];
  serverChecked: boolean;
  findings: string[];
  screenshots: string[];
}

const QA_FAULTS_KEY = 'consult.qa.inAppFaults';

async function serverProblems(dbUrl: string, d: Device): Promise<string[]> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const problems: string[] = [];
    for (const name of d.patientNames) {
      const rows = await client.query('select 1 from public.patients where full_name = $1', [name]);
      if (rows.rowCount !== 1) problems.push(`server holds ${rows.rowCount} profile(s) named ${name}`);
    }
    for (const reason of d.reasons) {
      const rows = await client.query('select 1 from public.appointments where reason = $1', [reason]);
      if (rows.rowCount !== 1) problems.push(`server holds ${rows.rowCount} booking(s) "${reason}"`);
    }
    return problems;
  } finally {
    await client.end();
  }
}

export async function runScenario(scenario: Scenario, options: RunOptions): Promise<QaRunReport> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const steps: string[] = [];
  const screenshots: string[] = [];
  const findings: string[] = [];
  await fs.mkdir(options.outDir, { recursive: true });
  const runId = Date.now().toString(36);
  const ctx: ScenarioContext = {
    runId,
    short: options.short,
    staff: options.staff ?? DEMO_STAFF,
    device: async (name, network, { qaFaults, kiosk = false } = {}) => {
      const context = await options.browser.newContext({
        viewport: kiosk ? { width: 800, height: 1280 } : { width: 360, height: 740 },
        hasTouch: kiosk,
        locale: 'en-IN',
        timezoneId: 'Asia/Kolkata',
      });
      // Source text: tsx would wrap the getter in a `__name` helper the page does not have.
      await context.addInitScript({
        content:
          "Object.defineProperty(ServiceWorkerRegistration.prototype, 'sync', { configurable: true, get: () => undefined });",
      });
      if (qaFaults)
        await context.addInitScript(([key, value]) => localStorage.setItem(key, value), [
          QA_FAULTS_KEY,
          JSON.stringify(qaFaults),
        ] as const);
      const page = await context.newPage();
      // The app's warnings (failed drains, quarantines) belong in the run's output. The location
      // names the resource of a failed load; for the app's own messages it is only the chunk its
      // logger was bundled into (it read as if auth-storage.js had failed).
      page.on('console', (m) => {
        if (m.type() !== 'warning' && m.type() !== 'error') return;
        const where = m.text().startsWith('Failed to load resource') ? ` ${m.location().url}` : '';
        log(`  ${name} console: ${m.text()}${where}`);
      });
      const net = await PageNetwork.of(page);
      await net.set(network);
      await page.goto(options.appUrl, { timeout: 300_000 });
      await page.getByRole('heading', { level: 1 }).waitFor({ timeout: 300_000 });
      const patientNames = kiosk ? [] : [`QA ${scenario.name} ${name} ${runId}`];
      return { name, page, net, patientNames, reasons: [], kiosk };
    },
    step: (text) => {
      const line = `[${((Date.now() - started) / 1000).toFixed(1)} s] ${text}`;
      steps.push(line);
      log(line);
    },
    finding: (text) => {
      if (findings.includes(text)) return;
      findings.push(text);
      log(`FINDING: ${text}`);
    },
    screenshot: async (device, name) => {
      const file = path.join(options.outDir, `${scenario.name}-${device.name}-${name}.png`);
      await device.page.screenshot({ path: file, fullPage: true });
      screenshots.push(file);
    },
    until: async (what, check, timeoutMs = 300_000) => {
      const deadline = Date.now() + timeoutMs;
      let nextNote = Date.now() + 15_000;
      while (!(await check())) {
        if (Date.now() > nextNote) {
          log(`  still waiting for ${what}`);
          nextNote = Date.now() + 15_000;
        }
        if (Date.now() > deadline)
          throw new Error(`${scenario.name}: ${what} did not happen within ${timeoutMs} ms`);
        await delay(250);
      }
    },
  };

  const devices = await scenario.run(ctx).catch(async (error: unknown) => {
    // What each phone showed when the scenario broke, for the bug report.
    let i = 0;
    for (const context of options.browser.contexts())
      for (const page of context.pages()) {
        const file = path.join(options.outDir, `${scenario.name}-failed-${i++}.png`);
        await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
        log(`screenshot of the failure: ${file}`);
        const drains = await readSyncLog(page).catch(() => []);
        for (const d of drains.slice(-5))
          log(
            `  drain ${d.trigger}: ${d.end?.status ?? '?'} ${d.end?.kind ?? ''} ${d.failures.map((f) => f.error).join('; ')}`,
          );
      }
    throw error;
  });
  const checks: DeviceCheck[] = [];
  for (const d of devices) {
    ctx.step(`${d.name}: back on a good link; waiting until everything is sent`);
    await d.net.set('online');
    await setQaFaults(d.page, null);
    await ctx.until(`${d.name}'s outbox to empty`, async () => (await readDevice(d.page)).outbox === 0);
    // A drain is logged when it ends, after its push emptied the outbox (its pull goes on): without
    // this wait the report missed the last drain's answers (a kiosk's 8 writes read "applied 4").
    const writes = d.patientNames.length + d.reasons.length;
    await ctx
      .until(
        `${d.name}'s last drain in the sync log`,
        async () => answeredRows(await readDevice(d.page)) >= writes,
        60_000,
      )
      .catch(() => undefined);
    // QA mode is off: the banner must have gone with it, or the end screenshot says otherwise.
    await ctx
      .until(`${d.name}'s QA banner to go`, async () => !(await qaBannerShows(d.page)), 10_000)
      .catch(() => undefined);
    const bannerLeft = await qaBannerShows(d.page);
    await ctx.screenshot(d, 'end');
    const state = await readDevice(d.page);
    const problems = deviceProblems(d, state);
    if (bannerLeft) problems.push('the QA mode banner still shows after QA mode was turned off');
    // The devices have no Background Sync: a drain in the worker would have escaped the link's conditions.
    if ((await readSyncLog(d.page)).some((x) => x.trigger === BACKGROUND_SYNC_TRIGGER))
      problems.push('a drain ran in the service worker, outside the network conditions of the scenario');
    if (options.dbUrl) problems.push(...(await serverProblems(options.dbUrl, d)));
    checks.push({ device: d.name, problems, answers: countAnswers(state) });
    await d.page.context().close();
  }
  return {
    scenario: scenario.name,
    ok: checks.every((c) => c.problems.length === 0),
    seconds: Math.round((Date.now() - started) / 1000),
    steps,
    devices: checks,
    serverChecked: options.dbUrl !== null,
    findings,
    screenshots,
  };
}

export function formatReport(r: QaRunReport): string {
  const lines = [
    `Scenario ${r.scenario}: ${r.ok ? 'PASS, everything arrived exactly once' : 'FAIL'} (${r.seconds} s)`,
  ];
  for (const d of r.devices) {
    const answers = Object.entries(d.answers)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    lines.push(`  ${d.device}: server answers: ${answers || 'none'}`);
    for (const p of d.problems) lines.push(`    ✗ ${p}`);
  }
  for (const f of r.findings) lines.push(`  Finding: ${f}`);
  lines.push(
    r.serverChecked
      ? '  Server rows counted in the stack database.'
      : '  Server rows not counted (no database access): checked from the app and the server answers only.',
  );
  lines.push(
    `  Screenshots: ${r.screenshots.length} in ${r.screenshots[0] ? path.dirname(r.screenshots[0]) : '-'}`,
  );
  return lines.join('\n');
}
