/**
 * Hides graphql-js' suggestions ("Did you mean "reportsSummary"?", "Did you mean
 * the enum value "AWS"?"), which would let a caller map the schema by trial and
 * error while introspection is off. graphql-armor's block-field-suggestions masks
 * only the first form and only in validation errors; variables that do not coerce
 * are reported at execution with the same suggestions. This plugin sees every
 * result, whatever the phase that failed.
 */
import type { Plugin } from 'graphql-yoga';

export const SUGGESTION_HIDDEN = '[Suggestion hidden]';
const SUGGESTION = /Did you mean [^?]*\?/g;

/** The message without its suggestions. */
export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, SUGGESTION_HIDDEN);
}

export function hideSuggestionsPlugin(): Plugin {
  return {
    onExecutionResult({ result }) {
      if (!result || Symbol.asyncIterator in result) return;
      for (const error of result.errors ?? []) {
        // In place: parse and validation errors are cached and shared, and this is idempotent.
        if (error.message.includes('Did you mean')) {
          (error as { message: string }).message = withoutSuggestions(error.message);
        }
      }
    },
  };
}
