/**
 * Gives malformed arguments the BAD_USER_INPUT code and names the argument, for
 * inline values (graphql-js' ValuesOfCorrectType rule, wrapped to track the
 * argument path) and for variables (graphql-js returns their coercion errors,
 * which name the variable and the path inside it, without a code).
 */
import {
  GraphQLError,
  ValuesOfCorrectTypeRule,
  specifiedRules,
  visitInParallel,
  type ASTVisitor,
  type validate,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

function withCode(error: GraphQLError, argument?: string): GraphQLError {
  return new GraphQLError(argument ? `${argument}: ${error.message}` : error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    originalError: error.originalError,
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT', ...(argument ? { argument } : {}) },
  });
}

/** ValuesOfCorrectTypeRule whose errors carry the code and the argument path (`window.from`). */
function namedValuesRule(context: ValidationContext): ASTVisitor {
  const path: string[] = [];
  const track = {
    enter: (node: { name: { value: string } }) => void path.push(node.name.value),
    leave: () => void path.pop(),
  };
  const reporting: ValidationContext = Object.create(context) as ValidationContext;
  reporting.reportError = (error) =>
    context.reportError(withCode(error, path.join('.') || undefined));
  return visitInParallel([
    { Argument: track, ObjectField: track },
    ValuesOfCorrectTypeRule(reporting),
  ]);
}

function swapRule(rules: readonly ValidationRule[]): ValidationRule[] {
  return rules.map((rule) => (rule === ValuesOfCorrectTypeRule ? namedValuesRule : rule));
}

/** The yoga plugin. */
export function badInputPlugin(): Plugin {
  return {
    onValidate({ validateFn, setValidationFn }) {
      // envelop types these loosely; they are graphql-js' own functions.
      const validateNext = validateFn as typeof validate;
      const validateWithNames: typeof validate = (schema, document, rules, ...rest) =>
        validateNext(schema, document, swapRule(rules ?? specifiedRules), ...rest);
      setValidationFn(validateWithNames);
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          // Errors with no data at all come from before execution began: variables that
          // did not coerce (or no operation to run). graphql-js gives them no code.
          if (Symbol.asyncIterator in result || result.data !== undefined || !result.errors) return;
          setResult({
            ...result,
            errors: (result.errors as readonly GraphQLError[]).map((error) =>
              error.extensions.code ? error : withCode(error),
            ),
          });
        },
      };
    },
  };
}
