/**
 * Schema-driven fuzzing of the real gateway process (`src/cli.ts serve` over HTTP on a
 * seeded MariaDB database): thousands of valid documents drawn from schema.graphql with
 * random arguments (test/helpers/schema-documents.ts), four at a time. Over all of them:
 * no INTERNAL_SERVER_ERROR (or masked "Unexpected error."), no answer slower than
 * REQUEST_TIMEOUT_MS + 1 s, `{ __typename }` answering throughout, the process' RSS
 * bounded, and every refusal naming what was wrong with a known code. Mutations are
 * sent without a key, or with a viewer key: all refused, no table changed.
 *
 * FUZZ_SEED and FUZZ_RUNS replay or widen a run; both are printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from '@databases/mysql';
import fc from 'fast-check';
import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/pool.js';
import { seedDatabase } from '../src/seed/generate.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { SchemaDocuments, percent, type FuzzRequest } from './helpers/schema-documents.js';

const SEED = Number(process.env.FUZZ_SEED || 20_260_413);
const RUNS = Number(process.env.FUZZ_RUNS || 5_000);
const CONCURRENCY = 4;
const REQUEST_TIMEOUT_MS = 5_000;
const STATEMENT_TIMEOUT_MS = 3_000;
// npm start sets no heap ceiling (a ceiling would turn a large valid answer into a crash):
// V8 then collects lazily, and 5 000 documents measured 300–410 MB with a live heap near
// 130 MB. A leak of 100 KB a request passes this bound within the run.
const MAX_RSS_MB = 768;
const PROBE_EVERY_MS = 100;
const MUTATION_SHARE = 0.03;

const KEYS = { viewer: 'viewer-fuzz-key-0123456789', admin: 'admin-fuzz-key-0123456789abc' };
const DATA = { users: 40, reports: 150, executions: 3_000 };
/** Codes a refusal may carry here (no Redis, no rate limit, no backup mutation reachable). */
const KNOWN_CODES = new Set([
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'QUERY_TOO_COMPLEX',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'QUERY_TIMEOUT',
  'REQUEST_TIMEOUT',
  'DB_BUDGET_EXCEEDED',
  'DATABASE_BUSY',
]);
// Requests of issue 13 that froze the process or answered 50 MB, mixed in now and then.
const NESTED = 'explain(view:"reportsSummary", args:{after:$after}, selection:$after){view}';
const RECURSION = `{ totalCount } e0: ${NESTED} e1: ${NESTED}`;
const ISSUE_REQUESTS: FuzzRequest[] = [
  {
    operation: 'query',
    query: 'query($s:String,$a:JSON){explain(view:"reportsSummary",args:$a,selection:$s){view}}',
    variables: { s: RECURSION, a: { after: RECURSION } },
    rootFields: ['explain'],
  },
  {
    operation: 'query',
    query: `{ executionMetrics(window:{last:"P416D"}, granularity:HOUR, groupBy:[PROVIDER,CATEGORY],
      fillGaps:true) { bucketStart provider category executions totalOutputBytes } }`,
    variables: {},
    rootFields: ['executionMetrics'],
  },
];
/** The data tables a mutation would change. */
const DATA_TABLES = ['users', 'reports', 'report_executions'];

let database: TestDatabase;
let gateway: Gateway;
const backupDir = mkdtempSync(path.join(os.tmpdir(), 'schema-fuzz-backups-'));

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDatabase(database.db, { ...DATA, seed: 7 });
  gateway = await serve(database.url);
});

afterAll(async () => {
  if (gateway?.child.exitCode === null) gateway.child.kill('SIGKILL');
  await database?.drop();
  rmSync(backupDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- the gateway process

interface Gateway {
  child: ChildProcess;
  url: string;
  /** The process' JSON log lines at level warn or error. */
  problems: Record<string, unknown>[];
  /** The last lines the process wrote. */
  tail: () => string[];
}

/** The arguments `npm start` gives node (package.json), so the process runs as users run it. */
function startArguments(): string[] {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
    scripts: { start: string };
  };
  const [node, ...args] = manifest.scripts.start.trim().split(/\s+/);
  if (node !== 'node') throw new Error(`npm start runs ${node}, not node`);
  return args;
}

function serve(databaseUrl: string): Promise<Gateway> {
  const child = spawn(process.execPath, startArguments(), {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      API_KEYS: `viewer:${KEYS.viewer},admin:${KEYS.admin}`,
      CACHE_URL: '',
      RATE_LIMIT_PER_MINUTE: '',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '',
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      BACKUP_DIR: backupDir,
      BACKUP_SIGNING_KEY: 'schema-fuzz-signing-key-0123456789abcdef',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let partial = '';
  const problems: Record<string, unknown>[] = [];
  const tail: string[] = [];
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      // Keep the start (for a failed start) and the problems; drop routine lines.
      if (output.length < 100_000) output += text;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        tail.push(line.slice(0, 2_000));
        if (tail.length > 20) tail.shift();
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry.level === 'error' || entry.level === 'warn') problems.push(entry);
      }
      const match = /GraphiQL: (http:\/\/localhost:\d+\/graphql)/.exec(output);
      if (match) resolve({ child, url: match[1]!, problems, tail: () => tail });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
}

/** The process' resident set in MB, from /proc (0 once it has exited). */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kb ?? 0) / 1024;
}

/** Fails the run with the gateway's last log lines once its process has exited. */
function checkAlive(): void {
  if (gateway.child.exitCode === null && gateway.child.signalCode === null) return;
  throw new Error(
    `the gateway exited (${gateway.child.exitCode ?? gateway.child.signalCode}) during the run; ` +
      `its last log lines:\n${gateway.tail().join('\n')}`,
  );
}

// ---------------------------------------------------------------- requests

type Auth = 'admin' | 'viewer' | 'none';

interface GraphQLErrorBody {
  message?: unknown;
  extensions?: Record<string, unknown>;
}
interface Body {
  data?: Record<string, unknown> | null;
  errors?: GraphQLErrorBody[];
}
interface Answer {
  status: number;
  body: Body | undefined;
  text: string;
  ms: number;
}

async function post(
  query: string,
  variables: Record<string, unknown>,
  auth: Auth,
  noCache = false,
): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(auth === 'none' ? {} : { authorization: `Bearer ${KEYS[auth]}` }),
        ...(noCache ? { 'cache-control': 'no-cache' } : {}),
      },
      body: JSON.stringify({ query, variables }),
      // Far past the gateway's own limit: a hung request is recorded, not waited on forever.
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS + 30_000),
    });
    const text = await response.text();
    let body: Body | undefined;
    try {
      body = JSON.parse(text) as Body;
    } catch {
      body = undefined;
    }
    return { status: response.status, body, text, ms: performance.now() - started };
  } catch (error) {
    return { status: 0, body: undefined, text: String(error), ms: performance.now() - started };
  }
}

/** Runs a setup request that must succeed and returns its data. */
async function setup(query: string, variables: Record<string, unknown> = {}) {
  const answer = await post(query, variables, 'admin');
  expect(answer.body?.errors, answer.text).toBeUndefined();
  return answer.body!.data!;
}

interface Sent {
  request: FuzzRequest;
  auth: Auth;
  noCache: boolean;
}

// ---------------------------------------------------------------- judging answers

/** What is wrong with one error of a refusal, or undefined when it names its problem. */
function unnamed(error: GraphQLErrorBody, sent: Sent): string | undefined {
  const code = error.extensions?.code;
  if (typeof error.message !== 'string' || error.message.trim() === '') return 'empty message';
  if (typeof code !== 'string' || !KNOWN_CODES.has(code)) return `code ${String(code)}`;
  if (code !== 'BAD_USER_INPUT') return undefined;
  // badInput(argument, problem): "argument: problem" with extensions.argument.
  const argument = error.extensions?.argument;
  if (typeof argument === 'string' && argument !== '') {
    const head = argument.split(/[.[]/)[0]!; // filter.reportIds[2] → filter, nodeIds[0] → nodeIds
    if (!error.message.startsWith(`${argument}: `)) return 'message does not start with argument';
    // In the text, or inside a variable (explain's args hold a view's arguments).
    const sentText = sent.request.query + JSON.stringify(sent.request.variables);
    if (!sentText.includes(head)) return `argument ${argument} is not in the request`;
    return undefined;
  }
  // A variable that did not coerce: graphql-js names it.
  const variable = /^Variable "\$(\w+)"/.exec(error.message)?.[1];
  if (variable && variable in sent.request.variables) return undefined;
  return 'BAD_USER_INPUT names no argument or variable';
}

const isInternal = (error: GraphQLErrorBody) =>
  error.extensions?.code === 'INTERNAL_SERVER_ERROR' ||
  (typeof error.message === 'string' && /unexpected error/i.test(error.message));

interface Problem {
  kind: string;
  sent: Sent;
  answer: Answer;
}

function describeProblem({ kind, sent, answer }: Problem): string {
  const requestIds = (answer.body?.errors ?? [])
    .map((e) => e.extensions?.requestId)
    .filter((id): id is string => typeof id === 'string');
  const logs = gateway.problems.filter((line) => requestIds.includes(line.requestId as string));
  return [
    `— ${kind} (HTTP ${answer.status}, ${answer.ms.toFixed(0)} ms, key ${sent.auth}, no-cache ${sent.noCache})`,
    `  query: ${sent.request.query.slice(0, 3_000)}`,
    `  variables: ${JSON.stringify(sent.request.variables).slice(0, 3_000)}`,
    `  answer: ${answer.text.slice(0, 2_000)}`,
    ...logs.map((line) => `  log: ${JSON.stringify(line).slice(0, 4_000)}`),
  ].join('\n');
}

// ---------------------------------------------------------------- the run

describe('schema-driven fuzzing of the live gateway', () => {
  it(
    `answers or names the refusal of ${RUNS} random valid documents, staying responsive and bounded`,
    { timeout: 600_000 },
    async () => {
      console.log(`schema fuzz: seed ${SEED} (FUZZ_SEED), runs ${RUNS} (FUZZ_RUNS)`);
      const pid = gateway.child.pid!;

      // Something for `backups` to list, and real cursors to mangle.
      await setup('mutation { createBackup(verify: false) { id } }');
      const pages = await setup(`{
        reportsSummary(first: 3) { edges { cursor } }
        userActivity(first: 3) { edges { cursor } }
        recentExecutions(first: 3) { edges { cursor } }
      }`);
      const cursors = Object.fromEntries(
        Object.entries(pages).map(([view, page]) => [
          view,
          (page as { edges: { cursor: string }[] }).edges.map((e) => e.cursor),
        ]),
      );
      // nodeIds of rows of views, to refetch and to forge from.
      const rows = await setup(`{
        reportsSummary(first: 2) { edges { node { nodeId } } }
        executionMetrics(granularity: WEEK) { nodeId }
        executionTrends { nodeId slots { nodeId } }
        performanceAlerts(first: 2) { nodeId }
        providerPerformance { nodeId }
      }`);
      const viewNodeIds = JSON.stringify(rows)
        .match(/"nodeId":"[^"]+"/g)!
        .map((m) => m.slice(10, -1));
      const catalog = (await setup('{ viewCatalog { name } }')).viewCatalog as { name: string }[];
      const schema = buildSchema(readFileSync('schema.graphql', 'utf8'));
      const documents = new SchemaDocuments(
        schema,
        { ...DATA, cursors, viewNodeIds },
        catalog.map((v) => v.name),
      );
      const sends = fc.sample(
        fc.record({
          request: fc.oneof(
            { weight: 499, arbitrary: documents.request(MUTATION_SHARE) },
            { weight: 1, arbitrary: fc.constantFrom(...ISSUE_REQUESTS) },
          ),
          key: percent,
          noCache: fc.boolean(),
        }),
        { seed: SEED, numRuns: RUNS },
      );
      const plan: Sent[] = sends.map(({ request, key, noCache }) => ({
        request,
        noCache,
        // Queries mostly as admin (backups needs it), some as viewer or without a key;
        // mutations never with a key that may run them.
        auth:
          request.operation === 'mutation'
            ? key < 80
              ? 'none'
              : 'viewer'
            : key < 80
              ? 'admin'
              : key < 97
                ? 'viewer'
                : 'none',
      }));

      const checksums = async () =>
        queryRows<{ Table: string; Checksum: string | null }>(
          database.db,
          sql`CHECKSUM TABLE ${sql.join(
            DATA_TABLES.map((t) => sql.ident(t)),
            ', ',
          )}`,
        );
      const tablesBefore = await checksums();
      const backupsBefore = readdirSync(backupDir).sort();

      // The side loop: `{ __typename }` every ~100 ms, and the RSS with it.
      let running = true;
      const probes: Answer[] = [];
      const rss: number[] = [rssMb(pid)];
      const sideLoop = (async () => {
        while (running && gateway.child.exitCode === null) {
          probes.push(await post('{ __typename }', {}, 'viewer'));
          rss.push(rssMb(pid));
          await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
        }
      })();

      const answers: Answer[] = new Array<Answer>(plan.length);
      let next = 0;
      const started = performance.now();
      const worker = async () => {
        while (next < plan.length) {
          const index = next++;
          const { request, auth, noCache } = plan[index]!;
          const answer = await post(request.query, request.variables, auth, noCache);
          answers[index] = answer;
          checkAlive();
          // No answer at all: the gateway is stuck; judge what was sent so far.
          if (answer.status === 0) next = plan.length;
        }
      };
      try {
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      } finally {
        running = false;
        await sideLoop;
      }
      const seconds = (performance.now() - started) / 1000;
      const maxRss = Math.max(...rss);
      // The RSS at each tenth of the run: a plateau or a climb.
      const rssCurve = Array.from({ length: 10 }, (_, i) =>
        rss[Math.floor(((i + 1) * (rss.length - 1)) / 10)]!.toFixed(0),
      );

      // ------------------------------------------------------------ tally
      const problems: Problem[] = [];
      const refusedBy = new Map<string, number>();
      const answeredFields = new Set<string>();
      let answered = 0;
      let partial = 0;
      let maxMs = 0;
      plan.forEach((sent, index) => {
        const answer = answers[index];
        if (!answer) return;
        maxMs = Math.max(maxMs, answer.ms);
        const add = (kind: string) => problems.push({ kind, sent, answer });
        if (answer.ms > REQUEST_TIMEOUT_MS + 1_000) add(`slow: ${answer.ms.toFixed(0)} ms`);
        if (!answer.body || answer.status === 0 || answer.status >= 500) {
          add(`HTTP ${answer.status} without a GraphQL answer`);
          return;
        }
        const errors = answer.body.errors ?? [];
        for (const error of errors) {
          if (isInternal(error)) add('internal error');
          else {
            const why = unnamed(error, sent);
            if (why) add(`refusal does not name its problem: ${why}`);
          }
        }
        const codes = new Set(errors.map((e) => String(e.extensions?.code)));
        for (const code of codes) refusedBy.set(code, (refusedBy.get(code) ?? 0) + 1);
        const data = answer.body.data;
        if (sent.request.operation === 'mutation') {
          // Refused, or left out by @skip / @include: nothing ran either way.
          if (data && Object.values(data).some((v) => v !== null)) {
            add('a mutation without a key that may run it was not refused');
          }
          return;
        }
        if (data && errors.length === 0) {
          answered += 1;
          for (const field of sent.request.rootFields) answeredFields.add(field);
        } else if (data && Object.values(data).some((v) => v !== null)) partial += 1;
      });
      const failedProbes = probes.filter(
        (p) => p.status !== 200 || p.body?.data?.__typename !== 'Query',
      );
      const kinds = new Map<string, number>();
      for (const p of problems) kinds.set(p.kind, (kinds.get(p.kind) ?? 0) + 1);

      console.log(
        [
          `schema fuzz: seed ${SEED}, ${answers.filter(Boolean).length} of ${RUNS} documents ` +
            `sent in ${seconds.toFixed(1)} s ` +
            `(${plan.filter((s) => s.request.operation === 'mutation').length} mutations)`,
          `  answered with data: ${answered}, partly answered: ${partial}`,
          `  refusals by code: ${JSON.stringify(Object.fromEntries(refusedBy))}`,
          `  root fields answered: ${answeredFields.size} of ${Object.keys(schema.getQueryType()!.getFields()).length}`,
          `  max latency: ${maxMs.toFixed(0)} ms (limit ${REQUEST_TIMEOUT_MS + 1_000})`,
          `  max RSS: ${maxRss.toFixed(0)} MB (limit ${MAX_RSS_MB}); by tenths: ${rssCurve.join(' ')}`,
          `  __typename probes: ${probes.length}, failed ${failedProbes.length}, ` +
            `slowest ${Math.max(...probes.map((p) => p.ms)).toFixed(0)} ms`,
          `  problems: ${JSON.stringify(Object.fromEntries(kinds))}`,
          ...problems.slice(0, 8).map(describeProblem),
        ].join('\n'),
      );

      expect(problems.map((p) => p.kind)).toEqual([]);
      expect(probes.length).toBeGreaterThan(0);
      expect(failedProbes.map((p) => p.text)).toEqual([]);
      expect(maxRss).toBeLessThan(MAX_RSS_MB);
      expect(maxMs).toBeLessThanOrEqual(REQUEST_TIMEOUT_MS + 1_000);
      // Not vacuous: most queries are answered, over every root field.
      expect(answered).toBeGreaterThan(RUNS * 0.2);
      const rootFields = Object.keys(schema.getQueryType()!.getFields()).sort();
      if (RUNS >= 1_000) expect([...answeredFields].sort()).toEqual(rootFields);
      // The mutations changed nothing.
      expect(await checksums()).toEqual(tablesBefore);
      expect(readdirSync(backupDir).sort()).toEqual(backupsBefore);
      checkAlive();
    },
  );
});
