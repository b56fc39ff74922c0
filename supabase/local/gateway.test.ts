/**
 * The gateway alone, in front of a stand-in upstream (no Postgres): body limits and where it may
 * listen. Routing, CORS and faults against the real stack are in supabase/tests/local-stack.test.ts.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuth } from './auth-server.ts';
import { STACK_ERROR_KINDS, StackError } from './errors.ts';
import { FaultController } from './faults.ts';
import { type RunningGateway, startGateway } from './gateway.ts';
import { MAX_REQUEST_BYTES, readBody, sendJson } from './http-util.ts';
import { assertLoopback, freePort } from './ports.ts';
import { startStack } from './stack.ts';

interface Answer {
  status: number;
  body: string;
  reusedSocket: boolean;
}

function request(agent: http.Agent, url: string, method: string, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent }, (res) => {
      readBody(res).then(
        (b) =>
          resolve({ status: res.statusCode ?? 0, body: b.toString('utf8'), reusedSocket: req.reusedSocket }),
        reject,
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('gateway: request bodies over the limit', () => {
  let upstream: http.Server;
  let gateway: RunningGateway;

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      readBody(req).then((b) => sendJson(res, 200, { bytes: b.length }));
    });
    const upstreamPort = await freePort();
    await new Promise<void>((resolve) => upstream.listen(upstreamPort, '127.0.0.1', resolve));
    const upstreamUrl = `http://127.0.0.1:${upstreamPort}`;
    gateway = await startGateway({
      port: await freePort(),
      restUrl: upstreamUrl,
      authUrl: upstreamUrl,
      faults: new FaultController(),
      lastCode: () => undefined,
    });
  });

  afterAll(async () => {
    await gateway.stop();
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
  });

  it('answers 413 with a clear message, and the same connection serves the next request', async () => {
    // One socket, kept alive: the second request must travel on the connection the first one used.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const tooBig = await request(
        agent,
        `${gateway.url}/rest/v1/rpc/sync_push`,
        'POST',
        Buffer.alloc(6_000_000),
      );
      expect(tooBig.status).toBe(413);
      expect(JSON.parse(tooBig.body)).toMatchObject({
        code: 'PT413',
        message: `request body of 6000000 bytes is over the limit of ${MAX_REQUEST_BYTES} bytes`,
      });
      const next = await request(agent, `${gateway.url}/rest/v1/patients`, 'POST', Buffer.from('{}'));
      expect(next).toEqual({ status: 200, body: '{"bytes":2}', reusedSocket: true });
    } finally {
      agent.destroy();
    }
  });

  it('forwards a body just under the limit whole', async () => {
    const agent = new http.Agent({ keepAlive: false });
    const answer = await request(agent, `${gateway.url}/rest/v1/x`, 'POST', Buffer.alloc(MAX_REQUEST_BYTES));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ bytes: MAX_REQUEST_BYTES });
  });

  it('answers 413 on the QA endpoints too, instead of failing the request', async () => {
    const agent = new http.Agent({ keepAlive: false });
    const answer = await request(agent, `${gateway.url}/__qa/faults`, 'PUT', Buffer.alloc(6_000_000, 32));
    expect(answer.status).toBe(413);
  });
});

describe('bodies that are not JSON', () => {
  it('the gateway answers 400 on its QA endpoints, not 502 "upstream failed"', async () => {
    const gateway = await startGateway({
      port: await freePort(),
      restUrl: 'http://127.0.0.1:1',
      authUrl: 'http://127.0.0.1:1',
      faults: new FaultController(),
      lastCode: () => undefined,
    });
    try {
      const answer = await request(
        new http.Agent(),
        `${gateway.url}/__qa/faults`,
        'PUT',
        Buffer.from('{"latencyMs":'),
      );
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body).message).toMatch(/^request body is not JSON/);
    } finally {
      await gateway.stop();
    }
  });

  it('the auth stand-in answers 400 bad_json, as GoTrue does, not 500', async () => {
    // The body is read before any query, so no database is needed to see the answer.
    const auth = await startAuth({
      dbUrl: 'postgresql://postgres:postgres@127.0.0.1:1/postgres',
      port: await freePort(),
      jwtSecret: 'x'.repeat(32),
      issuer: 'http://127.0.0.1:1/auth/v1',
      onOneTimeCode: () => {},
    });
    try {
      const answer = await request(new http.Agent(), `${auth.url}/signup`, 'POST', Buffer.from('not json'));
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 400, error_code: 'bad_json' });
    } finally {
      await auth.stop();
    }
  });
});

describe('QA endpoints and web pages', () => {
  let gateway: RunningGateway;
  const faults = new FaultController();

  beforeAll(async () => {
    gateway = await startGateway({
      port: await freePort(),
      restUrl: 'http://127.0.0.1:1',
      authUrl: 'http://127.0.0.1:1',
      faults,
      lastCode: () => '123456',
    });
  });

  afterAll(async () => {
    await gateway.stop();
  });

  function call(method: string, path: string, headers: Record<string, string>, body?: string) {
    return fetch(`${gateway.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  }

  it('refuses pages from other sites: no code read, no fault switched, no preflight passed', async () => {
    const evil = { origin: 'https://evil.example' };
    expect((await call('GET', '/__qa/otp?to=919800000001', evil)).status).toBe(403);
    // A text/plain POST is a "simple" request: the browser sends it without asking first.
    const post = await call(
      'POST',
      '/__qa/faults',
      { ...evil, 'content-type': 'text/plain' },
      '{"offline":true}',
    );
    expect(post.status).toBe(403);
    expect(faults.get().offline).toBe(false);
    const preflight = await call('OPTIONS', '/__qa/faults', {
      ...evil,
      'access-control-request-method': 'PUT',
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers the app served from this machine, and callers with no Origin', async () => {
    for (const origin of ['http://127.0.0.1:5173', 'http://localhost:4173', 'http://[::1]:5173']) {
      const answer = await call('GET', '/__qa/otp?to=919800000001', { origin });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    }
    expect((await call('GET', '/__qa/faults', {})).status).toBe(200);
  });
});

describe('loopback only', () => {
  it('accepts the loopback addresses and refuses every other with a clear error', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) {
      expect(() => assertLoopback(host, 'x')).not.toThrow();
    }
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'example.test', '']) {
      expect(() => assertLoopback(host, 'The gateway')).toThrow(
        expect.objectContaining({ kind: STACK_ERROR_KINDS.notLoopback }),
      );
    }
    expect(() => assertLoopback('0.0.0.0', 'The gateway')).toThrow(
      'The gateway listens on loopback only (127.0.0.1, ::1 or localhost), not 0.0.0.0',
    );
  });

  it('the gateway refuses to start on another address', async () => {
    const start = startGateway({
      port: await freePort(),
      host: '0.0.0.0',
      restUrl: 'http://127.0.0.1:1',
      authUrl: 'http://127.0.0.1:1',
      faults: new FaultController(),
      lastCode: () => undefined,
    });
    await expect(start).rejects.toBeInstanceOf(StackError);
  });

  it('the auth stand-in refuses to start on another address', async () => {
    const start = startAuth({
      dbUrl: 'postgresql://postgres:postgres@127.0.0.1:1/postgres',
      port: await freePort(),
      host: '0.0.0.0',
      jwtSecret: 'x'.repeat(32),
      issuer: 'http://127.0.0.1:1/auth/v1',
      onOneTimeCode: () => {},
    });
    await expect(start).rejects.toThrow(/auth stand-in listens on loopback only/);
  });

  it('the whole stack refuses before it touches any data', async () => {
    const dataDir = path.join(os.tmpdir(), `consult-never-created-${process.pid}`);
    await expect(startStack({ dataDir, host: '0.0.0.0' })).rejects.toMatchObject({
      kind: STACK_ERROR_KINDS.notLoopback,
    });
    expect(fs.existsSync(dataDir)).toBe(false);
  });
});
