/**
 * Refuses request bodies over the configured size with 413 before they are parsed:
 * by Content-Length when the client sends one, else by counting the streamed bytes
 * (reading stops at the limit, so memory stays bounded by it).
 */
import type { Plugin } from 'graphql-yoga';

async function streamedLength(request: Request, max: number): Promise<number> {
  const reader = request.clone().body?.getReader();
  if (!reader) return 0;
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return total;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      return total;
    }
  }
}

export function bodyLimitPlugin(maxBytes: number): Plugin {
  return {
    async onRequest(payload) {
      const { request, fetchAPI } = payload;
      if (request.method !== 'POST') return;
      const declared = request.headers.get('content-length');
      const length = declared === null ? await streamedLength(request, maxBytes) : Number(declared);
      if (length > maxBytes) {
        payload.endResponse(
          new fetchAPI.Response(`Request body over the ${maxBytes}-byte limit.\n`, { status: 413 }),
        );
      }
    },
  };
}
