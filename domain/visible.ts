/** Which characters a reader sees: no zod here, so domain/accounts.ts may import it early. */

/**
 * A character a reader sees: not white space, not a format or control character (zero-width space,
 * joiners, word joiner, BOM, soft hyphen, bidi marks), not a combining mark on its own, not a
 * Hangul filler or the blank braille pattern (text of such characters only looks blank).
 */
const VISIBLE = /[^\s\p{Cf}\p{Cc}\p{Mn}\p{Me}\u115F\u1160\u3164\uFFA0\u2800]/u;
export const hasVisibleCharacter = (value: string): boolean => VISIBLE.test(value);
export const visibleLength = (value: string): number => [...value].filter((ch) => VISIBLE.test(ch)).length;

/**
 * Bidirectional embedding, override and isolate controls (U+202A-202E, U+2066-2069): they make
 * text display in another order than it is stored ("Trojan Source"; a file name `\u202Efdp.exe`
 * shows as `exe.pdf`). Refused in texts people send.
 */
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;
