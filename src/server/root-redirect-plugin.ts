/**
 * GET / sends a browser on to GraphiQL (/graphql) instead of answering 404: the
 * address people type first is the server's own.
 */
import type { Plugin } from 'graphql-yoga';

export function rootRedirectPlugin(graphqlEndpoint: string): Plugin {
  return {
    onRequest(payload) {
      const { request, url, fetchAPI } = payload;
      if (url.pathname !== '/' || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      payload.endResponse(
        new fetchAPI.Response(null, {
          status: 302,
          headers: { location: graphqlEndpoint, 'cache-control': 'no-store' },
        }),
      );
    },
  };
}
