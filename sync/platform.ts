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
  AbortController: new () => AbortControllerLike;
  setTimeout(fn: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
}

const platform = globalThis as unknown as PlatformGlobals;

export function randomUUID(): string {
  return platform.crypto.randomUUID();
}

/**
 * Bytes of `text` as UTF-8 (a lone surrogate as U+FFFD, as TextEncoder writes it): what a server
 * counts a request's size in. Counted, not encoded: the planner sizes every mutation of a batch,
 * and an encoder's array each time is memory outside the JS heap, freed only by a later collection.
 */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair: one code point past U+FFFF, four bytes.
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
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
