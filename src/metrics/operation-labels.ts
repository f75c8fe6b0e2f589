/**
 * The labels a request is measured under: its operation's name and type. Names
 * come from clients, so only valid GraphQL names are used and their number is
 * capped: a client inventing names cannot grow the metrics without bound.
 */
import { Lexer, Source, TokenKind, getOperationAST, type DocumentNode } from 'graphql';

export interface OperationLabels {
  operation_name: string;
  operation_type: string;
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;
const OPERATION_TYPES = new Set(['query', 'mutation', 'subscription']);

/** Hands out operation-name labels: the first `max` distinct names as they are, later ones as "other". */
export class OperationNames {
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  label(name: string | null | undefined): string {
    if (!name || !NAME.test(name)) return 'anonymous';
    if (this.seen.has(name)) return name;
    if (this.seen.size >= this.max) return 'other';
    this.seen.add(name);
    return name;
  }
}

/** The labels of the operation graphql-js executes. */
export function executedLabels(
  names: OperationNames,
  document: DocumentNode,
  operationName: string | null | undefined,
): OperationLabels {
  const operation = getOperationAST(document, operationName);
  return {
    operation_name: names.label(operation?.name?.value),
    operation_type: operation?.operation ?? 'unknown',
  };
}

/**
 * The labels of a request that was not executed (answered from the response cache,
 * or refused by parsing or validation), from its text: the operationName sent, else
 * the first operation's name. Only the first tokens are read, so this costs far
 * less than parsing the document.
 */
export function textLabels(
  names: OperationNames,
  query: unknown,
  operationName: unknown,
): OperationLabels {
  const sent =
    typeof operationName === 'string' && operationName !== '' ? operationName : undefined;
  let first: { type: string; name?: string } | undefined;
  if (typeof query === 'string') {
    try {
      const lexer = new Lexer(new Source(query));
      const token = lexer.advance();
      if (token.kind === TokenKind.BRACE_L) first = { type: 'query' }; // the `{ … }` shorthand
      if (token.kind === TokenKind.NAME && OPERATION_TYPES.has(token.value)) {
        const next = lexer.advance();
        first = { type: token.value, name: next.kind === TokenKind.NAME ? next.value : undefined };
      }
    } catch {
      // Not even its first tokens lex: labelled by operationName alone.
    }
  }
  // The type is known only when the first operation is the one meant.
  const type = first && (sent === undefined || sent === first.name) ? first.type : 'unknown';
  return { operation_name: names.label(sent ?? first?.name), operation_type: type };
}
