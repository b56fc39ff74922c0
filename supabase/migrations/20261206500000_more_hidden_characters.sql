-- The hidden characters of 20261205300000 missed some that do the same harm on the kiosk's
-- "Is this you?", the clinic's Today and the queue:
--  - U+061C (Arabic letter mark): a direction mark, like U+200E/F;
--  - U+206A-F: deprecated format characters (shaping and digit-shape switches), shown as nothing;
--  - U+00AD (soft hyphen), U+034F (combining grapheme joiner), U+180E (Mongolian vowel separator),
--    U+17B4/5 (Khmer inherent vowels), U+FFF9-B (interlinear annotation) and the tag characters
--    U+E0000-E007F: invisible, so "Ram<U+00AD>esh" and "Ramesh" are two registrations that look alike;
--  - the Hangul fillers U+115F, U+1160, U+3164 and U+FFA0: letters to Unicode, blanks on screen, so
--    a name made only of them passed as "has letters" and showed an empty name to staff.
-- Same function, wider class: the table checks, plain_text (the fast path) and read_text all use
-- it. The device's rule (sync/free-text.ts) is widened the same way.
create or replace function private.hidden_text(p_value text) returns boolean
  language sql immutable
as $$
  select p_value ~ '[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0\uFFF9-\uFFFB\U000E0000-\U000E007F]'
$$;
