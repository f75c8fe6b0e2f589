/**
 * Liveness and readiness for load balancers and orchestrators, answered before
 * anything else and open to every caller: GET /health is 200 while the process
 * runs (it touches nothing), GET /ready is 200 when the database answers
 * `SELECT 1` in time and 503 otherwise, with a short reason (an error code, never
 * a message, stack or credentials), and with read replicas each one's state.
 */
import { sql } from '@databases/mysql';
import type { Plugin } from 'graphql-yoga';
import type { Database } from '../db/pool.js';
import type { ReplicaSet } from '../db/replication/replica-set.js';
import { log } from '../logger.js';

export const HEALTH_PATH = '/health';
export const READY_PATH = '/ready';
const READY_TIMEOUT_MS = 2_000;

export interface DatabaseProblem {
  /** For the client: what failed, with the driver's error code at most. */
  problem: string;
  /** For the log: the driver's message, which may name the host, user or database. */
  detail?: string;
}

/** Why the database is not ready, or undefined when it answered `SELECT 1` in time. */
export async function databaseProblem(
  db: Database,
  timeoutMs = READY_TIMEOUT_MS,
): Promise<DatabaseProblem | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<DatabaseProblem>((resolve) => {
    timer = setTimeout(
      () => resolve({ problem: `the database did not answer SELECT 1 within ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  // A query still waiting after the timeout finishes (or fails) unobserved.
  const query = Promise.resolve()
    .then(() => db.query(sql`SELECT 1`))
    .then(
      () => undefined,
      (error: unknown): DatabaseProblem => {
        const code = (error as { code?: unknown } | null)?.code;
        return {
          problem:
            typeof code === 'string'
              ? `the database refused SELECT 1 (${code})`
              : 'the database connection pool cannot run SELECT 1',
          detail: error instanceof Error ? error.message : String(error),
        };
      },
    );
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthPlugin(
  db: Database,
  replicas?: ReplicaSet,
  readyTimeoutMs = READY_TIMEOUT_MS,
): Plugin {
  let wasReady = true;
  const json = (fetchAPI: { Response: typeof Response }, status: number, body: object) =>
    new fetchAPI.Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    });
  return {
    async onRequest(payload) {
      const { request, url, fetchAPI } = payload;
      if (request.method !== 'GET') return;
      if (url.pathname === HEALTH_PATH) {
        payload.endResponse(json(fetchAPI, 200, { status: 'ok' }));
      } else if (url.pathname === READY_PATH) {
        const failure = await databaseProblem(db, readyTimeoutMs);
        // Replicas out of service do not make the gateway unready: reads fall back to the primary.
        const replicaStates = replicas ? { replicas: replicas.report() } : {};
        // Probes come every few seconds: log changes, not every answer.
        if (failure && wasReady) log.warn('not ready', { ...failure });
        if (!failure && !wasReady) log.info('ready again');
        wasReady = !failure;
        payload.endResponse(
          failure
            ? json(fetchAPI, 503, {
                status: 'unavailable',
                problem: failure.problem,
                ...replicaStates,
              })
            : json(fetchAPI, 200, { status: 'ok', ...replicaStates }),
        );
      }
    },
  };
}
