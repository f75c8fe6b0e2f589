// Builds the dashboard (dashboard/ → dashboard/dist) when the build is missing or older
// than its sources, so that `npm start` and `npm test` serve the current page without a
// build step of the user's. Plain JS, like install-if-needed.mjs.
import { execSync } from 'node:child_process';
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

function newest(file) {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(file).map((name) => newest(path.join(file, name))));
}

const stale = !existsSync(built) || statSync(built).mtimeMs < Math.max(...sources.map(newest));
if (stale) {
  console.log('Building the dashboard…');
  // Production whatever the caller's NODE_ENV (vitest sets "test", which would bundle
  // React's development build).
  execSync('npx vite build --config dashboard/vite.config.ts --logLevel warn', {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
