/**
 * The one-field document `explain` (and `viewCatalog.sql`) compiles: the named view
 * with the caller's arguments and selection. The selection is parsed on its own as a
 * selection set, so its text cannot close the view's braces and add root fields, and
 * the document is built as a syntax tree, never as text. It holds no fragment spread
 * (a selection carries no definitions), no `explain` or `viewCatalog` (an explanation
 * never executes one), nothing on a root type, and it passes the same query limits as
 * any request (size, tokens, depth, cost, aliases, directives) before anything runs.
 * Every refusal is BAD_USER_INPUT naming `selection` (or `args.<name>`); a limit's
 * refusal also carries the limit's `limit` and `max`.
 */
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  TokenKind,
  TypeInfo,
  parseType,
  specifiedRules,
  validate,
  visit,
  visitWithTypeInfo,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';
import type { QueryLimits } from '../config.js';
import { badInput } from '../errors.js';
import {
  QUERY_TOO_COMPLEX,
  limitRules,
  sizeError,
  tokenLimitedParser,
} from '../server/query-limits-plugin.js';

/** The root fields that explain views: never part of a view's selection. */
export const EXPLAIN_FIELD = 'explain';
export const CATALOG_FIELD = 'viewCatalog';
const SELF_FIELDS = new Set<string>([EXPLAIN_FIELD, CATALOG_FIELD]);

export interface ExplainDocument {
  document: DocumentNode;
  /** The document's only root field: the view. */
  view: FieldNode;
}

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;

/** A refusal of the selection; a limit's error keeps its `limit` and `max`. */
function refused(error: GraphQLError): GraphQLError {
  const refusal = badInput('selection', error.message.replace(/^Syntax Error: /, ''));
  if (error.extensions.code !== QUERY_TOO_COMPLEX) return refusal;
  const { limit, max } = error.extensions;
  return new GraphQLError(refusal.message, {
    extensions: { ...refusal.extensions, limit, max },
  });
}

/** `text` parsed as one selection set and nothing after it, within the size and token limits. */
export function parseSelection(limits: QueryLimits, text: string): SelectionSetNode {
  const tooLarge = sizeError(limits, text);
  if (tooLarge) throw refused(tooLarge);
  try {
    const parser = tokenLimitedParser(limits, text);
    parser.expectToken(TokenKind.SOF);
    const selectionSet = parser.parseSelectionSet();
    parser.expectToken(TokenKind.EOF);
    return selectionSet;
  } catch (error) {
    if (error instanceof GraphQLError) throw refused(error);
    throw error;
  }
}

/** Refuses fragment spreads and explain/viewCatalog anywhere in the selection. */
function checkSelection(selectionSet: SelectionSetNode): void {
  visit(selectionSet, {
    FragmentSpread(spread) {
      throw badInput(
        'selection',
        `the fragment spread ...${spread.name.value} is not allowed: use an inline fragment`,
      );
    },
    Field(field) {
      if (SELF_FIELDS.has(field.name.value)) {
        throw badInput('selection', `${field.name.value} may not appear in a view's selection`);
      }
    },
  });
}

/** The view's arguments as variables of the document, checked against the view field. */
function variablesOf(schema: GraphQLSchema, view: string, args: Record<string, unknown>) {
  const field = schema.getQueryType()?.getFields()[view];
  const definitions: VariableDefinitionNode[] = [];
  const uses: ArgumentNode[] = [];
  for (const argName of Object.keys(args)) {
    const argument = field?.args.find((a) => a.name === argName);
    if (!argument) throw badInput(`args.${argName}`, `is not an argument of ${view}`);
    const variable = { kind: Kind.VARIABLE, name: name(argName) } as const;
    // The type's text comes from the schema, never from the caller.
    definitions.push({
      kind: Kind.VARIABLE_DEFINITION,
      variable,
      type: parseType(String(argument.type), { noLocation: true }),
    });
    uses.push({ kind: Kind.ARGUMENT, name: name(argName), value: variable });
  }
  return { definitions, uses };
}

/** Refuses a document in which anything but its own root field sits on a root type. */
function checkRootReach(schema: GraphQLSchema, document: DocumentNode, view: FieldNode): void {
  const roots = new Set<GraphQLCompositeType | null | undefined>(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean),
  );
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(field) {
        const parent = typeInfo.getParentType();
        if (field !== view && parent && roots.has(parent)) {
          throw badInput('selection', `${field.name.value} is a root field, not a view field`);
        }
      },
    }),
  );
}

/**
 * The document asking `view` for `selection` with `args` as its variables; a bad
 * selection, an unknown argument or a request over `limits` is refused before anything runs.
 */
export function explainDocument(
  schema: GraphQLSchema,
  limits: QueryLimits,
  view: string,
  args: Record<string, unknown>,
  selection: string,
): ExplainDocument {
  const selectionSet = parseSelection(limits, selection);
  checkSelection(selectionSet);
  const { definitions, uses } = variablesOf(schema, view, args);
  const viewField: FieldNode = {
    kind: Kind.FIELD,
    name: name(view),
    arguments: uses,
    directives: [],
    selectionSet,
  };
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: OperationTypeNode.QUERY,
        name: name('Explain'),
        variableDefinitions: definitions,
        directives: [],
        selectionSet: { kind: Kind.SELECTION_SET, selections: [viewField] },
      },
    ],
  };
  const [invalid] = validate(schema, document, [...specifiedRules, ...limitRules(limits)]);
  if (invalid) throw refused(invalid);
  checkRootReach(schema, document, viewField);
  return { document, view: viewField };
}
