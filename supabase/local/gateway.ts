/**
 * The gateway on Supabase's API port: routes /rest/v1 to PostgREST and /auth/v1 to the auth stand-in
 * (as Supabase's Kong does), answers CORS for the app, and applies QA faults. Its own endpoints,
 * under /__qa/:
 *   GET/PUT/DELETE /__qa/faults   read, merge or reset the fault settings (see faults.ts)
 *   GET/DELETE /__qa/stats        requests seen per path since start or the last reset
 *   GET /__qa/otp?to=<phone|email> the last one-time code sent there (there is no SMS here)
 * Those endpoints have no authentication, so the gateway listens on loopback only, and they answer
 * no page served from elsewhere: a browser on this machine would otherwise let any website read
 * the codes or switch the faults (a text/plain POST needs no CORS preflight).
 */
import http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod/mini';
import type { FaultController } from './faults.ts';
import {
  BadJsonError,
  BodyTooLargeError,
  MAX_REQUEST_BYTES,
  readBody,
  readJson,
  sendJson,
} from './http-util.ts';
import { assertLoopback, isLoopback, LOOPBACK } from './ports.ts';

export interface GatewayOptions {
  port: number;
  /** A loopback address (the default, 127.0.0.1); anything else is refused at start. */
  host?: string;
  restUrl: string;
  authUrl: string;
  faults: FaultController;
  lastCode: (to: string) => string | undefined;
  log?: (line: string) => void;
}

export interface RunningGateway {
  url: string;
  stop(): Promise<void>;
}

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'access-control-allow-headers':
    'authorization, x-client-info, apikey, content-type, prefer, accept, accept-profile, content-profile, range, x-supabase-api-version, x-upsert',
  'access-control-expose-headers': 'content-range, content-location, retry-after, x-supabase-api-version',
  'access-control-max-age': '86400',
};

/** No Origin (curl, Node, tests) or a page served from this machine, such as the app's QA screen. */
function isLocalCaller(origin: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    return isLoopback(new URL(origin).hostname.replace(/^\[(.*)\]$/, '$1'));
  } catch {
    return false;
  }
}

const ROUTES: Array<{ prefix: string; upstream: (o: GatewayOptions) => string }> = [
  { prefix: '/rest/v1', upstream: (o) => o.restUrl },
  { prefix: '/auth/v1', upstream: (o) => o.authUrl },
];

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const host = options.host ?? LOOPBACK;
  assertLoopback(host, 'The gateway (with its /__qa/ endpoints)');
  const stats = new Map<string, number>();

  async function admin(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const key = `${req.method} ${url.pathname}`;
    switch (key) {
      case 'GET /__qa/faults':
        return sendJson(res, 200, options.faults.get(), CORS_HEADERS);
      case 'PUT /__qa/faults':
      case 'POST /__qa/faults':
        return sendJson(res, 200, options.faults.update(await readJson(req)), CORS_HEADERS);
      case 'DELETE /__qa/faults':
        return sendJson(res, 200, options.faults.reset(), CORS_HEADERS);
      case 'GET /__qa/stats':
        return sendJson(res, 200, { requests: Object.fromEntries(stats) }, CORS_HEADERS);
      case 'DELETE /__qa/stats':
        stats.clear();
        return sendJson(res, 200, { requests: {} }, CORS_HEADERS);
      case 'GET /__qa/otp': {
        const code = options.lastCode(url.searchParams.get('to') ?? '');
        return code
          ? sendJson(res, 200, { code }, CORS_HEADERS)
          : sendJson(res, 404, { message: 'no code was sent there' }, CORS_HEADERS);
      }
      default:
        return sendJson(res, 404, { message: `${key} is not a QA endpoint` }, CORS_HEADERS);
    }
  }

  async function proxy(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const route = ROUTES.find((r) => url.pathname === r.prefix || url.pathname.startsWith(`${r.prefix}/`));
    if (!route) return sendJson(res, 404, { message: `no route for ${url.pathname}` }, CORS_HEADERS);
    stats.set(url.pathname, (stats.get(url.pathname) ?? 0) + 1);

    const decision = options.faults.decide(url.pathname);
    if (decision.kind === 'offline') {
      req.socket.destroy();
      return;
    }
    const body = await readBody(req, MAX_REQUEST_BYTES);
    if (decision.latencyMs > 0) await delay(decision.latencyMs);
    if (decision.kind === 'fail') {
      const headers: Record<string, string> = { ...CORS_HEADERS };
      if (decision.retryAfterSeconds !== null) headers['retry-after'] = String(decision.retryAfterSeconds);
      return sendJson(
        res,
        decision.status,
        {
          code: 'QA_FAULT',
          message: `injected by the QA gateway (${decision.status})`,
          details: null,
          hint: null,
        },
        headers,
      );
    }

    const target = new URL(route.upstream(options) + url.pathname.slice(route.prefix.length) + url.search);
    const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
    delete headers['transfer-encoding'];
    const upstream = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>(
      (resolve, reject) => {
        const forward = http.request(target, { method: req.method, headers }, (up) => {
          readBody(up)
            .then((b) => resolve({ status: up.statusCode ?? 502, headers: up.headers, body: b }))
            .catch(reject);
        });
        forward.on('error', reject);
        forward.end(body);
      },
    );
    if (decision.kind === 'drop') {
      // The server has committed; the device never hears about it.
      req.socket.destroy();
      return;
    }
    const outHeaders: http.OutgoingHttpHeaders = { ...upstream.headers, ...CORS_HEADERS };
    delete outHeaders['transfer-encoding'];
    delete outHeaders.connection;
    outHeaders['content-length'] = String(upstream.body.length);
    res.writeHead(upstream.status, outHeaders).end(upstream.body);
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://gateway.local');
    const qa = url.pathname.startsWith('/__qa/');
    if (qa && !isLocalCaller(req.headers.origin)) {
      sendJson(res, 403, { message: '/__qa/ answers only pages served from this machine' });
      return;
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS).end();
      return;
    }
    const handler = qa ? admin : proxy;
    handler(req, res, url).catch((error: unknown) => {
      if (error instanceof z.core.$ZodError) {
        sendJson(res, 400, { message: 'bad fault settings', issues: error.issues }, CORS_HEADERS);
        return;
      }
      if (error instanceof BadJsonError) {
        sendJson(res, 400, { message: error.message }, CORS_HEADERS);
        return;
      }
      if (error instanceof BodyTooLargeError) {
        // PostgREST's error shape, with the code sync_push gives a batch over its own limit.
        const body = { code: 'PT413', message: error.message, details: null, hint: null };
        sendJson(res, 413, body, CORS_HEADERS);
        return;
      }
      options.log?.(`[gateway] ${req.method} ${url.pathname} failed: ${String(error)}`);
      sendJson(res, 502, { message: `upstream failed: ${String(error)}` }, CORS_HEADERS);
    });
  });
  // Longer than any client's idle keep-alive (undici: 4 s), so the gateway never closes a socket a
  // client is just reusing (which the client sees as ECONNRESET).
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${options.port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
