/** Database ids travel as decimal strings; anything else is rejected before SQL. */
import { badInput } from '../errors.js';

const MAX_ID = 18446744073709551615n; // BIGINT UNSIGNED

/** True when `text` is a canonical decimal id (no sign, no leading zero, in BIGINT UNSIGNED). */
export function isId(text: string): boolean {
  return /^[1-9]\d{0,19}$/.test(text) && BigInt(text) <= MAX_ID;
}

/** Parses one GraphQL `ID` into a canonical decimal id, or throws BAD_USER_INPUT. */
export function parseId(argument: string, raw: string | number): string {
  const text = String(raw);
  if (!isId(text)) {
    // Quoted as JSON (control characters visible) and shortened: the input may be huge.
    const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    throw badInput(
      argument,
      `${JSON.stringify(shown)} is not a valid id (a positive whole number)`,
    );
  }
  return text;
}

/** Parses a list of ids (at most `max`), naming the index of a bad one. */
export function parseIds(
  argument: string,
  raw: readonly (string | number)[],
  max = Infinity,
): string[] {
  if (raw.length > max) throw badInput(argument, `at most ${max} ids, got ${raw.length}`);
  return raw.map((id, index) => parseId(`${argument}[${index}]`, id));
}
