/**
 * Once per `npm test`: a throwaway MariaDB/MySQL server in a temporary folder, or
 * the server of TEST_DATABASE_URL. Test files each create their own database on it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../src/config.js';
import { startEmbeddedServer } from '../../src/db/embedded-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `mysql://user:pass@host:port`, without a database. */
    mysqlServerUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    const url = new URL(external);
    url.pathname = '';
    project.provide('mysqlServerUrl', url.toString().replace(/\/$/, ''));
    return;
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'analytics-test-'));
  const server = await startEmbeddedServer({
    dataDir,
    searchPath: loadConfig(process.env).searchPath,
    bufferPoolMb: 256,
    fastWrites: true,
  });
  project.provide('mysqlServerUrl', server.serverUrl);
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
