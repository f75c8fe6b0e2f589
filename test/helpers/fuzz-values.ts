/**
 * Leaf values for the schema fuzzer (fast-check arbitraries): edge numbers, absurd dates
 * and durations, odd ids, forged and mangled cursors, long and unicode strings, and the
 * junk selections explain is sent; and the shapes of values and requests it builds.
 */
import fc from 'fast-check';
import type { GraphQLInputType } from 'graphql';

/** An enum value: a bare name inline, a string in variables. */
export class EnumValue {
  constructor(readonly name: string) {}
}

/** An argument value as the generator builds it (undefined never appears inside). */
export type Value = null | boolean | number | string | EnumValue | Value[] | { [k: string]: Value };

export interface Argument {
  name: string;
  type: GraphQLInputType;
  value: Value;
  /** Sent as a variable (else inline). */
  variable: boolean;
}

export interface Field {
  kind: 'field';
  name: string;
  aliased: boolean;
  args: Argument[];
  directive?: { name: 'include' | 'skip'; if: boolean };
  selection?: Selection[];
}

export interface InlineFragment {
  kind: 'fragment';
  on: string;
  selection: Selection[];
}

export type Selection = Field | InlineFragment;

/** What the generated values may refer to: real ids and cursors the gateway gave out. */
export interface Known {
  /** Largest ids present (ids run from 1). */
  reports: number;
  users: number;
  executions: number;
  /** Cursors returned by the connections, by view. */
  cursors: Record<string, string[]>;
  /** nodeIds of rows of views the gateway gave out. */
  viewNodeIds: string[];
}

export type Operation = 'query' | 'mutation';

/** One request: text, variables, and the root fields it asks for. */
export interface FuzzRequest {
  operation: Operation;
  query: string;
  variables: Record<string, unknown>;
  rootFields: string[];
}

/** 0–99 evenly (fast-check's integers lean to the ends), for shares such as "one in twenty". */
export const percent = fc.noBias(fc.integer({ min: 0, max: 99 }));
const DAY = 86_400_000;

// ---------------------------------------------------------------- leaf values

const garbage = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom("' OR 1=1 -- ", '%_\\', '\u0000', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ☃ é', '\u202e', 'NaN', 'Infinity'),
);
const huge = fc
  .constantFrom(2_000, 20_000)
  .chain((length) => fc.string({ unit: 'grapheme-ascii', minLength: length, maxLength: length }));
export const anyString = fc.oneof(
  { weight: 6, arbitrary: garbage },
  { weight: 1, arbitrary: huge },
);

export const integers = fc.oneof(
  fc.constantFrom(0, 1, -1, 2, 3, 10, 50, 100, 500, 501, 10_000, 2_147_483_647, -2_147_483_648),
  fc.integer(),
  fc.integer({ min: 0, max: 100 }),
);
export const firsts = fc.oneof(fc.integer({ min: 0, max: 20 }), integers);
export const floats = fc.oneof(
  fc.constantFrom(0, 0.2, 0.5, 1, -1, 1.5, 1e-9, 5e-324, 1e308, -1e308, 1.7976931348623157e308),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

// prettier-ignore
const DURATIONS = [
  'P90D', 'P1D', 'PT1H', 'P1W', 'P1M', 'P1Y', 'P5Y', 'P6Y', 'P416D', 'PT0S', 'P0D',
  'P1Y2M3DT4H5M6S', 'PT0.001S', 'PT36H', 'P300000Y', 'P999999999D', 'PT99999999999999999999H',
  'P10000W', 'xxP90Dyy', 'P90Dx', ' P90D', 'P', 'PT', '-P1D', 'P-1D', 'P1.5D', 'P1,5D', 'P0.5Y',
  'P1e3D', 'p90d', 'P90d', '',
];
export const durations = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...DURATIONS) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.oneof(fc.integer({ min: 0, max: 400 }), fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER)),
        fc.constantFrom('D', 'W', 'M', 'Y', 'TH', 'TM', 'TS'),
      )
      .map(([n, unit]) => (unit.startsWith('T') ? `PT${n}${unit[1]}` : `P${n}${unit}`)),
  },
  { weight: 1, arbitrary: anyString },
);

// prettier-ignore
const ABSURD_DATES = [
  '0000-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z', '1000-01-01T00:00:00Z',
  '1969-12-31T23:59:59Z', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z',
  '+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00.000Z', '+010000-01-01T00:00:00.000Z',
  '2024-02-30T00:00:00Z', '2024-13-01T00:00:00Z', '2024-01-01T25:00:00Z',
  '2024-01-01T00:00:00+14:00', '2024-01-01T00:00:00-12:00', '2024-01-01', '2024-01-01T00:00:00',
  '2024-01-01 00:00:00', 'now', '', 'garbage', '2024-01-01T00:00:00.123456789Z',
];
/** DateTimes: mostly near the data (the last year), some anywhere, some absurd or not dates. */
export function dateTimes(now: number) {
  const iso = (ms: number) => new Date(ms).toISOString();
  return fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: -800, max: 30 }).map((d) => iso(now + d * DAY)) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.integer({ min: -400, max: 0 }), fc.integer({ min: 0, max: DAY - 1 }))
        .map(([d, ms]) => iso(now + d * DAY + ms)),
    },
    { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
    { weight: 2, arbitrary: fc.constantFrom(...ABSURD_DATES) },
    // graphql-scalars' DateTime also takes numbers (milliseconds since the epoch).
    { weight: 1, arbitrary: fc.constantFrom(0, -1, 8.64e15, 8.64e15 + 1, 1e300) },
    { weight: 1, arbitrary: garbage },
  );
}

// prettier-ignore
const ODD_IDS = [
  '0', '-1', '1.5', '1e3', ' 1', '01', '0x10', '18446744073709551615', '18446744073709551616',
  '99999999999999999999999999', '9007199254740993', '', 'abc', "1' OR '1'='1", '1;DROP TABLE users',
];

/** Ids: mostly existing ones (1..max), some out of range or not ids at all. */
export function ids(max: number) {
  return fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: Math.max(1, max) }).map(String) },
    { weight: 2, arbitrary: fc.constantFrom(...ODD_IDS) },
    { weight: 1, arbitrary: garbage },
  );
}

/** Global ids (node, nodes): mostly real ones of each type, some forged or not ids at all. */
export function nodeIds(known: Known) {
  const of = (type: string, max: number) =>
    fc
      .integer({ min: 1, max: Math.max(1, max) })
      .map((n) => Buffer.from(`${type}:${n}`).toString('base64url'));
  return fc.oneof(
    { weight: 2, arbitrary: of('Report', known.reports) },
    { weight: 1, arbitrary: of('User', known.users) },
    { weight: 1, arbitrary: of('Execution', known.executions) },
    { weight: 1, arbitrary: of('Secret', 3) },
    { weight: 1, arbitrary: ids(known.reports) },
    ...(known.viewNodeIds.length > 0
      ? [
          { weight: 2, arbitrary: fc.constantFrom(...known.viewNodeIds) },
          { weight: 2, arbitrary: forgedViewNodeIds(known.viewNodeIds) },
        ]
      : []),
  );
}

/** Real ids of rows of views with one part replaced by a fuzzed value. */
function forgedViewNodeIds(real: string[]) {
  const value = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom('1990-01-01T00:00:00.000Z', '+275760-09-13', 'DAY', ['AWS'], { last: 'P1D' }),
  );
  return fc
    .tuple(
      fc.constantFrom(...real),
      fc.nat(2),
      fc.oneof(fc.constantFrom('window', 'filter', 'granularity'), fc.string({ maxLength: 12 })),
      value,
    )
    .map(([id, part, argument, replacement]) => {
      const parts = JSON.parse(Buffer.from(id, 'base64url').toString()) as unknown[];
      if (part === 1) (parts[1] as Record<string, unknown>)[argument] = replacement;
      else parts[part] = replacement;
      return Buffer.from(JSON.stringify(parts)).toString('base64url');
    });
}

export const bigInts = fc.oneof(
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.constantFrom('0', '18446744073709551615', '18446744073709551616', '-1', '1.5', 'x'),
);

/** Cursors the connections gave out, the same mangled, forged ones, and garbage. */
export function cursors(known: Known) {
  const real = Object.values(known.cursors).flat();
  const keys = [
    ...new Set(
      real.flatMap((cursor) =>
        Object.keys(JSON.parse(Buffer.from(cursor, 'base64url').toString()) as object),
      ),
    ),
  ].filter((key) => key !== 'v');
  const views = [...Object.keys(known.cursors), 'explain', ''];
  const forgedValue = fc.oneof(
    fc.integer(),
    fc.constantFrom(-1, 1e308, 0.5, '1', '', null, '2024-01-01T00:00:00.000Z', '+275760-09-13'),
    fc.string({ maxLength: 8 }),
  );
  const forged = fc
    .tuple(fc.constantFrom(...views), fc.subarray(keys), fc.array(forgedValue, { minLength: 4 }))
    .map(([v, fields, values]) => {
      const position = Object.fromEntries(fields.map((f, i) => [f, values[i % values.length]]));
      return Buffer.from(JSON.stringify({ v, ...position })).toString('base64url');
    });
  const arbitraries = [forged, garbage];
  if (real.length > 0) {
    const realCursor = fc.constantFrom(...real);
    const mangled = fc
      .tuple(realCursor, fc.nat(), fc.constantFrom('x', '=', '-', '_', '!', ' '))
      .map(([c, at, ch]) => {
        const i = at % c.length;
        return at % 3 === 0 ? c.slice(0, i) : c.slice(0, i) + ch + c.slice(i + (at % 2));
      });
    arbitraries.unshift(realCursor, realCursor, mangled);
  }
  return fc.oneof(...arbitraries);
}

// prettier-ignore
const JUNK_SELECTIONS = [
  '', '{', '}', '{ }', 'totalCount', '{ totalCount } }', '{ totalCount } { edges { cursor } }',
  '{ ...F }', '{ ... on Query { __typename } }', '{ __schema { types { name } } }',
  '{ explain(view: "reportsSummary") { view } }', '{ viewCatalog { name } }',
  '{ totalCount } e0: explain(view: "reportsSummary") { view }', '{ a: totalCount b: totalCount }',
  '{ totalCount @include(if: $x) }', '{ # only a comment\n }', '{ nope }',
];
export const junkSelections: fc.Arbitrary<Value> = fc.oneof(
  fc.constantFrom(...JUNK_SELECTIONS),
  fc.constant('{ totalCount '.repeat(300)),
  garbage,
);
