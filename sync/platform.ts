/**
 * The few globals sync/ uses that every runtime it runs in has (a page, a worker, Node) but the ES
 * lib does not declare. Typed here structurally, so sync/ compiles without the DOM lib; the browser
 * objects proper (window, document, navigator) never come in this way, only through ports.
 */
export type TimerId = unknown;

export interface AbortControllerLike {
  readonly signal: { readonly aborted: boolean };
  abort(): void;
}

interface PlatformGlobals {
  crypto: { randomUUID(): string };
  TextEncoder: new () => { encode(input: string): Uint8Array };
  AbortController: new () => AbortControllerLike;
  setTimeout(fn: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
}

const platform = globalThis as unknown as PlatformGlobals;

export function randomUUID(): string {
  return platform.crypto.randomUUID();
}

/** Bytes of `text` as UTF-8: what a server counts a request's size in. */
export function utf8Length(text: string): number {
  return new platform.TextEncoder().encode(text).length;
}

export function newAbortController(): AbortControllerLike {
  return new platform.AbortController();
}

export function platformSetTimeout(fn: () => void, ms: number): TimerId {
  return platform.setTimeout(fn, ms);
}

export function platformClearTimeout(id: TimerId): void {
  platform.clearTimeout(id);
}
