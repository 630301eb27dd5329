import { z } from '../schema.js';

/*
 * What a person may write as text. Control characters (C0 U+0000–U+001F, DEL U+007F, C1
 * U+0080–U+009F) are not text: a NUL or an escape code in a name breaks whatever displays,
 * logs or exports it. An unpaired UTF-16 surrogate cannot be stored as UTF-8. Everything else
 * (emoji, right-to-left text, combining marks, bidi and zero-width marks) is kept as written.
 *
 * These rules are newer than some stored rows and queued writes, so only INPUT schemas use
 * them (REST bodies, local writes; the server checks pushed fields against them and rejects the
 * mutation `validation`). Row schemas leave them out, so a row stored before still reads.
 *
 * Code units, not the `u` flag: the patterns are JSON Schema `pattern`s in the OpenAPI too.
 */

/** One line (a name, a title): no control character at all, tab and line breaks included. */
export const ONE_LINE_TEXT =
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  /^(?:[^\x00-\x1f\x7f-\x9f\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;

/** Several lines (a description, notes): tab, line feed and carriage return allowed. */
export const MULTILINE_TEXT =
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  /^(?:[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;

export const ONE_LINE_TEXT_MESSAGE =
  'Invalid text: no control characters (tab and line breaks included) or unpaired surrogates';
export const MULTILINE_TEXT_MESSAGE =
  'Invalid text: no control characters other than tab and line breaks, or unpaired surrogates';

/** A one-line text of 1..max characters after trimming (input schemas only: see above). */
export const oneLineText = (max: number) =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1),
      z.maxLength(max),
      z.regex(ONE_LINE_TEXT, { message: ONE_LINE_TEXT_MESSAGE }),
    );

/** A multi-line text of at most max characters (input schemas only: see above). */
export const multilineText = (max: number) =>
  z.string().check(z.maxLength(max), z.regex(MULTILINE_TEXT, { message: MULTILINE_TEXT_MESSAGE }));

// Line breaks and tabs separate words: one space for a run of them with the spaces around.
const BREAKS = / *[\t\n\v\f\r\x85]+ */g;
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text that arrives from elsewhere and must not be refused (a display name an identity provider
 * asserts: refusing it would lock the person out), made to follow the one-line rules: line
 * breaks and tabs become a space, other control characters go, an unpaired surrogate becomes
 * U+FFFD; then trimmed and cut to `max` without splitting a pair. Text that follows the rules
 * already is only trimmed. '' when nothing is left: the caller picks a stand-in.
 */
export function toOneLineText(text: string, max: number): string {
  let s = text.replace(BREAKS, ' ').replace(CONTROL, '').replace(LONE_SURROGATE, '\ufffd').trim();
  if (s.length > max) {
    s = s.slice(0, max);
    if (/[\ud800-\udbff]$/.test(s)) s = s.slice(0, -1);
    s = s.trim();
  }
  return s;
}
