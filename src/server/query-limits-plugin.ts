/**
 * Query limits, all checked before anything executes (so before any SQL): the size
 * of the query text when the request is read, its tokens while it is parsed, and
 * its depth, cost, aliases and directives while it is validated. A refused query
 * gets one error with `extensions.code` QUERY_TOO_COMPLEX, the limit's name and its
 * maximum, e.g. "Query depth limit of 10 exceeded, found 12." Depth, aliases,
 * directives and tokens are graphql-armor's rules (depth follows fragments whatever
 * their name: armor exempts only a field called `__schema`); the cost is
 * query-cost-rule.ts. A refused query never reaches execution, so the response
 * cache never stores it.
 */
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { MaxTokensParserWLexer, maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { QueryLimits } from '../config.js';
import { queryCostRule } from './query-cost-rule.js';

export const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

export type LimitName = 'depth' | 'cost' | 'aliases' | 'directives' | 'tokens' | 'size';

/** The error of a refused query: `message` names the limit, its maximum and what was found. */
export function limitError(limit: LimitName, max: number, message: string): GraphQLError {
  return new GraphQLError(message, {
    // 400 under application/graphql-response+json, like any request graphql-js refuses.
    extensions: { code: QUERY_TOO_COMPLEX, limit, max, http: { spec: true, status: 400 } },
  });
}

/**
 * graphql-armor's rules report "Syntax Error: … limit of N exceeded, found M." and
 * throw; instead they report our error to the validation context, so graphql-js
 * collects it with any others.
 */
function armorOptions(limit: LimitName, max: number) {
  return {
    n: max,
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        const refused = limitError(limit, max, error.message.replace(/^Syntax Error: /, ''));
        // The token limit has no validation context: it is checked while parsing.
        if (context) context.reportError(refused);
        else throw refused;
      },
    ],
  };
}

/** The size limit's error for a document text over `limits.maxBytes`, else undefined. */
export function sizeError(limits: QueryLimits, text: string): GraphQLError | undefined {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= limits.maxBytes) return undefined;
  return limitError(
    'size',
    limits.maxBytes,
    `Document size limit of ${limits.maxBytes} bytes exceeded, found ${bytes}.`,
  );
}

/** A graphql-js parser of `source` that throws the token limit's error past `limits.maxTokens`. */
export function tokenLimitedParser(limits: QueryLimits, source: string): MaxTokensParserWLexer {
  return new MaxTokensParserWLexer(source, {
    noLocation: true,
    ...armorOptions('tokens', limits.maxTokens),
  });
}

/** The validation rules of the shape limits: depth, cost, aliases and directives. */
export function limitRules(limits: QueryLimits): ValidationRule[] {
  return [
    maxDepthRule({
      ...armorOptions('depth', limits.maxDepth),
      // Fragments add no level of their own; only a field named __schema is exempt.
      flattenFragments: true,
      ignoreIntrospection: true,
    }),
    queryCostRule(limits.maxCost, (cost) =>
      limitError(
        'cost',
        limits.maxCost,
        `Query cost limit of ${limits.maxCost} exceeded, found ${cost}.`,
      ),
    ),
    // Aliases of __typename stay free, as in armor's default allow-list.
    maxAliasesRule(armorOptions('aliases', limits.maxAliases)),
    maxDirectivesRule(armorOptions('directives', limits.maxDirectives)),
  ];
}

/** The yoga plugin: size when the request is read, tokens while parsing, the rest in validation. */
export function queryLimitsPlugin(limits: QueryLimits): Plugin {
  const tokens = maxTokensPlugin(armorOptions('tokens', limits.maxTokens));
  return {
    onParams({ params, setResult }) {
      if (typeof params.query !== 'string') return;
      const tooLarge = sizeError(limits, params.query);
      if (tooLarge) setResult({ errors: [tooLarge] });
    },
    onParse: tokens.onParse,
    onValidate({ addValidationRule }) {
      for (const rule of limitRules(limits)) addValidationRule(rule);
    },
  };
}
