/**
 * Writes schema.graphql from the Pothos schema; with --check, fails when the
 * committed file is out of date instead of writing it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSchemaSdl } from './index.js';

const file = fileURLToPath(new URL('../../schema.graphql', import.meta.url));
const printed = printSchemaSdl();

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(file, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (committed !== printed) {
    process.stderr.write(
      'schema.graphql is out of date: run `npm run schema:print` and commit it.\n',
    );
    process.exit(1);
  }
} else {
  writeFileSync(file, printed);
}
