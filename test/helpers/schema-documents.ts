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
import {
  EnumValue,
  anyString,
  bigInts,
  cursors,
  dateTimes,
  durations,
  firsts,
  nodeIds,
  floats,
  ids,
  integers,
  junkSelections,
  percent,
  type Argument,
  type Field,
  type FuzzRequest,
  type Known,
  type Operation,
  type Selection,
  type Value,
} from './fuzz-values.js';
import { asJsonObject, selectionText, serialize, withNameKeys } from './fuzz-text.js';

export {
  EnumValue,
  percent,
  type FuzzRequest,
  type Known,
  type Operation,
  type Value,
} from './fuzz-values.js';

/** Levels of fields below a root field; the gateway allows 10 in all. */
const MAX_DEPTH = 5;

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
        return hint === 'first' || hint === 'last' || hint === 'batchSize' ? firsts : integers;
      case 'Float':
        return floats;
      case 'Boolean':
        return fc.boolean();
      case 'ID':
        if (/^nodeId/.test(hint)) return nodeIds(this.known);
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
        if (hint === 'after' || hint === 'before') return this.cursors;
        return this.strings;
      default:
        return this.strings;
    }
  }
}
