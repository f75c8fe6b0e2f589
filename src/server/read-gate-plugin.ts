/**
 * Refuses every operation of a caller with an unknown key, and every operation of
 * an anonymous caller when API_KEYS is set, before anything is resolved.
 */
import type { ExecutionArgs } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { mayRead, unauthenticated } from './auth.js';
import type { GatewayContext } from './context.js';

export function readGatePlugin(): Plugin<GatewayContext> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const context = (args as ExecutionArgs).contextValue as GatewayContext;
      if (mayRead(context.caller, context.config.readsNeedKey)) return;
      setResultAndStopExecution({
        errors: [
          unauthenticated(
            context.caller.invalidKey
              ? 'The API key is not valid.'
              : 'An API key is required: send Authorization: Bearer <key>.',
          ),
        ],
      });
    },
  };
}
