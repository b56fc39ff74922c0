/**
 * The rules of free text a person typed (a name, an address, a reason), one owner for the entity
 * schemas (entities.ts) and what reads their messages (src/lib/validation-messages.ts); the
 * server's readers hold the same rules (read_text, private.hidden_text).
 */
import { z } from 'zod/mini';

/**
 * Text Postgres and PostgREST can store: no U+0000 (Postgres text cannot hold it: 22P05) and no
 * lone UTF-16 surrogate (not valid Unicode: PostgREST refuses the whole request body, PGRST102).
 * Either one, queued, would make the server refuse every batch it travels in.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export function isStorableText(s: string): boolean {
  return !s.includes('\u0000') && !LONE_SURROGATE.test(s);
}
export const UNSTORABLE_TEXT = 'contains a character that cannot be stored';

/**
 * No hidden character (the server's private.hidden_text, one class): controls but tab and line
 * breaks, zero-width space and word joiners, the byte-order mark, and the marks and overrides that
 * change the direction text is shown in. "Ra\u202Ehsem" shows as "Ramesh". Also the characters shown
 * as nothing (soft hyphen, tag characters, Hangul fillers: letters to Unicode, blanks on screen),
 * which made two registrations look alike or a name look empty (20261206500000). ZWJ and ZWNJ stay:
 * Devanagari shapes conjuncts with them.
 */
const HIDDEN_CHARACTER =
  // biome-ignore lint/suspicious/noControlCharactersInRegex lint/suspicious/noMisleadingCharacterClass: finding control and lone combining characters (U+034F) is its job.
  /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0\uFFF9-\uFFFB\u{E0000}-\u{E007F}]/u;
const hasNoHiddenCharacter = (s: string) => !HIDDEN_CHARACTER.test(s);
const HIDDEN_CHARACTERS = new RegExp(HIDDEN_CHARACTER.source, 'gu');

/**
 * Text shown as stored, without its hidden characters. For text this device did not check: rows the
 * server kept from before its rules (their table checks are NOT VALID), read back for staff, where
 * "Ra\u202Ehsem" would still show as "Ramesh".
 */
export function withoutHiddenCharacters(s: string): string {
  return s.replace(HIDDEN_CHARACTERS, '');
}
export const HIDDEN_TEXT = 'contains a hidden formatting character';

/** A name or reason must say something: not only blanks (NBSP, U+3000, zero-width space …). */
// Empty text is the 'required' rule's to report, once.
const hasVisibleCharacter = (s: string) => s === '' || /[\p{L}\p{N}]/u.test(s);
export const NO_VISIBLE_TEXT = 'must contain letters or digits';

/** Free text a person typed: trimmed, storable, within its limit (counted as the server counts). */
const text = (max: number) =>
  z
    .string()
    .check(
      z.trim(),
      z.maxLength(max),
      z.refine(isStorableText, UNSTORABLE_TEXT),
      z.refine(hasNoHiddenCharacter, HIDDEN_TEXT),
    );
/** Required free text: also refuses text made only of blanks. */
export const requiredText = (max: number) =>
  z.string().check(
    z.trim(),
    z.minLength(1, 'required'),
    z.maxLength(max),
    z.refine(isStorableText, UNSTORABLE_TEXT),
    // Before the hidden characters: a name of zero-width spaces is told to write letters.
    z.refine(hasVisibleCharacter, NO_VISIBLE_TEXT),
    z.refine(hasNoHiddenCharacter, HIDDEN_TEXT),
  );

/** Optional free text: absent, null, or text by the same rules. */
export const optionalText = (max: number) => z.optional(z.nullable(text(max)));
