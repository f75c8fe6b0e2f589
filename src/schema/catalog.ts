/**
 * `viewCatalog` and `explain`: what each view is, and the SQL the gateway would run
 * for a request with the server's plan, so a BI user can see why a query is slow.
 * Both compile through the real resolvers in explain mode (statements recorded, not run).
 */
import { GraphQLError, execute, type FieldNode, type GraphQLSchema } from 'graphql';
import { JSONResolver } from 'graphql-scalars';
import { badInput } from '../errors.js';
import { createLoaders } from '../loaders/entity-loaders.js';
import type { GatewayContext } from '../server/context.js';
import { VIEW_CATALOG, viewDefinition, type ViewEntry } from '../views/catalog.js';
import { explainPlan, recordingDatabase, statementText } from '../views/explain.js';
import { planProjection } from '../views/projection.js';
import { at, selectionBelow } from '../views/selection.js';
import { builder } from './builder.js';
import { CATALOG_FIELD, EXPLAIN_FIELD, explainDocument } from './explain-document.js';

builder.addScalarType('JSON', JSONResolver);

/** Compiles one view request through the schema, recording its statements. */
async function compileView(
  schema: GraphQLSchema,
  context: GatewayContext,
  entry: ViewEntry,
  args: Record<string, unknown>,
  selection: string,
) {
  const { document, view } = explainDocument(
    schema,
    context.config.queryLimits,
    entry.name,
    args,
    selection,
  );
  const recorder = recordingDatabase();
  const result = await execute({
    schema,
    document,
    variableValues: args,
    contextValue: {
      ...context,
      db: recorder.db,
      loaders: createLoaders(recorder.db),
      // A cached answer would record no statement.
      bypassCache: true,
      cacheReport: [],
    },
  });
  const [failure] = result.errors ?? [];
  if (failure) {
    const original = failure.originalError;
    // A view argument the resolver refused is named as explain's: args.window.last, …
    const { argument } = original instanceof GraphQLError ? original.extensions : {};
    if (typeof argument === 'string' && original instanceof GraphQLError) {
      throw badInput(`args.${argument}`, original.message.replace(`${argument}: `, ''));
    }
    // Other client errors keep their code.
    throw original instanceof GraphQLError && original.extensions.code
      ? original
      : badInput('args', failure.message);
  }
  return { statements: recorder.statements, plan: projectionOf(entry, view) };
}

/** The projection plan of the view field a document asks for. */
function projectionOf(entry: ViewEntry, view: FieldNode) {
  return planProjection(entry.row, at(selectionBelow([view]), ...entry.nodePath));
}

const ViewFlag = builder.enumType('ViewFlag', {
  description:
    'OPTIMIZED: a relation asked only for its id is read from the foreign key, its join eliminated.',
  values: ['OPTIMIZED'] as const,
});

const ViewRelation = builder
  .objectRef<{ field: string; entity: string; kind: string; join: string; fk: string }>(
    'ViewRelation',
  )
  .implement({
    fields: (t) => ({
      field: t.exposeString('field'),
      entity: t.exposeString('entity'),
      kind: t.string({ description: 'many-to-one or one-to-one.', resolve: (r) => r.kind }),
      join: t.string({ description: 'INNER or OUTER.', resolve: (r) => r.join }),
      foreignKey: t.exposeString('fk'),
    }),
  });

const ViewInfo = builder.objectRef<ViewEntry>('ViewInfo').implement({
  description: 'One performance view as the compiler declares it.',
  fields: (t) => ({
    name: t.exposeString('name'),
    sqlView: t.exposeString('sqlView', {
      description: 'The MySQL view with the same default semantics.',
    }),
    description: t.exposeString('description'),
    baseTable: t.exposeString('baseTable'),
    timeColumn: t.exposeString('timeColumn'),
    defaultWindow: t.exposeString('defaultWindow'),
    dimensions: t.exposeStringList('dimensions'),
    measures: t.exposeStringList('measures'),
    columns: t.stringList({
      description: 'Fields a row offers, relations included.',
      resolve: (entry) => [...Object.keys(entry.row.fields), ...Object.keys(entry.row.relations)],
    }),
    relations: t.field({
      type: [ViewRelation],
      resolve: (entry) =>
        Object.entries(entry.row.relations).map(([field, r]) => ({ field, ...r })),
    }),
    definition: t.string({
      description: 'The CREATE OR REPLACE VIEW statement of sqlView.',
      resolve: (entry) => viewDefinition(entry),
    }),
    sql: t.string({
      description: 'The SQL the gateway runs for the default arguments and the catalog selection.',
      resolve: async (entry, _args, context, info) => {
        const { statements } = await compileView(
          info.schema,
          context,
          entry,
          {},
          entry.defaultSelection,
        );
        return statements.map((s) => statementText(s).text).join(';\n');
      },
    }),
    flags: t.field({
      type: [ViewFlag],
      resolve: (entry, _args, context, info) => {
        const { view } = explainDocument(
          info.schema,
          context.config.queryLimits,
          entry.name,
          {},
          entry.defaultSelection,
        );
        return projectionOf(entry, view).eliminated.length > 0 ? ['OPTIMIZED' as const] : [];
      },
    }),
  }),
});

const ExplainedStatement = builder
  .objectRef<{ text: string; values: unknown[]; plan: unknown }>('ExplainedStatement')
  .implement({
    fields: (t) => ({
      sql: t.exposeString('text', { description: 'The statement, with ? placeholders.' }),
      parameters: t.field({ type: 'JSON', resolve: (s) => s.values }),
      plan: t.field({ type: 'JSON', description: 'EXPLAIN FORMAT=JSON.', resolve: (s) => s.plan }),
    }),
  });

const Explanation = builder
  .objectRef<{
    view: string;
    eliminated: string[];
    joined: string[];
    statements: { text: string; values: unknown[]; plan: unknown }[];
  }>('Explanation')
  .implement({
    fields: (t) => ({
      view: t.exposeString('view'),
      flags: t.field({
        type: [ViewFlag],
        resolve: (e) => (e.eliminated.length > 0 ? ['OPTIMIZED' as const] : []),
      }),
      eliminatedRelations: t.exposeStringList('eliminated', {
        description: 'Relations answered from their foreign key, without a join.',
      }),
      joinedRelations: t.exposeStringList('joined'),
      statements: t.field({ type: [ExplainedStatement], resolve: (e) => e.statements }),
    }),
  });

builder.queryFields((t) => ({
  [CATALOG_FIELD]: t.field({
    type: [ViewInfo],
    description:
      'The performance views: their SQL views, columns, relations, compiled SQL and flags.',
    resolve: () => VIEW_CATALOG,
  }),
  [EXPLAIN_FIELD]: t.field({
    type: Explanation,
    description:
      "The SQL the gateway would run for a view request, and the server's plan of each statement. " +
      "args are the view's arguments as JSON (as in variables); selection is a selection set " +
      "of the view only, within the query limits (default: the catalog's).",
    args: {
      view: t.arg.string({ required: true }),
      args: t.arg({ type: 'JSON' }),
      selection: t.arg.string(),
    },
    resolve: async (_root, input, context, info) => {
      const entry = VIEW_CATALOG.find((candidate) => candidate.name === input.view);
      if (!entry) {
        throw badInput(
          'view',
          `"${input.view}" is not one of ${VIEW_CATALOG.map((v) => v.name).join(', ')}`,
        );
      }
      const args: unknown = input.args ?? {};
      if (typeof args !== 'object' || args === null || Array.isArray(args)) {
        throw badInput('args', "must be a JSON object of the view's arguments");
      }
      const { statements, plan } = await compileView(
        info.schema,
        context,
        entry,
        args as Record<string, unknown>,
        input.selection ?? entry.defaultSelection,
      );
      return {
        view: entry.name,
        eliminated: plan.eliminated,
        joined: plan.joined,
        statements: await Promise.all(
          statements.map(async (statement) => ({
            ...statementText(statement),
            plan: await explainPlan(context.db, statement),
          })),
        ),
      };
    },
  }),
}));
