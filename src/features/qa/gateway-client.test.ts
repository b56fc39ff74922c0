import { describe, expect, it } from 'vitest';
import { gatewayClient, qaBaseUrl } from './gateway-client.ts';

const FAULTS = {
  latencyMs: 0,
  failRate: 0,
  failStatus: 503,
  retryAfterSeconds: null,
  dropRate: 0,
  offline: false,
  failNext: 0,
  dropNext: 0,
  match: '/rest/v1/',
};

function answering(status: number, body: string, seen: { url?: string; init?: RequestInit } = {}) {
  return async (url: string, init?: RequestInit) => {
    seen.url = url;
    seen.init = init;
    return new Response(body, { status, headers: { 'content-type': 'application/json' } });
  };
}

describe('qaBaseUrl', () => {
  it('uses the origin of the Supabase URL, or the local stack when none is set', () => {
    expect(qaBaseUrl('http://127.0.0.1:61234/')).toBe('http://127.0.0.1:61234/__qa');
    expect(qaBaseUrl('https://abc.supabase.co/some/path')).toBe('https://abc.supabase.co/__qa');
    expect(qaBaseUrl(undefined)).toBe('http://127.0.0.1:54321/__qa');
    expect(qaBaseUrl('')).toBe('http://127.0.0.1:54321/__qa');
    expect(qaBaseUrl('not a url')).toBeNull();
  });
});

describe('gatewayClient', () => {
  it('reads the settings and sends a patch as JSON with PUT', async () => {
    const seen: { url?: string; init?: RequestInit } = {};
    const client = gatewayClient('http://gw/__qa', answering(200, JSON.stringify(FAULTS), seen));
    await expect(client.getFaults()).resolves.toEqual({ kind: 'ok', value: FAULTS });
    await client.putFaults({ latencyMs: 5 });
    expect(seen.url).toBe('http://gw/__qa/faults');
    expect(seen.init?.method).toBe('PUT');
    expect(seen.init?.body).toBe('{"latencyMs":5}');
  });

  it('treats a 400 as a refusal carrying the body', async () => {
    const body = { message: 'bad fault settings', issues: [{ path: ['latencyMs'], message: 'too big' }] };
    const client = gatewayClient('http://gw/__qa', answering(400, JSON.stringify(body)));
    await expect(client.putFaults({ latencyMs: 1e9 })).resolves.toEqual({ kind: 'refused', body });
  });

  it('reads anything but the local gateway as unreachable: another server, HTML, a network error', async () => {
    const hosted = gatewayClient('http://gw/__qa', answering(404, '{"message":"no Route matched"}'));
    expect((await hosted.getFaults()).kind).toBe('unreachable');
    const wrongShape = gatewayClient('http://gw/__qa', answering(200, '{"hello":"world"}'));
    expect((await wrongShape.getFaults()).kind).toBe('unreachable');
    const html = gatewayClient('http://gw/__qa', answering(200, '<!doctype html>'));
    expect((await html.getFaults()).kind).toBe('unreachable');
    const down = gatewayClient('http://gw/__qa', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(down.getFaults()).resolves.toEqual({ kind: 'unreachable', detail: 'Failed to fetch' });
  });

  it('returns the per-path request counts', async () => {
    const client = gatewayClient(
      'http://gw/__qa',
      answering(200, JSON.stringify({ requests: { '/rest/v1/rpc/sync_push': 2 } })),
    );
    await expect(client.getStats()).resolves.toEqual({
      kind: 'ok',
      value: { '/rest/v1/rpc/sync_push': 2 },
    });
  });
});
