import { describe, expect, it } from 'vitest';
import { CAPTIVE_PORTAL_PAGE, type FaultDeps, faultFetch } from './qa-fault-fetch.ts';
import { type InAppFaults, NO_FAULTS, PRESETS, parseStoredFaults, presetOf } from './qa-fault-settings.ts';

/** A server that counts what reached it and answers JSON. */
function server() {
  const seen: string[] = [];
  const fetch = (async (input: RequestInfo | URL) => {
    seen.push(String(input));
    return new Response(JSON.stringify({ ok: true, padding: 'x'.repeat(40) }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof globalThis.fetch;
  return { seen, fetch };
}

/** Random draws in order, and the sleeps asked for (no real time passes). */
function deps(draws: number[] = []): FaultDeps & { slept: number[] } {
  const slept: number[] = [];
  return {
    slept,
    random: () => draws.shift() ?? 0.5,
    sleep: async (ms) => {
      slept.push(ms);
    },
  };
}

function under(faults: Partial<InAppFaults>, d: FaultDeps) {
  const s = server();
  const json = JSON.stringify({ ...NO_FAULTS, ...faults });
  return { ...s, call: () => faultFetch(s.fetch, () => json, d)('http://api/rest/v1/rpc/sync_push') };
}

describe('the in-app fault layer', () => {
  it('passes requests through untouched when QA mode is off', async () => {
    const s = server();
    const res = await faultFetch(s.fetch, () => null, deps())('http://api/x');
    expect(res.status).toBe(200);
    expect(s.seen).toEqual(['http://api/x']);
  });

  it('offline: fails as a network error and nothing reaches the server', async () => {
    const f = under({ offline: true }, deps());
    await expect(f.call()).rejects.toThrow(TypeError);
    expect(f.seen).toEqual([]);
  });

  it('adds latency with jitter either side', async () => {
    const low = deps([0]);
    await under({ latencyMs: 800, jitterMs: 200 }, low).call();
    const high = deps([1]);
    await under({ latencyMs: 800, jitterMs: 200 }, high).call();
    expect([low.slept[0], high.slept[0]]).toEqual([600, 1000]);
  });

  it('fails at the chosen rate with the chosen status and Retry-After, without reaching the server', async () => {
    const hit = under({ failRate: 0.3, failStatus: 429, retryAfterSeconds: 7 }, deps([0.1]));
    const res = await hit.call();
    expect([res.status, res.headers.get('retry-after')]).toEqual([429, '7']);
    expect(hit.seen).toEqual([]);
    const miss = under({ failRate: 0.3 }, deps([0.5]));
    expect((await miss.call()).status).toBe(200);
    expect(miss.seen).toHaveLength(1);
  });

  it('a lost answer reached the server, and the app sees a timeout (408)', async () => {
    const f = under({ lostRate: 0.5 }, deps([0.2]));
    const res = await f.call();
    expect(res.status).toBe(408);
    expect(f.seen).toHaveLength(1);
  });

  it('a captive portal answers 200 with HTML and nothing reaches the server', async () => {
    const f = under({ captivePortal: true }, deps());
    const res = await f.call();
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'text/html']);
    expect(await res.text()).toBe(CAPTIVE_PORTAL_PAGE);
    expect(f.seen).toEqual([]);
  });

  it('a slow body arrives whole, a tenth of the rate every 100 ms', async () => {
    const d = deps();
    const f = under({ bytesPerSecond: 100 }, d);
    const body = await (await f.call()).json();
    expect(body).toMatchObject({ ok: true });
    const length = JSON.stringify({ ok: true, padding: 'x'.repeat(40) }).length;
    expect(d.slept).toHaveLength(Math.ceil(length / 10));
    expect(d.slept.every((ms) => ms === 100)).toBe(true);
  });

  it("a slow body's read ends with the caller's abort (the transport's timeout), as a real one does", async () => {
    const s = server();
    const controller = new AbortController();
    const json = JSON.stringify({ ...NO_FAULTS, bytesPerSecond: 1 });
    const res = await faultFetch(s.fetch, () => json)('http://api/x', { signal: controller.signal });
    const read = res.text();
    controller.abort();
    await expect(read).rejects.toThrow();
  });

  it("a latency wait ends with the caller's abort", async () => {
    const s = server();
    const controller = new AbortController();
    const json = JSON.stringify({ ...NO_FAULTS, latencyMs: 60_000 });
    const call = faultFetch(s.fetch, () => json)('http://api/x', { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toThrow();
    expect(s.seen).toEqual([]);
  });
});

describe('fault settings', () => {
  it('names the preset the settings equal, and none once changed', () => {
    expect(presetOf(PRESETS['2g-village'])).toBe('2g-village');
    expect(presetOf({ ...PRESETS['2g-village'], latencyMs: 1 })).toBeNull();
  });

  it('reads unreadable stored settings as on with nothing injected', () => {
    expect(parseStoredFaults('{nope')).toEqual(NO_FAULTS);
    expect(parseStoredFaults(null)).toBeNull();
  });
});
