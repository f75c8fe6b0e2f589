/** Database ids travel as decimal strings; anything else is rejected before SQL. */
import { badInput } from '../errors.js';

const MAX_ID = 18446744073709551615n; // BIGINT UNSIGNED

/** Parses one GraphQL `ID` into a canonical decimal id, or throws BAD_USER_INPUT. */
export function parseId(argument: string, raw: string | number): string {
  const text = String(raw);
  if (!/^[1-9]\d{0,19}$/.test(text) || BigInt(text) > MAX_ID) {
    throw badInput(argument, `"${text}" is not a valid id (a positive whole number)`);
  }
  return text;
}

/** Parses a list of ids, naming the index of a bad one. */
export function parseIds(argument: string, raw: readonly (string | number)[]): string[] {
  return raw.map((id, index) => parseId(`${argument}[${index}]`, id));
}
