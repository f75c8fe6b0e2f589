/**
 * The schema fuzzer's requests as text: values as GraphQL literals or variables, selection
 * sets, and repeated root fields aliased so that every response key is distinct.
 */
import type fc from 'fast-check';
import type { GraphQLInputType } from 'graphql';
import {
  EnumValue,
  type Argument,
  type Field,
  type FuzzRequest,
  type Operation,
  type Selection,
  type Value,
} from './fuzz-values.js';

const toJson = (value: Value): unknown => {
  if (value instanceof EnumValue) return value.name;
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
};

/** Arguments as the JSON object explain's `args` takes (enum values as strings). */
export function asJsonObject(args: Argument[]): Value {
  return Object.fromEntries(args.map((a) => [a.name, toJson(a.value) as Value]));
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** JSON whose object keys are GraphQL names, so that it can also be written inline. */
export function withNameKeys(json: fc.JsonValue): Value {
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
export function selectionText(selection: Selection[]): string {
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
export function serialize(operation: Operation, roots: Field[]): FuzzRequest {
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
