/**
 * The response level of the cache, and its report. A repeated identical request
 * (same document, operation, variables and role) is answered from a response entry
 * without running any resolver; the entry is tagged with the table versions its
 * views were computed under, so any write to those tables outdates it. Every
 * response carries `extensions.cache`: per view, hit or miss, age and tables.
 */
import { createHash } from 'node:crypto';
import {
  Kind,
  OperationTypeNode,
  getOperationAST,
  print,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Versions } from '../cache/table-versions.js';
import type { GatewayContext } from './context.js';

function responseKey(
  args: { document: unknown; operationName?: string | null; variableValues?: unknown },
  role: string,
) {
  const text = JSON.stringify([
    print(args.document as Parameters<typeof print>[0]),
    args.operationName ?? null,
    args.variableValues ?? {},
    role,
  ]);
  return `response:${createHash('sha256').update(text).digest('base64url')}`;
}

/**
 * The number of root fields of a query made only of plain fields, else undefined
 * (mutations, fragments at the root): only such responses are cached whole.
 */
function plainRootFields(
  document: DocumentNode,
  operationName?: string | null,
): number | undefined {
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== OperationTypeNode.QUERY) return undefined;
  const selections = operation.selectionSet.selections;
  if (selections.some((s) => s.kind !== Kind.FIELD)) return undefined;
  return selections.filter((s) => s.kind === Kind.FIELD && s.name.value !== '__typename').length;
}

export function cacheExtensionPlugin(): Plugin<GatewayContext> {
  return {
    async onExecute({ args: envelopArgs, setResultAndStopExecution }) {
      // envelop types these loosely; they are graphql-js' execution arguments.
      const args = envelopArgs as ExecutionArgs;
      const context = args.contextValue as GatewayContext;
      const key = responseKey(args, context.role);
      if (!context.bypassCache) {
        const cached = await context.cache.fresh<ExecutionResult>(key);
        if (cached) {
          context.cache.hits += 1;
          setResultAndStopExecution({
            ...cached.value,
            extensions: { cache: [{ field: '(response)', hit: true, ageMs: cached.ageMs }] },
          });
          return;
        }
      }
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          const report = context.cacheReport;
          if (report.length === 0) return;
          // Cache the whole response only when every root field is a view that went through
          // the cache (so its tables and versions are known) and nothing failed.
          const cacheable =
            !context.bypassCache &&
            !result.errors &&
            plainRootFields(args.document, args.operationName) === report.length &&
            report.every((entry) => entry.versions && Object.keys(entry.versions).length > 0);
          // A response lives no longer than its shortest-lived view.
          const ttlMs = Math.min(...report.map((entry) => entry.ttlMs));
          if (cacheable && ttlMs > 0) {
            const versions = report.reduce<Versions>(
              (all, entry) => ({ ...all, ...entry.versions }),
              {},
            );
            void context.cache.store(key, { data: result.data }, versions, ttlMs);
          }
          setResult({
            ...result,
            extensions: {
              ...result.extensions,
              cache: report.map(({ field, hit, ageMs, tables }) => ({ field, hit, ageMs, tables })),
            },
          });
        },
      };
    },
  };
}
