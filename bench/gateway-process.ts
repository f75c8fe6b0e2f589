/**
 * The gateway under test runs as its own process, as in production: the compiled
 * build (`npm run build`, dist/) on plain node, so that its memory is its own and
 * not the TypeScript loader's. Peak RSS is read from /proc (VmHWM).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface GatewayProcess {
  url: string;
  /** The process's peak resident set so far, in MB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '..');

/** Starts `serve` on a free port against `databaseUrl`, with one key (analyst by default). */
export function startGatewayProcess(
  databaseUrl: string,
  key: string,
  { role = 'analyst', env = {} }: { role?: string; env?: Record<string, string> } = {},
): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['dist/cli.js', 'serve'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      NODE_ENV: 'production',
      API_KEYS: `${role}:${key}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/localhost:\d+\/graphql)/.exec(output);
      if (!match) return;
      resolve({
        url: match[1]!,
        peakRssMb() {
          const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
          const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
          return Math.round(kb / 1024);
        },
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
  });
}
