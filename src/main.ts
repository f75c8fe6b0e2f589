/**
 * The gateway process: config → database → migrations (and demo data on an empty
 * embedded database) → yoga → listen. SIGINT/SIGTERM drain it (requests in flight
 * finish, new ones get 503), then close all of it.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from './config.js';
import { migrateUp } from './db/migrate.js';
import { openDatabase } from './db/open-database.js';
import { assertServePrivileges } from './db/privileges.js';
import { log } from './logger.js';
import { isEmpty, seedDatabase } from './seed/generate.js';
import { cacheNamespace, ViewCache } from './cache/view-cache.js';
import { Drain } from './server/drain.js';
import { createGateway } from './server/yoga.js';
import { RollupApplier } from './rollups/applier.js';
import { ReplicaSet } from './db/replication/replica-set.js';
import { AlertWatch } from './alerts/alert-watch.js';

export interface RunningGateway {
  url: string;
  close(): Promise<void>;
}

/** Starts everything and listens on `config.port`. */
export async function startGateway(config: Config): Promise<RunningGateway> {
  const database = await openDatabase(config);
  try {
    const applied = await migrateUp(database.db);
    if (applied.length > 0) log.info('migrations applied', { applied });
    await assertServePrivileges(database.db);
    if (database.embedded && config.demoExecutions > 0 && (await isEmpty(database.db))) {
      log.info('loading demo data into the empty embedded database', {
        executions: config.demoExecutions,
      });
      const result = await seedDatabase(database.db, { executions: config.demoExecutions });
      log.info('demo data loaded', { ...result });
    }
  } catch (error) {
    await database.close();
    throw error;
  }

  const cache = ViewCache.create(config, cacheNamespace(database.url));
  // Reads go to healthy replicas once the first poll has seen them.
  const replicas = ReplicaSet.fromConfig(database.db, database.url, config);
  try {
    await replicas?.start();
  } catch (error) {
    await replicas?.close();
    await cache.backend.close();
    await database.close();
    throw error;
  }
  // Folds the rollup journal while this instance runs (one instance at a time folds).
  const applier =
    config.rollupApplierIntervalMs > 0
      ? new RollupApplier(database.db, { intervalMs: config.rollupApplierIntervalMs })
      : undefined;
  applier?.start();
  const alerts = new AlertWatch(database.db, cache, config.alertPollMs);
  const gateway = createGateway({
    alerts,
    db: database.db,
    databaseUrl: database.url,
    config,
    cache,
    applier,
    replicas,
  });
  const drain = new Drain();
  const server = http.createServer(drain.wrap(gateway.requestListener));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, resolve);
    });
  } catch (error) {
    // The port is taken (or similar): leave no pool, cache client or server behind.
    await applier?.stop();
    await replicas?.close();
    await cache.backend.close();
    await database.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}/graphql`;

  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= (async () => {
        // Alert streams end now (they would otherwise stay open through the drain); requests
        // in flight finish (the request timeout bounds them); new ones get 503.
        alerts.close();
        log.info('draining', { requestsInFlight: drain.requestsInFlight });
        const graceMs = config.requestTimeoutMs > 0 ? config.requestTimeoutMs + 5_000 : 60_000;
        if (!(await drain.drain(graceMs))) {
          log.warn('closing with requests still in flight', {
            requestsInFlight: drain.requestsInFlight,
          });
        }
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await applier?.stop();
        await replicas?.close();
        await cache.backend.close();
        await database.close();
      })();
      return closing;
    },
  };
}

/**
 * The embedded default has no API_KEYS: reads stay open and a fresh admin key,
 * printed once, lets its user try the mutations.
 */
function withGeneratedAdminKey(config: Config): { config: Config; key?: string } {
  if (config.databaseUrl || config.apiKeys.length > 0) return { config };
  const key = randomBytes(24).toString('base64url');
  return { config: { ...config, apiKeys: [{ role: 'admin', key }] }, key };
}

/** Runs until SIGINT or SIGTERM, then closes cleanly; a second signal forces the exit. */
export async function runUntilSignal(configured: Config) {
  const { config, key } = withGeneratedAdminKey(configured);
  const gateway = await startGateway(config);
  const dashboard = new URL('/', gateway.url).href;
  process.stdout.write(
    `\nAnalytics gateway ready. Dashboard: ${dashboard}  GraphiQL: ${gateway.url}\n`,
  );
  if (key) process.stdout.write(`Admin key for mutations (Authorization: Bearer …): ${key}\n`);
  process.stdout.write('\n');
  log.info('listening', { url: gateway.url });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info('shutting down', { signal });
    gateway.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('shutdown failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runUntilSignal(loadConfig(process.env)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
