/**
 * Graceful shutdown of the HTTP server. Once draining begins, requests already in
 * flight run to their end while every new one is answered at once with 503 and a
 * GraphQL-shaped body (code SHUTTING_DOWN) on a connection that is then closed, so
 * load balancers and clients move on; `/ready` says 503 too and `/health` stays 200
 * (the process is alive). The caller closes the listener and the pools after `drain()`.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

const LIVENESS_PATH = '/health';
const READINESS_PATH = '/ready';
const SHUTDOWN_MESSAGE =
  'The gateway is shutting down and takes no new requests. Retry in a moment (another instance will answer).';

function pathOf(request: IncomingMessage): string {
  return (request.url ?? '/').split('?')[0] ?? '/';
}

function refuse(request: IncomingMessage, response: ServerResponse) {
  const body =
    pathOf(request) === READINESS_PATH
      ? { status: 'unavailable', problem: 'the gateway is shutting down' }
      : { errors: [{ message: SHUTDOWN_MESSAGE, extensions: { code: 'SHUTTING_DOWN' } }] };
  response.writeHead(503, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'retry-after': '1',
    connection: 'close',
  });
  response.end(JSON.stringify(body));
}

export class Drain {
  private inFlight = 0;
  private draining = false;
  private readonly idleWaiters: (() => void)[] = [];

  /** True once drain() was called. */
  get isDraining(): boolean {
    return this.draining;
  }

  /** Requests being answered right now (refused ones not counted). */
  get requestsInFlight(): number {
    return this.inFlight;
  }

  /** Wraps the request handler: counts requests in flight, refuses new ones while draining. */
  wrap(handler: RequestListener): RequestListener {
    return (request, response) => {
      if (this.draining && pathOf(request) !== LIVENESS_PATH) {
        refuse(request, response);
        return;
      }
      this.inFlight += 1;
      // 'close' comes once the response is sent or the client went away: either ends it.
      response.once('close', () => {
        this.inFlight -= 1;
        if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      });
      handler(request, response);
    };
  }

  /**
   * Starts refusing new requests and resolves once those in flight are answered:
   * true, or false when `graceMs` ran out first.
   */
  drain(graceMs: number): Promise<boolean> {
    this.draining = true;
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), graceMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
