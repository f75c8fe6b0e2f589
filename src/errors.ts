/** Client errors: a GraphQLError with a code and a message a person can act on. */
import { GraphQLError } from 'graphql';

/** Bad input: names the argument (`window.from`, `first`, …) in the message and extensions. */
export function badInput(argument: string, problem: string): GraphQLError {
  return new GraphQLError(`${argument}: ${problem}`, {
    extensions: { code: 'BAD_USER_INPUT', argument },
  });
}

/** A look-up of an id that does not exist; root fields turn it into null. */
export class NotFoundError extends Error {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} was not found`);
    this.name = 'NotFoundError';
  }
}
