import net from 'node:net';
import { STACK_ERROR_KINDS, StackError } from './errors.ts';

/** Resolves when nothing listens on 127.0.0.1:port; otherwise throws a StackError naming the port. */
export async function assertPortFree(port: number, what: string): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
  if (!free) {
    throw new StackError(
      STACK_ERROR_KINDS.portInUse,
      `port ${port} (${what}) is already in use: stop whatever listens there (\`lsof -i :${port}\`) or set another port`,
    );
  }
}

/** The default, and the only kind of address the auth stand-in and the gateway listen on. */
export const LOOPBACK = '127.0.0.1';

export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return net.isIPv4(host) && host.startsWith('127.');
}

/**
 * Throws unless `host` is a loopback address. The auth stand-in signs anyone in with codes the gateway
 * hands out at `/__qa/otp`, and `/__qa/faults` switches the network off: reachable from another
 * machine, either would give that machine every account on this one.
 */
export function assertLoopback(host: string, what: string): void {
  if (isLoopback(host)) return;
  throw new StackError(
    STACK_ERROR_KINDS.notLoopback,
    `${what} listens on loopback only (127.0.0.1, ::1 or localhost), not ${host}: its one-time codes and QA switches are open to anyone who can reach it`,
  );
}

/** A port the OS says is free right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Polls `check` until it resolves true, or throws after `timeoutMs`. A StackError thrown by `check`
 * ends the wait at once (the process died); any other error counts as "not ready yet".
 */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = await check().catch((error: unknown) => {
      if (error instanceof StackError) throw error;
      return false;
    });
    if (ready) return;
    if (Date.now() > deadline) {
      throw new StackError(
        STACK_ERROR_KINDS.startFailed,
        `${what} did not become ready within ${timeoutMs} ms`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
