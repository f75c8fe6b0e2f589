/** Builds the dashboard when its build is missing or stale (as `npm test`'s pretest does). */
import { execFileSync } from 'node:child_process';

export function buildDashboard(): void {
  execFileSync(process.execPath, ['scripts/build-dashboard-if-needed.mjs'], { stdio: 'inherit' });
}
