/**
 * Random GraphQL requests built from a schema (fast-check arbitraries): root fields
 * with arguments of the right types (edge values, absurd dates and durations, forged
 * cursors, long and unicode strings, nested input objects, lists), inline or as
 * variables, random aliases, directives and inline fragments, and sub-selections down
 * to leaves within a depth. Almost every document is valid GraphQL; the values are
 * what the gateway must judge.
 */
import fc from 'fast-check';
import {
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/** An enum value: a bare name inline, a string in variables. */
export class EnumValue {
  constructor(readonly name: string) {}
}

/** An argument value as the generator builds it (undefined never appears inside). */
export type Value = null | boolean | number | string | EnumValue | Value[] | { [k: string]: Value };

interface Argument {
  name: string;
  type: GraphQLInputType;
  value: Value;
  /** Sent as a variable (else inline). */
  variable: boolean;
}

interface Field {
  kind: 'field';
  name: string;
  aliased: boolean;
  args: Argument[];
  directive?: { name: 'include' | 'skip'; if: boolean };
  selection?: Selection[];
}

interface InlineFragment {
  kind: 'fragment';
  on: string;
  selection: Selection[];
}

type Selection = Field | InlineFragment;

/** What the generated values may refer to: real ids and cursors the gateway gave out. */
export interface Known {
  /** Largest ids present (ids run from 1). */
  reports: number;
  users: number;
  executions: number;
  /** Cursors returned by the connections, by view. */
  cursors: Record<string, string[]>;
}

export type Operation = 'query' | 'mutation';

/** One request: text, variables, and the root fields it asks for. */
export interface FuzzRequest {
  operation: Operation;
  query: string;
  variables: Record<string, unknown>;
  rootFields: string[];
}

/** Levels of fields below a root field; the gateway allows 10 in all. */
const MAX_DEPTH = 5;
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
const anyString = fc.oneof({ weight: 6, arbitrary: garbage }, { weight: 1, arbitrary: huge });

const integers = fc.oneof(
  fc.constantFrom(0, 1, -1, 2, 3, 10, 50, 100, 500, 501, 10_000, 2_147_483_647, -2_147_483_648),
  fc.integer(),
  fc.integer({ min: 0, max: 100 }),
);
const firsts = fc.oneof(fc.integer({ min: 0, max: 20 }), integers);
const floats = fc.oneof(
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
const durations = fc.oneof(
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
function dateTimes(now: number) {
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
function ids(max: number) {
  return fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: Math.max(1, max) }).map(String) },
    { weight: 2, arbitrary: fc.constantFrom(...ODD_IDS) },
    { weight: 1, arbitrary: garbage },
  );
}

const bigInts = fc.oneof(
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.constantFrom('0', '18446744073709551615', '18446744073709551616', '-1', '1.5', 'x'),
);

/** Cursors the connections gave out, the same mangled, forged ones, and garbage. */
function cursors(known: Known) {
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

// ---------------------------------------------------------------- the generator

/** Builds the arbitraries of one schema once; `request()` draws whole requests. */
export class SchemaDocuments {
  private readonly selections = new Map<string, fc.Arbitrary<Selection[]>>();
  private readonly strings: fc.Arbitrary<string>;
  private readonly dates: fc.Arbitrary<Value>;
  private readonly cursors: fc.Arbitrary<string>;
  private readonly viewNames: string[];

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly known: Known,
    /** The views explain takes (Query fields of the same names). */
    views: string[],
    now = Date.now(),
  ) {
    this.strings = anyString;
    this.dates = dateTimes(now);
    this.cursors = cursors(known);
    this.viewNames = views;
  }

  /** A query (share `1 - mutationShare`) or a mutation. */
  request(mutationShare: number): fc.Arbitrary<FuzzRequest> {
    const mutationWeight = Math.round(mutationShare * 1000);
    return fc.oneof(
      { weight: 1000 - mutationWeight, arbitrary: this.operation('query') },
      { weight: mutationWeight, arbitrary: this.operation('mutation') },
    );
  }

  private rootType(operation: Operation): GraphQLObjectType {
    const type = operation === 'query' ? this.schema.getQueryType() : this.schema.getMutationType();
    if (!type) throw new Error(`the schema has no ${operation} type`);
    return type;
  }

  private operation(operation: Operation): fc.Arbitrary<FuzzRequest> {
    const root = this.rootType(operation);
    const fields = Object.values(root.getFields());
    const oneRootField = fc.constantFrom(...fields).chain((field) => this.field(field, 0, 0.15));
    const count = operation === 'query' ? fc.integer({ min: 1, max: 3 }) : fc.constant(1);
    return count
      .chain((n) => fc.array(oneRootField, { minLength: n, maxLength: n }))
      .map((selection) => serialize(operation, selection));
  }

  /** One field with its arguments and (for objects) a sub-selection `depth` levels down. */
  private field(
    field: GraphQLField<unknown, unknown>,
    depth: number,
    aliasChance: number,
  ): fc.Arbitrary<Field> {
    const named = getNamedType(field.type);
    const selection =
      isCompositeType(named) && depth < MAX_DEPTH
        ? this.selection(named, depth + 1)
        : fc.constant(undefined);
    return fc
      .record({
        args: this.argumentsOf(field),
        aliased: percent.map((p) => p < aliasChance * 100),
        // One field in twenty carries @include or @skip.
        directive: fc
          .tuple(percent, fc.constantFrom('include', 'skip'), fc.boolean())
          .map(([p, name, condition]) => (p < 5 ? { name, if: condition } : undefined)),
        selection,
      })
      .map(({ args, aliased, directive, selection: sub }) => ({
        kind: 'field' as const,
        name: field.name,
        aliased,
        args,
        ...(directive ? { directive } : {}),
        ...(sub ? { selection: sub } : {}),
      }));
  }

  /** A non-empty set of fields of `type` (leaves only at the last level), maybe in a fragment. */
  private selection(type: GraphQLCompositeType, depth: number): fc.Arbitrary<Selection[]> {
    const key = `${type.name}@${depth}`;
    const cached = this.selections.get(key);
    if (cached) return cached;
    const fields = 'getFields' in type ? Object.values(type.getFields()) : [];
    const usable = fields.filter(
      (f) => depth < MAX_DEPTH || !isCompositeType(getNamedType(f.type)),
    );
    const typename: Field = { kind: 'field', name: '__typename', aliased: false, args: [] };
    const built =
      usable.length === 0
        ? fc.constant<Selection[]>([typename])
        : fc
            .shuffledSubarray(usable, { minLength: 1, maxLength: Math.min(5, usable.length) })
            .chain((chosen) => fc.tuple(...chosen.map((f) => this.field(f, depth, 0.05))))
            .chain((chosen) =>
              fc.tuple(percent, fc.boolean()).map(([roll, typenameToo]): Selection[] => {
                const selection: Selection[] = typenameToo ? [...chosen, typename] : chosen;
                // One in twenty: the same fields inside an inline fragment on the type.
                return roll < 5 ? [{ kind: 'fragment', on: type.name, selection }] : selection;
              }),
            );
    this.selections.set(key, built);
    return built;
  }

  /** The field's arguments: every required one, each optional one about half the time. */
  private argumentsOf(field: GraphQLField<unknown, unknown>): fc.Arbitrary<Argument[]> {
    if (field.name === 'explain') return this.explainArguments();
    const each = field.args.map((arg) => {
      const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
      const argument = fc
        // An `id` is the id of what the field looks up (report, user, execution).
        .tuple(
          this.value(arg.type, arg.name === 'id' ? field.name : arg.name),
          fc.noBias(fc.nat({ max: 2 })),
        )
        .map(([value, v]): Argument => ({
          name: arg.name,
          type: arg.type,
          value,
          variable: v > 0,
        }));
      return required ? argument : fc.option(argument, { freq: 2, nil: undefined });
    });
    return fc.tuple(...each).map((args) => args.filter((a): a is Argument => a !== undefined));
  }

  /** explain: a view, its arguments as JSON, and a selection set of that view (or junk). */
  private explainArguments(): fc.Arbitrary<Argument[]> {
    const query = this.rootType('query').getFields();
    const explain = query.explain;
    if (!explain) throw new Error('the schema has no explain field');
    const typeOf = (name: string) => {
      const arg = explain.args.find((a) => a.name === name);
      if (!arg) throw new Error(`explain has no argument ${name}`);
      return arg.type;
    };
    const view = fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom(...this.viewNames) },
      { weight: 1, arbitrary: fc.constantFrom('explain', 'viewCatalog', 'report', 'nope', '') },
    );
    return view.chain((name) => {
      const field = query[name];
      const args: fc.Arbitrary<Value> = field
        ? fc.oneof(
            { weight: 8, arbitrary: this.argumentsOf(field).map(asJsonObject) },
            {
              weight: 1,
              arbitrary: fc.constantFrom<Value>(null, [], 'P90D', 7, { nope: 1 }, { first: {} }),
            },
          )
        : fc.constant(null);
      const composite = field ? getNamedType(field.type) : undefined;
      const selection: fc.Arbitrary<Value> =
        composite && isCompositeType(composite)
          ? fc.oneof(
              { weight: 8, arbitrary: this.selection(composite, 1).map(selectionText) },
              { weight: 2, arbitrary: junkSelections },
            )
          : junkSelections;
      const variable = fc.boolean();
      return fc
        .tuple(args, selection, variable, variable, variable, fc.boolean(), fc.boolean())
        .map(([a, s, v1, v2, v3, withArgs, withSelection]) => [
          { name: 'view', type: typeOf('view'), value: name, variable: v1 },
          ...(withArgs ? [{ name: 'args', type: typeOf('args'), value: a, variable: v2 }] : []),
          ...(withSelection
            ? [{ name: 'selection', type: typeOf('selection'), value: s, variable: v3 }]
            : []),
        ]);
    });
  }

  /** A value of `type`; `hint` (the argument or input field name) picks realistic strings. */
  private value(type: GraphQLInputType, hint: string): fc.Arbitrary<Value> {
    if (isNonNullType(type)) return this.value(type.ofType, hint);
    const nullable = (arbitrary: fc.Arbitrary<Value>) =>
      fc.option(arbitrary, { freq: 12, nil: null });
    if (isListType(type)) {
      const item = this.value(type.ofType, hint);
      return nullable(
        fc.oneof(
          { weight: 12, arbitrary: fc.array(item, { maxLength: 4 }) },
          { weight: 1, arbitrary: fc.array(item, { minLength: 20, maxLength: 300 }) },
        ),
      );
    }
    if (isInputObjectType(type)) {
      const fields = Object.values(type.getFields());
      const each = fields.map((f) => {
        const required = isNonNullType(f.type) && f.defaultValue === undefined;
        const value = this.value(f.type, f.name);
        return required ? value : fc.option(value, { freq: 2, nil: undefined });
      });
      return nullable(
        fc.tuple(...each).map((values) => {
          const object: Record<string, Value> = {};
          values.forEach((v, i) => {
            if (v !== undefined) object[fields[i]!.name] = v;
          });
          return object;
        }),
      );
    }
    if (isEnumType(type)) {
      const names = type.getValues().map((v) => v.name);
      return nullable(
        fc
          .oneof(
            { weight: 50, arbitrary: fc.constantFrom(...names) },
            { weight: 1, arbitrary: fc.constantFrom('NOT_A_VALUE', names[0]!.toLowerCase()) },
          )
          .map((name) => new EnumValue(name)),
      );
    }
    return nullable(this.scalar(type.name, hint));
  }

  private scalar(name: string, hint: string): fc.Arbitrary<Value> {
    switch (name) {
      case 'Int':
        return hint === 'first' || hint === 'batchSize' ? firsts : integers;
      case 'Float':
        return floats;
      case 'Boolean':
        return fc.boolean();
      case 'ID':
        return ids(
          /^(user|owner|executedBy)/.test(hint)
            ? this.known.users
            : /^report/.test(hint)
              ? this.known.reports
              : this.known.executions,
        );
      case 'DateTime':
        return this.dates;
      case 'BigInt':
        return bigInts;
      case 'JSON':
        return fc.jsonValue({ maxDepth: 3 }).map(withNameKeys);
      case 'String':
        if (hint === 'last') return durations;
        if (hint === 'after') return this.cursors;
        return this.strings;
      default:
        return this.strings;
    }
  }
}

// prettier-ignore
const JUNK_SELECTIONS = [
  '', '{', '}', '{ }', 'totalCount', '{ totalCount } }', '{ totalCount } { edges { cursor } }',
  '{ ...F }', '{ ... on Query { __typename } }', '{ __schema { types { name } } }',
  '{ explain(view: "reportsSummary") { view } }', '{ viewCatalog { name } }',
  '{ totalCount } e0: explain(view: "reportsSummary") { view }', '{ a: totalCount b: totalCount }',
  '{ totalCount @include(if: $x) }', '{ # only a comment\n }', '{ nope }',
];
const junkSelections: fc.Arbitrary<Value> = fc.oneof(
  fc.constantFrom(...JUNK_SELECTIONS),
  fc.constant('{ totalCount '.repeat(300)),
  garbage,
);

// ---------------------------------------------------------------- serialization

const toJson = (value: Value): unknown => {
  if (value instanceof EnumValue) return value.name;
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
};

/** Arguments as the JSON object explain's `args` takes (enum values as strings). */
function asJsonObject(args: Argument[]): Value {
  return Object.fromEntries(args.map((a) => [a.name, toJson(a.value) as Value]));
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** JSON whose object keys are GraphQL names, so that it can also be written inline. */
function withNameKeys(json: fc.JsonValue): Value {
  if (Array.isArray(json)) return json.map(withNameKeys);
  if (json !== null && typeof json === 'object') {
    return Object.fromEntries(
      Object.entries(json).map(([key, v], i) => [
        NAME.test(key) ? key : `k${i}`,
        withNameKeys(v as fc.JsonValue),
      ]),
    );
  }
  return json;
}
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The value as a GraphQL literal. */
function literal(value: Value): string {
  if (value instanceof EnumValue) {
    return NAME.test(value.name) ? value.name : JSON.stringify(value.name);
  }
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}: ${literal(v)}`)
      .join(', ')}}`;
  }
  // JSON escapes are GraphQL escapes, except a lone surrogate, which GraphQL refuses.
  if (typeof value === 'string') return JSON.stringify(value.replace(LONE_SURROGATE, '\uFFFD'));
  return JSON.stringify(value);
}

/** A selection set as text, every value inline (explain's `selection` has no variables). */
function selectionText(selection: Selection[]): string {
  return new Writer().selectionSet(selection, false);
}

class Writer {
  readonly definitions: string[] = [];
  readonly variables: Record<string, unknown> = {};
  private aliases = 0;

  selectionSet(selection: Selection[], variables: boolean): string {
    return `{ ${selection.map((s) => this.selectionItem(s, variables)).join(' ')} }`;
  }

  private selectionItem(item: Selection, variables: boolean): string {
    if (item.kind === 'fragment') {
      return `... on ${item.on} ${this.selectionSet(item.selection, variables)}`;
    }
    this.aliases += item.aliased ? 1 : 0;
    const alias = item.aliased ? `a${this.aliases}_${item.name}: ` : '';
    const args = item.args.length
      ? `(${item.args.map((a) => `${a.name}: ${this.argument(a, variables)}`).join(', ')})`
      : '';
    const directive = item.directive
      ? ` @${item.directive.name}(if: ${this.argument(
          { name: 'if', type: booleanType, value: item.directive.if, variable: true },
          variables,
        )})`
      : '';
    const sub = item.selection ? ` ${this.selectionSet(item.selection, variables)}` : '';
    return `${alias}${item.name}${args}${directive}${sub}`;
  }

  private argument(argument: Argument, variables: boolean): string {
    if (!variables || !argument.variable) return literal(argument.value);
    const name = `v${this.definitions.length}`;
    this.definitions.push(`$${name}: ${String(argument.type)}`);
    this.variables[name] = toJson(argument.value);
    return `$${name}`;
  }
}

// A stand-in type for the directive's `if` variable: only its printed name is used.
const booleanType = { toString: () => 'Boolean!' } as unknown as GraphQLInputType;

/** The request text: root fields that repeat get aliases so that every response key is distinct. */
function serialize(operation: Operation, roots: Field[]): FuzzRequest {
  const seen = new Set<string>();
  const distinct = roots.map((field) => {
    const repeated = seen.has(field.name);
    seen.add(field.name);
    return repeated ? { ...field, aliased: true } : field;
  });
  const writer = new Writer();
  const body = writer.selectionSet(distinct, true);
  const definitions = writer.definitions.length ? `(${writer.definitions.join(', ')})` : '';
  return {
    operation,
    query: `${operation} Fuzz${definitions} ${body}`,
    variables: writer.variables,
    // The root fields that run: @skip(if: true) and @include(if: false) leave theirs out.
    rootFields: roots
      .filter((r) => !r.directive || (r.directive.name === 'include') === r.directive.if)
      .map((r) => r.name),
  };
}
