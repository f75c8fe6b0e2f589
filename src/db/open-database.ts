/**
 * The database a command works on: the server named by DATABASE_URL, or the
 * embedded default (a private server under the data folder) when it is unset.
 */
import type { Config } from '../config.js';
import { log } from '../logger.js';
import { startEmbeddedServer, type EmbeddedServer } from './embedded-server.js';
import { openPool, type Database } from './pool.js';

export interface OpenDatabase {
  db: Database;
  url: string;
  /** Set when the embedded default is in use. */
  embedded?: EmbeddedServer;
  close(): Promise<void>;
}

/** Opens the configured database, starting the embedded server when needed. */
export async function openDatabase(config: Config): Promise<OpenDatabase> {
  let embedded: EmbeddedServer | undefined;
  let url = config.databaseUrl;
  if (!url) {
    log.info('starting the embedded database server', { dataDir: config.dataDir });
    embedded = await startEmbeddedServer({
      dataDir: config.dataDir,
      searchPath: config.searchPath,
      bufferPoolMb: config.embeddedBufferPoolMb,
    });
    url = embedded.url;
  }
  const db = openPool(url, {
    statementTimeoutMs: config.statementTimeoutMs,
    queueTimeoutMs: config.dbQueueTimeoutMs,
  });
  return {
    db,
    url,
    embedded,
    async close() {
      await db.dispose();
      await embedded?.stop();
    },
  };
}
