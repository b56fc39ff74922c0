/**
 * A row, or a map of fields, as the wire and IndexedDB hold it: a plain object, passed through as
 * it is. Not `z.record(z.string(), z.unknown())`: that builds a new object key by key, with a
 * result object per key and per value, and a drain parses a row for every answer, every row of
 * every page and every outbox entry it reads (its `data` and `before`). At 10,000 writes those
 * copies were the most garbage a drain made in Chromium (`DRAIN_10K_PROFILE=heap npm run bench --
 * drain-10k`), and what V8 lets build before collecting is what the page's peak RSS holds.
 */
import { z } from 'zod/mini';

/** An object of `{}`, JSON or a structured clone: not an array, a Date, a class instance. */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  // Object.prototype of any realm owns `isPrototypeOf` (zod's own test); an array's prototype does not.
  if (proto !== null && !Object.hasOwn(proto as object, 'isPrototypeOf')) return false;
  // A "__proto__" key (which z.record dropped) is no column or field: refused, never assigned over.
  return !Object.hasOwn(value, '__proto__');
}

export const plainRecord = z.custom<Record<string, unknown>>(isPlainRecord, { error: 'expected an object' });
