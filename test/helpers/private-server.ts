/**
 * A private MariaDB server for one test file, started with the settings under test
 * (collations, sql_mode, binary log, …) and removed with its data when `cleanup` runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/db/embedded-server.js';

export async function startPrivateServer(
  args: readonly string[],
  cleanups: (() => Promise<void>)[],
): Promise<EmbeddedServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'analytics-private-'));
  const server = await startEmbeddedServer({
    dataDir,
    searchPath: loadConfig(process.env).searchPath,
    bufferPoolMb: 64,
    fastWrites: true,
    serverArgs: args,
  });
  cleanups.push(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return server;
}
