/**
 * Refuses every operation (subscriptions included) of a caller with an unknown key, and
 * every operation of an anonymous caller when API_KEYS is set, before anything is resolved.
 */
import type { ExecutionArgs } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { mayRead, unauthenticated } from './auth.js';
import type { GatewayContext } from './context.js';

/** The refusal for a caller who may not read, or undefined when it may. */
function refusal(args: unknown) {
  const context = (args as ExecutionArgs).contextValue as GatewayContext;
  if (mayRead(context.caller, context.config.readsNeedKey)) return undefined;
  return {
    errors: [
      unauthenticated(
        context.caller.invalidKey
          ? 'The API key is not valid.'
          : 'An API key is required: send Authorization: Bearer <key>.',
      ),
    ],
  };
}

export function readGatePlugin(): Plugin<GatewayContext> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const refused = refusal(args);
      if (refused) setResultAndStopExecution(refused);
    },
    // Subscriptions (alertRaised) start here, not in onExecute.
    onSubscribe({ args, setResultAndStopExecution }) {
      const refused = refusal(args);
      if (refused) setResultAndStopExecution(refused);
    },
  };
}
