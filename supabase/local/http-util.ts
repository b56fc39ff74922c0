import type http from 'node:http';

/** What a client may send (Supabase's gateway caps requests too); responses from upstream are not capped. */
export const MAX_REQUEST_BYTES = 5_000_000;

/**
 * How much of an over-limit body is still read (and discarded) so that the 413 reaches the client.
 * Past this, the connection is cut instead: draining without end would let one client hold the
 * server busy.
 */
const MAX_DRAIN_BYTES = 64_000_000;

/** A request body over the limit: answered 413, after the rest of the body was read and discarded. */
export class BodyTooLargeError extends Error {
  constructor(
    readonly limit: number,
    readonly size: number,
  ) {
    super(`request body of ${size} bytes is over the limit of ${limit} bytes`);
  }
}

export async function readBody(
  req: http.IncomingMessage,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    // Over the limit, keep reading but stop keeping. Answering while the client is still sending
    // leaves unread bytes in the socket: closing it then resets the connection, and the client loses
    // the answer and the next request it sends on the same keep-alive connection.
    if (size <= maxBytes) chunks.push(buffer);
    else if (size > Math.max(maxBytes, MAX_DRAIN_BYTES)) {
      req.socket.destroy();
      throw new BodyTooLargeError(maxBytes, size);
    }
  }
  if (size > maxBytes) throw new BodyTooLargeError(maxBytes, size);
  return Buffer.concat(chunks);
}

/** A body that does not parse: the caller's mistake, answered 400 (not a server failure). */
export class BadJsonError extends Error {}

export async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(req, MAX_REQUEST_BYTES)).toString('utf8');
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BadJsonError(
      `request body is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  if (status === 204 || body === null) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}
