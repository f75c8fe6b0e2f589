// Builds the dashboard (dashboard/ → dashboard/dist) when the build is missing or older
// than its sources (always with --always: `npm run build:dashboard`), so that `npm start`
// and `npm test` serve the current page without a build step of the user's. Plain JS,
// like install-if-needed.mjs.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const built = 'dashboard/dist/index.html';
const sources = [
  'dashboard/index.html',
  'dashboard/vite.config.ts',
  'dashboard/src',
  'package-lock.json',
  'scripts/build-dashboard-if-needed.mjs',
];
// The project's own Vite, never one npx would fetch.
const vite = path.join('node_modules', '.bin', 'vite');

function newest(file) {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(file).map((name) => newest(path.join(file, name))));
}

const always = process.argv.includes('--always');
const stale = !existsSync(built) || statSync(built).mtimeMs < Math.max(...sources.map(newest));
if (!always && !stale) process.exit(0);
if (!existsSync(vite)) {
  // Installed without devDependencies (NODE_ENV=production, --omit=dev): the gateway
  // runs, and its dashboard page says how to build it.
  console.warn(
    'Not building the dashboard: its build tools (devDependencies) are not installed. ' +
      'Run `npm install --include=dev && npm run build:dashboard` to serve it at /.',
  );
  if (always) process.exit(1);
  process.exit(0);
}
console.log('Building the dashboard…');
// Production whatever the caller's NODE_ENV (vitest sets "test", which would bundle
// React's development build).
execFileSync(vite, ['build', '--config', 'dashboard/vite.config.ts', '--logLevel', 'warn'], {
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production' },
});
