/**
 * A kiosk's morning, compressed: reception sets a tablet up as a kiosk with a staff account, then
 * walk-ins register and book on it one after another while the clinic's link (DevTools' "Fast 3G")
 * drops every few minutes. The runner then checks every walk-in's profile and booking arrived
 * exactly once: from the tablet's outbox and sync log, and on the local stack from the database.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { readDevice } from './app-steps.ts';
import { bookFirstTime, finishSession, kioskHome, registerWalkIn, setUpKiosk } from './kiosk-steps.ts';
import type { Scenario } from './run.ts';

/** Only for this run's tablet: it never leaves the machine that runs the scenario. */
const PIN = '271828';

/**
 * How many of the clinic's slots the tablet holds: the walk-ins book from them. Source text, not a
 * function, for the reason app-steps.ts gives.
 */
function slotsOnTablet(page: Page): Promise<number> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open('consult');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('slots')) { db.close(); return resolve(0); }
      const count = db.transaction('slots').objectStore('slots').count();
      count.onsuccess = () => { db.close(); resolve(count.result); };
      count.onerror = () => { db.close(); reject(count.error); };
    };
  })`) as Promise<number>;
}

export const kioskMorning: Scenario = {
  name: 'kiosk-morning',
  summary:
    'A kiosk morning: walk-ins register and book at a kiosk tablet while its link drops every few minutes',
  async run(ctx) {
    // Every few minutes, compressed: the link is up for upMs, then gone for downMs, over and over,
    // and a walk-in arrives every arriveMs whatever the link does.
    const [upMs, downMs, arriveMs, walkIns] = ctx.short
      ? [7_000, 5_000, 4_000, 4]
      : [40_000, 15_000, 12_000, 10];
    const tablet = await ctx.device('kiosk', 'fast-3g', { kiosk: true });
    ctx.step(`${tablet.name}: reception sets the tablet up as a kiosk (${ctx.staff.email})`);
    await setUpKiosk(tablet.page, ctx.staff, PIN);
    await ctx.until(
      'the clinic’s slots to reach the tablet',
      async () => (await slotsOnTablet(tablet.page)) > 0,
    );
    await ctx.screenshot(tablet, 'set-up');

    // Ends the flapping at once when the morning is over, not after the wait under way.
    const morning = new AbortController();
    const wait = (ms: number) => delay(ms, undefined, { signal: morning.signal });
    // Changed by the flapping loop while the walk-ins go on.
    let link = 'up' as 'up' | 'down';
    const flap = (async () => {
      for (;;) {
        await wait(upMs);
        ctx.step('the link drops');
        link = 'down';
        await tablet.net.set('offline').catch(() => undefined);
        await wait(downMs);
        ctx.step('the link is back (Fast 3G)');
        link = 'up';
        await tablet.net.set('fast-3g').catch(() => undefined);
      }
    })().catch(() => undefined);
    let offline = 0;
    try {
      for (let i = 1; i <= walkIns; i++) {
        const arrived = Date.now();
        const name = `QA kiosk walk-in ${i} ${ctx.runId}`;
        const reason = `QA kiosk booking ${i} ${ctx.runId}`;
        ctx.step(`walk-in ${i} registers and books (link ${link})`);
        if (link === 'down') offline++;
        await registerWalkIn(tablet.page, name, `19${60 + i}-0${(i % 9) + 1}-1${i % 10}`);
        tablet.patientNames.push(name);
        await bookFirstTime(tablet.page, reason);
        tablet.reasons.push(reason);
        if (i === 1 || link === 'down') await ctx.screenshot(tablet, `walk-in-${i}-booked`);
        await finishSession(tablet.page);
        await delay(Math.max(0, arrived + arriveMs - Date.now()));
      }
      ctx.step(`${offline} of ${walkIns} walk-ins came while the link was down`);
      // The morning goes on until what the walk-ins wrote left the tablet, through the drops.
      await ctx.until(
        'the walk-ins’ writes to leave the tablet',
        async () => (await readDevice(tablet.page)).outbox === 0,
      );
    } finally {
      morning.abort();
      await flap;
    }
    await kioskHome(tablet.page);
    return [tablet];
  },
};
