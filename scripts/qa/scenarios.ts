/**
 * The named scenarios of `npm run qa`. Time is compressed: "a day" and "a morning" are minutes, and
 * `--short` (what CI runs) is one device and the shortest waits. The kiosk's morning, on a real
 * kiosk, is in its own file.
 */
import { NO_FAULTS } from '../../src/data/qa-fault-settings.ts';
import {
  bookVideoSlot,
  readDevice,
  readSyncLog,
  saveProfile,
  setQaFaults,
  welcomeAndSignIn,
} from './app-steps.ts';
import { kioskMorning } from './kiosk-morning.ts';
import type { Device, Scenario, ScenarioContext } from './run.ts';

/**
 * Waits until the phone's outbox is empty and a drain finished. If the engine stops for a sign-in although the patient
 * chose to go on without an account (its first drain ran before the choice, as on a slow link), it
 * is reported as a finding and "Sync now" pressed, as the patient would.
 */
async function waitSent(ctx: ScenarioContext, d: Device, what: string): Promise<void> {
  const status = d.page.getByRole('region', { name: 'Sync status' });
  await ctx.until(what, async () => {
    const text = await status
      .getByRole('status')
      .innerText()
      .catch(() => '');
    if (text.includes('sign in to send')) {
      ctx.finding(
        'after "Continue without an account" the engine stays paused for a sign-in when its first drain ran before the choice (slow link); "Sync now" resumes it',
      );
      await status
        .getByRole('button', { name: 'Sync now' })
        .click()
        .catch(() => undefined);
    }
    // "All sent" comes at the end of a whole drain: the pull (slots) is done too.
    return text.startsWith('All sent') && (await readDevice(d.page)).outbox === 0;
  });
}

/** A booking reason unique to this run, so the server's rows can be counted. */
function reason(ctx: ScenarioContext, d: Device, n: number): string {
  return `QA ${d.name} booking ${n} ${ctx.runId}`;
}

const villageDay: Scenario = {
  name: '2g-village',
  summary: 'A day on a 2G village link (WebPageTest "2G"), with walks out of coverage between visits',
  async run(ctx) {
    const devices: Device[] = [];
    for (let i = 1; i <= (ctx.short ? 1 : 2); i++) {
      const d = await ctx.device(`phone${i}`, '2g');
      ctx.step(`${d.name}: opens the app on 2G, signs in anonymously, saves a profile`);
      await welcomeAndSignIn(d.page);
      await saveProfile(d.page, d.patientNames[0] ?? d.name);
      // Slots must reach the phone over 2G before it can book offline.
      await waitSent(ctx, d, 'the profile and the slots to sync');
      ctx.step(`${d.name}: walks out of coverage and books offline`);
      await d.net.set('offline');
      const r = reason(ctx, d, 1);
      await bookVideoSlot(d.page, r);
      d.reasons.push(r);
      await ctx.screenshot(d, 'booked-offline');
      ctx.step(`${d.name}: back on 2G; the booking goes out over it`);
      await d.net.set('2g');
      await waitSent(ctx, d, `${d.name}'s booking to go out over 2G`);
      devices.push(d);
    }
    return devices;
  },
};

const lostStorm: Scenario = {
  name: 'lost-response-storm',
  summary:
    'A lost-response storm: every answer lost after the server applied it, drain after drain (in-app faults)',
  async run(ctx) {
    // In QA mode from the start, nothing injected: the banner shows in the screenshots.
    const d = await ctx.device('phone1', 'online', { qaFaults: NO_FAULTS });
    ctx.step(`${d.name}: signs in and saves a profile on a good link`);
    await welcomeAndSignIn(d.page);
    await saveProfile(d.page, d.patientNames[0] ?? d.name);
    await waitSent(ctx, d, 'the profile to sync');
    ctx.step(`${d.name}: the storm starts (every answer lost after the server applied it)`);
    const storm = JSON.stringify({ ...NO_FAULTS, lostRate: 1 });
    await setQaFaults(d.page, storm);
    const r = reason(ctx, d, 1);
    await bookVideoSlot(d.page, r);
    d.reasons.push(r);
    // Ride the storm for several resends of the same writes, each applied or answered lost.
    const storms = ctx.short ? 2 : 5;
    await ctx.until(`${storms} lost answers`, async () => {
      const pushes = (await readSyncLog(d.page)).flatMap((x) => x.failures).filter((f) => f.call === 'push');
      return pushes.length >= storms;
    });
    await ctx.screenshot(d, 'storm');
    ctx.step(`${d.name}: the storm ends`);
    return [d];
  },
};

export const SCENARIOS: readonly Scenario[] = [villageDay, kioskMorning, lostStorm];
