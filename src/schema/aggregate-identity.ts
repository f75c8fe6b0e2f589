/**
 * Identity of aggregate rows. A row of a view (a report's summary, a time bucket, a
 * provider's figures, an alert …) is only the same object as another when the same
 * view computed it under the same numbers-shaping arguments, so its `nodeId` is
 * base64url of the canonical JSON `[type, arguments, key]`: the arguments are those
 * that shape its numbers with the window made absolute (`{ from, to }`), the key the
 * row's own key inside the view. Two windows never share an identity, and node()
 * refetches a row by running its view again under the arguments the id carries,
 * checked by the schema's own input coercion as a request's arguments are.
 */
import {
  astFromValue,
  coerceInputValue,
  valueFromASTUntyped,
  type GraphQLError,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { badInput } from '../errors.js';
import { rowBound } from './row-bounds.js';
import type { GatewayContext } from '../server/context.js';
import { canonical } from '../canonical-json.js';
import type { Selection } from '../views/selection.js';
import { isId } from '../views/ids.js';
import { resolveWindow, type Window } from '../views/time-window.js';

const MAX_NODE_ID_LENGTH = 1 << 20;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Args = Record<string, unknown>;

/** How the rows of one aggregate type are identified and refetched. */
export interface AggregateIdentity<Row extends object> {
  /** The root field (view) whose rows these are. */
  view: string;
  /** The view's default window, applied when the request gave none. */
  defaultWindow: string;
  /** The arguments besides the window that shape the rows' numbers. */
  shaping: readonly string[];
  /** The row's key inside the view's answer. */
  key: (row: Row) => Json;
  /** True when a decoded key has the form `key` writes (checked before refetching). */
  validKey: (key: unknown) => boolean;
  /**
   * The rows of the view under `args` (coerced, window absolute) among which those of
   * `keys` are; a paged view reads only those, a list view runs whole.
   */
  refetch: (
    context: GatewayContext,
    args: Args & { window: Window },
    keys: readonly Json[],
    selection: Selection,
  ) => Promise<Row[]>;
}

const identities = new Map<string, AggregateIdentity<object>>();

/** Declares how rows of the aggregate type `type` are identified (once per type). */
export function aggregateIdentity<Row extends object>(
  type: string,
  identity: AggregateIdentity<Row>,
): void {
  identities.set(type, identity as unknown as AggregateIdentity<object>);
}

/** What a view request computed its rows under: its arguments (as resolvers get them) and window. */
interface Scope {
  args: Args;
  window: Window;
}

/** The scopes of the rows a request's views returned, kept per request. */
export type RowScopes = WeakMap<object, Scope>;

/** The view field's arguments, by name. */
function viewArguments(schema: GraphQLSchema, identity: AggregateIdentity<object>) {
  const field = (schema.getQueryType() as GraphQLObjectType).getFields()[identity.view]!;
  return new Map(field.args.map((definition) => [definition.name, definition]));
}

const texts = new WeakMap<Scope, string>();

/**
 * The canonical text of a scope: the shaping arguments as a client writes them (enum
 * names, not the values resolvers see), the window absolute.
 */
function scopeText(identity: AggregateIdentity<object>, scope: Scope, schema: GraphQLSchema) {
  const known = texts.get(scope);
  if (known !== undefined) return known;
  const definitions = viewArguments(schema, identity);
  const external: Args = {
    window: { from: scope.window.from.toISOString(), to: scope.window.to.toISOString() },
  };
  for (const name of identity.shaping) {
    const value = astFromValue(scope.args[name] ?? null, definitions.get(name)!.type);
    external[name] = value ? valueFromASTUntyped(value) : null;
  }
  const text = canonical(external);
  texts.set(scope, text);
  return text;
}

/**
 * Records the scope of rows a view resolver returns: `args` as the resolver got
 * them, `window` the absolute window the numbers were computed for.
 */
export function identify(
  context: GatewayContext,
  type: string,
  args: object,
  window: Window,
  rows: Iterable<object | null>,
): void {
  const scope: Scope = { args: args as Args, window };
  for (const row of rows) if (row) context.rowScopes.set(row, scope);
}

/** The nodeId of an aggregate row, or undefined when `type` is not an aggregate type. */
export function aggregateNodeId(
  type: string,
  row: object,
  context: GatewayContext,
  schema: GraphQLSchema,
): string | undefined {
  const identity = identities.get(type);
  if (!identity) return undefined;
  const scope = context.rowScopes.get(row);
  if (!scope) throw new Error(`no scope was recorded for a ${type} row`);
  return encode(type, scopeText(identity, scope, schema), identity.key(row));
}

function encode(type: string, scopeText: string, key: Json): string {
  const text = `[${JSON.stringify(type)},${scopeText},${canonical(key)}]`;
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** A decoded aggregate nodeId: its type, checked arguments and key. */
export interface AggregateRef {
  type: string;
  args: Args & { window: Window };
  /** The text all ids of the same view run share (type and arguments). */
  group: string;
  key: Json;
}

/**
 * Decodes an aggregate nodeId; undefined when `raw` is not one (an entity's id). Ids
 * not written by this API, or whose arguments the view would refuse, are BAD_USER_INPUT
 * naming `argument`.
 */
export function parseAggregateId(
  argument: string,
  raw: string,
  info: GraphQLResolveInfo,
  now: Date,
): AggregateRef | undefined {
  const refuse = (why = 'is not a nodeId of this API') => {
    const shown = raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
    return badInput(argument, `${JSON.stringify(shown)} ${why}`);
  };
  // The longest id a view writes holds two full filter lists; nothing longer is decoded.
  if (raw.length > MAX_NODE_ID_LENGTH)
    throw refuse(`is longer than ${MAX_NODE_ID_LENGTH} characters`);
  const text = Buffer.from(raw, 'base64url').toString('utf8');
  if (!text.startsWith('[')) return undefined;
  let parts: unknown;
  try {
    parts = JSON.parse(text);
  } catch {
    throw refuse();
  }
  if (!Array.isArray(parts) || parts.length !== 3) throw refuse();
  const [type, scope, key] = parts as [unknown, unknown, unknown];
  const identity = typeof type === 'string' ? identities.get(type) : undefined;
  if (!identity || typeof scope !== 'object' || scope === null || Array.isArray(scope))
    throw refuse();
  if (!identity.validKey(key)) throw refuse();
  const args: Args = {};
  for (const [name, definition] of viewArguments(info.schema, identity)) {
    if (name !== 'window' && !identity.shaping.includes(name)) continue;
    const value = (scope as Args)[name];
    try {
      args[name] = coerceInputValue(value ?? null, definition.type);
    } catch (error) {
      throw refuse(`carries a ${name} the view refuses: ${(error as GraphQLError).message}`);
    }
  }
  let window: Window;
  try {
    window = resolveWindow(args.window as never, identity.defaultWindow, now);
  } catch (error) {
    throw refuse(`carries a window the view refuses: ${(error as GraphQLError).message}`);
  }
  // Only the canonical spelling of the arguments is an id: one row, one id.
  const spelled = scopeText(identity, { args, window }, info.schema);
  if (encode(type as string, spelled, key as Json) !== raw) throw refuse();
  return {
    type: type as string,
    args: { ...args, window },
    group: `${type as string}\u0000${spelled}`,
    key: key as Json,
  };
}

/**
 * Refetches aggregate rows, one view run per group of ids sharing type and arguments:
 * null where the view no longer has the row (or never had it under those arguments).
 */
export async function refetchAggregates(
  context: GatewayContext,
  refs: readonly AggregateRef[],
  selection: Selection,
): Promise<(object | null)[]> {
  const groups = new Map<string, AggregateRef[]>();
  for (const ref of refs) {
    const members = groups.get(ref.group);
    if (members) members.push(ref);
    else groups.set(ref.group, [ref]);
  }
  const found = new Map<string, object>();
  await Promise.all(
    [...groups].map(async ([group, members]) => {
      const { type, args } = members[0]!;
      const identity = identities.get(type)!;
      const keys = members.map((member) => member.key);
      const rows = await identity.refetch(context, args, keys, selection);
      identify(context, type, args, args.window, rows);
      for (const row of rows) found.set(`${group}\u0000${canonical(identity.key(row))}`, row);
    }),
  );
  return refs.map((ref) => found.get(`${ref.group}\u0000${canonical(ref.key)}`) ?? null);
}

/**
 * What refetching the refs costs, known before any SQL: the distinct view runs, and the
 * rows those runs may read, each bounded as the same view request would be.
 */
export function refetchCost(
  refs: readonly AggregateRef[],
  context: Pick<GatewayContext, 'config' | 'now'>,
): { runs: number; rows: number } {
  const runs = new Map(refs.map((ref) => [ref.group, ref]));
  let rows = 0;
  for (const ref of runs.values()) {
    rows += rowBound(identities.get(ref.type)!.view, ref.args, context).rows;
  }
  return { runs: runs.size, rows };
}

/** The ids a refetch may read: `keys`, within the filter's own id list when it has one. */
export function restrictedIds(
  listed: readonly (string | number)[] | null | undefined,
  keys: readonly Json[],
): string[] {
  const wanted = keys.map(String);
  if (!listed) return wanted;
  const allowed = new Set(listed.map(String));
  return wanted.filter((id) => allowed.has(id));
}

/** A key that is a decimal database id. */
export const isIdKey = (key: unknown): boolean => typeof key === 'string' && isId(key);
