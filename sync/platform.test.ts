import { describe, expect, it } from 'vitest';
import { utf8Length } from './platform.ts';

describe('utf8Length', () => {
  // What TextEncoder writes is what a server counts: the count must agree with it byte for byte.
  it.each([
    ['empty', ''],
    ['ASCII', '{"full_name":"Walk-in patient 1"}'],
    ['two-byte letters', 'José Müller'],
    ['three-byte script', 'रामपुर वार्ड ४'],
    ['a pair past U+FFFF', 'ok 👍🏽 done'],
    ['a lone high surrogate', 'a\uD83Db'],
    ['a lone high surrogate at the end', 'end\uD83D'],
    ['a lone low surrogate', 'a\uDC4Db'],
    ['two high surrogates, then a low', '\uD83D\uD83D\uDC4D'],
  ])('%s', (_name, text) => {
    expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
  });
});
