/**
 * Hostile arguments for every argument of every view (filters, windows, cursors, page
 * sizes, orders, thresholds) and of the look-ups: SQL injection, LIKE wildcards,
 * unicode quotes, backslashes, NUL bytes, huge and malformed numbers, very long
 * strings, forged cursors. Sent as variables and as inline literals, from a fixed
 * seed. Each request must be answered or refused with a client error: never a 500,
 * never a masked INTERNAL error, never SQL text; and no table may change.
 */
import { sql } from '@databases/mysql';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryOne, queryRows } from '../src/db/pool.js';
import { REPORTS_SUMMARY_ORDER_FIELDS } from '../src/views/reports-summary.js';
import { USER_ACTIVITY_ORDER_FIELDS } from '../src/views/user-activity.js';
import { insertExecution, insertReport, insertUser } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

let gateway: TestGateway;
const ids: Record<string, string> = {};

beforeAll(async () => {
  gateway = await createTestGateway();
  const { db } = gateway;
  ids.alice = await insertUser(db, { display_name: "O'Brien \\ ’quoted’", role: 'admin' });
  ids.bob = await insertUser(db, { display_name: '100% _under_' });
  ids.aws = await insertReport(db, { name: "it's 50% done", provider: 'aws', owner_id: ids.alice });
  ids.gcp = await insertReport(db, { name: 'gcp', provider: 'gcp', category: 'security' });
  const hour = 3_600_000;
  for (let i = 0; i < 24; i += 1) {
    await insertExecution(db, i % 3 ? ids.aws : ids.gcp, new Date(Date.now() - i * 7 * hour), {
      status: i % 4 === 0 ? 'failed' : 'success',
      executed_by: i % 2 ? ids.alice : ids.bob,
      duration_ms: i % 5 === 0 ? 900_000 : 1_000 * i,
      output_size_bytes: 1024 * i,
    });
  }
});
afterAll(() => gateway.drop());

// ---------------------------------------------------------------- values and their encodings

/** A number token sent exactly as written (beyond what a JS number can say). */
class Raw {
  constructor(readonly text: string) {}
}
/** An enum value: a bare name inline, a string in variables. */
class Enum {
  constructor(readonly name: string) {}
}
type Value = string | number | boolean | null | Raw | Enum | Value[] | { [field: string]: Value };

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** The value as a GraphQL literal. */
function literal(value: Value): string {
  if (value instanceof Raw) return value.text;
  if (value instanceof Enum) return NAME.test(value.name) ? value.name : JSON.stringify(value.name);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value)
      .map(([field, v]) => `${field}: ${literal(v)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** The value as JSON text, raw tokens included as written (1e309 arrives as Infinity). */
function json(value: Value): string {
  if (value instanceof Raw) return value.text;
  if (value instanceof Enum) return JSON.stringify(value.name);
  if (Array.isArray(value)) return `[${value.map(json).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([field, v]) => `${JSON.stringify(field)}:${json(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

// ---------------------------------------------------------------- hostile inputs

const NASTY = [
  "' OR '1'='1",
  "1' OR '1'='1' -- ",
  '1 OR 1=1',
  '1; DROP TABLE report_executions; --',
  "1'); DELETE FROM users; --",
  '1 UNION SELECT email FROM users',
  "' UNION SELECT NULL, @@version -- ",
  '1 AND SLEEP(5)',
  "'; SET GLOBAL read_only = 1; --",
  '%',
  '_',
  '%_%',
  '%%%',
  'a%',
  '\\',
  "\\'",
  '\\\\',
  '\\x27',
  '\\0',
  '’ OR ‘1’=‘1',
  '＇ OR ＇1＇=＇1',
  '＂; DROP TABLE users; ＂',
  '\u0000',
  '1\u0000',
  '\u0000; DROP TABLE users',
  '99999999999999999999999',
  '18446744073709551615',
  '18446744073709551616',
  '9223372036854775808',
  '-1',
  '0',
  '00',
  '01',
  '1e309',
  '1e3',
  '0x1',
  '0b1',
  '1.0',
  ' 1',
  '1 ',
  '+1',
  '１',
  '١',
  'NaN',
  'Infinity',
  'null',
  'NULL',
  'undefined',
  'true',
  '',
  ' ',
  '\n',
  '\r\n1',
  '/*',
  '*/',
  '#',
  '--',
  ';',
  '`id`',
  '"id"',
  '\u202e1',
  '😀',
  '\ud800',
  '${jndi:ldap://x}',
  '{{7*7}}',
  'a'.repeat(100_000),
  '9'.repeat(400),
];

const nasty = fc.constantFrom(...NASTY);
const anyString = fc.oneof(
  { weight: 3, arbitrary: nasty },
  { weight: 1, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }) },
);
const RAW_NUMBERS = [
  '99999999999999999999999',
  '18446744073709551616',
  '9223372036854775808',
  '2147483648',
  '-2147483649',
  '1e309',
  '-1e309',
  '1E400',
  '1.5',
  '-0',
  '0.0000001',
].map((text) => new Raw(text));
const rawNumber = fc.constantFrom(...RAW_NUMBERS);

// Mostly well-formed (so that the SQL runs with extreme values), often hostile.
const id: fc.Arbitrary<Value> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('1', '2', '3', '4294967296', '18446744073709551615') },
  { weight: 4, arbitrary: fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }).map(String) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: anyString },
  { weight: 1, arbitrary: rawNumber },
);
const list = (item: fc.Arbitrary<Value>): fc.Arbitrary<Value> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.array(item, { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: item },
    { weight: 1, arbitrary: fc.array(item, { minLength: 500, maxLength: 2_000 }) },
  );
const enumOf = (...values: string[]): fc.Arbitrary<Value> =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...values).map((name) => new Enum(name)) },
    { weight: 1, arbitrary: anyString.map((name) => new Enum(name)) },
    { weight: 1, arbitrary: anyString },
  );
const int: fc.Arbitrary<Value> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(0, 1, 2, 10, 50, 100, 500) },
  { weight: 2, arbitrary: fc.constantFrom(-1, 501, 2_147_483_647, -2_147_483_648) },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: rawNumber },
  { weight: 1, arbitrary: anyString },
);
const float: fc.Arbitrary<Value> = fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
  { weight: 3, arbitrary: fc.constantFrom(-0.1, 0, 0.2, 0.5, 1, 1.1, 1e308, -1e308, 5e-324) },
  { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 2, arbitrary: rawNumber },
  { weight: 1, arbitrary: anyString },
);
const bool: fc.Arbitrary<Value> = fc.oneof(
  { weight: 6, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: anyString },
  { weight: 1, arbitrary: fc.constant(new Raw('1')) },
);

const DATES = [
  new Date(Date.now() - 86_400_000).toISOString(),
  new Date(Date.now() - 40 * 86_400_000).toISOString(),
  new Date().toISOString(),
  '2026-01-01T00:00:00.000Z',
  '0001-01-01T00:00:00Z',
  '1000-01-01T00:00:00Z',
  '1969-12-31T23:59:59.999Z',
  '1970-01-01T00:00:00Z',
  '2038-01-19T03:14:08Z',
  '9999-12-31T23:59:59.999Z',
  '2024-02-29T00:00:00Z',
  '2023-02-29T00:00:00Z',
  '2024-01-01T24:00:00Z',
  '2024-01-01T00:00:60Z',
  '2024-01-01T00:00:00+14:00',
  '2024-01-01T00:00:00-12:00',
  '2024-01-01T00:00:00.123456789Z',
  '2024-01-01',
  '2024-01-01 00:00:00',
  "2024-01-01T00:00:00Z' OR '1'='1",
];
const DURATIONS = [
  'P90D',
  'PT1H',
  'P1W',
  'P5Y',
  'P5Y1D',
  'P0D',
  'PT0S',
  'P-1D',
  '-P1D',
  'PT0.5S',
  'PT0.0000001S',
  'P1.5D',
  'P1,5D',
  'P99999999999999999999Y',
  'PT99999999999999999999H',
  'P1Y2M3W4DT5H6M7.8S',
  'PT1e309S',
  'P',
  'PT',
  'P1DT',
];
const dateTime = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...DATES) },
  { weight: 1, arbitrary: anyString },
);
const window: fc.Arbitrary<Value> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      {
        from: fc.oneof(dateTime, fc.constant(null)),
        to: fc.oneof(dateTime, fc.constant(null)),
        last: fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...DURATIONS) },
          { weight: 1, arbitrary: anyString },
          { weight: 1, arbitrary: fc.constant(null) },
        ),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: anyString },
);

const cursorOf = (fields: Record<string, unknown>) =>
  Buffer.from(JSON.stringify(fields)).toString('base64url');
const CURSORS = [
  ...['reportsSummary', 'userActivity'].flatMap((v) => [
    cursorOf({ v, o: 0 }),
    cursorOf({ v, o: -1 }),
    cursorOf({ v, o: 1.5 }),
    cursorOf({ v, o: 9_007_199_254_740_991 }),
    cursorOf({ v, o: 1e308 }),
    cursorOf({ v, o: '1; DROP TABLE users' }),
    cursorOf({ v, o: null }),
  ]),
  ...[
    { t: Date.now(), i: '1' },
    { t: 0, i: '18446744073709551615' },
    { t: 0, i: '99999999999999999999' },
    { t: -62_167_219_200_000, i: '1' },
    { t: 8.64e15, i: '1' },
    { t: -8.64e15, i: '1' },
    { t: 9_007_199_254_740_991, i: '1' },
    { t: -9_007_199_254_740_991, i: '1' },
    { t: 0, i: "1' OR '1'='1" },
    { t: 0, i: 1 },
    { t: '0', i: '1' },
  ].map((position) => cursorOf({ v: 'recentExecutions', ...position })),
  cursorOf({ v: "reportsSummary' OR 1=1", o: 0 }),
  Buffer.from('not json at all').toString('base64url'),
  Buffer.from('{"v":"reportsSummary","o":0').toString('base64url'),
  '=====',
  '!!!!',
];
const cursor = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fc.constantFrom(...CURSORS) },
  { weight: 1, arbitrary: anyString },
);

const PROVIDERS = ['AWS', 'AZURE', 'GCP', 'OCI', 'MULTI'];
const CATEGORIES = ['INFRASTRUCTURE', 'SECURITY', 'COMPLIANCE', 'COST', 'PERFORMANCE', 'CUSTOM'];
const STATUSES = ['QUEUED', 'RUNNING', 'SUCCESS', 'FAILED', 'CANCELLED'];

const optional = <T extends Value>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 6, arbitrary }, { weight: 1, arbitrary: fc.constant(null) });

const reportFilter: fc.Arbitrary<Value> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        reportIds: list(id),
        categories: list(enumOf(...CATEGORIES)),
        providers: list(enumOf(...PROVIDERS)),
        ownerIds: list(id),
        active: optional(bool),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: anyString },
);
const executionFilter: fc.Arbitrary<Value> = fc.record(
  {
    reportIds: list(id),
    executedByIds: list(id),
    statuses: list(enumOf(...STATUSES)),
    providers: list(enumOf(...PROVIDERS)),
    categories: list(enumOf(...CATEGORIES)),
  },
  { requiredKeys: [] },
);
const userFilter: fc.Arbitrary<Value> = fc.record(
  { userIds: list(id), roles: list(enumOf('VIEWER', 'ANALYST', 'ADMIN')) },
  { requiredKeys: [] },
);
const order = (...fields: string[]): fc.Arbitrary<Value> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record(
        { field: enumOf(...fields), direction: enumOf('ASC', 'DESC') },
        { requiredKeys: ['field'] },
      ),
    },
    { weight: 1, arbitrary: anyString },
  );

// ---------------------------------------------------------------- the views

interface Argument {
  type: string;
  value: fc.Arbitrary<Value>;
}
interface Field {
  name: string;
  selection: string;
  args: Record<string, Argument>;
}

const METRICS = 'executions successes failures successRate avgDurationMs totalOutputBytes';
const REPORT = 'report { id name provider category owner { id email displayName } }';
const FIELDS: Field[] = [
  {
    name: 'reportsSummary',
    selection: `{ totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${REPORT} ${METRICS} cancelled maxDurationMs lastExecutedAt } } }`,
    args: {
      window: { type: 'TimeWindow', value: window },
      filter: { type: 'ReportFilter', value: reportFilter },
      orderBy: {
        type: 'ReportsSummaryOrder',
        value: order(...REPORTS_SUMMARY_ORDER_FIELDS),
      },
      first: { type: 'Int', value: int },
      after: { type: 'String', value: cursor },
    },
  },
  {
    name: 'executionMetrics',
    selection: `{ bucketStart provider category ${METRICS} distinctReports distinctUsers }`,
    args: {
      window: { type: 'TimeWindow', value: window },
      granularity: { type: 'Granularity!', value: enumOf('HOUR', 'DAY', 'WEEK', 'MONTH') },
      groupBy: { type: '[MetricDimension!]', value: list(enumOf('PROVIDER', 'CATEGORY')) },
      filter: { type: 'ReportFilter', value: reportFilter },
      fillGaps: { type: 'Boolean!', value: bool },
    },
  },
  ...['providerPerformance', 'categoryPerformance'].map((name) => ({
    name,
    selection: `{ reports activeReports ${METRICS} bytesPerSecond }`,
    args: {
      window: { type: 'TimeWindow', value: window },
      filter: { type: 'ReportFilter', value: reportFilter },
    },
  })),
  {
    name: 'userActivity',
    selection:
      '{ totalCount pageInfo { hasNextPage endCursor } edges { cursor node { user { id email displayName role } reportsOwned executions successRate avgDurationMs lastActiveAt segment } } }',
    args: {
      window: { type: 'TimeWindow', value: window },
      filter: { type: 'UserFilter', value: userFilter },
      orderBy: {
        type: 'UserActivityOrder',
        value: order(...USER_ACTIVITY_ORDER_FIELDS),
      },
      first: { type: 'Int', value: int },
      after: { type: 'String', value: cursor },
    },
  },
  {
    name: 'recentExecutions',
    selection: `{ totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id status startedAt completedAt durationMs outputSizeBytes rowCount errorMessage performanceCategory outputSizeClass ${REPORT} executedBy { id email } } } }`,
    args: {
      window: { type: 'TimeWindow', value: window },
      filter: { type: 'ExecutionFilter', value: executionFilter },
      first: { type: 'Int', value: int },
      after: { type: 'String', value: cursor },
    },
  },
  {
    name: 'performanceAlerts',
    selection: `{ type severity value threshold detail observedAt ${REPORT} execution { id durationMs } }`,
    args: {
      window: { type: 'TimeWindow', value: window },
      types: {
        type: '[AlertType!]',
        value: list(enumOf('LONG_RUNNING', 'HIGH_FAILURE_RATE', 'INACTIVE_REPORT')),
      },
      minSeverity: { type: 'Severity', value: enumOf('INFO', 'WARNING', 'CRITICAL') },
      longRunningMs: { type: 'Int!', value: int },
      failureRateThreshold: { type: 'Float!', value: float },
      minExecutions: { type: 'Int!', value: int },
      inactiveDays: { type: 'Int!', value: int },
      first: { type: 'Int', value: int },
    },
  },
  {
    name: 'executionTrends',
    selection: '{ pattern slots { slot executions share avgDurationMs } peak { slot executions } }',
    args: {
      window: { type: 'TimeWindow', value: window },
      pattern: { type: 'TrendPattern!', value: enumOf('HOUR_OF_DAY', 'DAY_OF_WEEK') },
      filter: { type: 'ReportFilter', value: reportFilter },
    },
  },
  ...[
    ['report', '{ id name owner { id } }'],
    ['user', '{ id email role }'],
    ['execution', '{ id status report { id } executedBy { id } }'],
  ].map(([name, selection]) => ({
    name: name!,
    selection: selection!,
    args: { id: { type: 'ID!', value: id } },
  })),
];

interface Request {
  field: Field;
  args: Partial<Record<string, Value>>;
  mode: 'variables' | 'inline' | 'explain';
}

const request: fc.Arbitrary<Request> = fc.constantFrom(...FIELDS).chain((field) =>
  fc.record({
    field: fc.constant(field),
    args: fc.record(
      Object.fromEntries(Object.entries(field.args).map(([name, arg]) => [name, arg.value])),
      { requiredKeys: [] },
    ),
    mode: fc.constantFrom<Request['mode']>('variables', 'variables', 'inline', 'explain'),
  }),
);

/** The HTTP body of a request. */
function body({ field, args: given, mode }: Request): string {
  const args = given as Record<string, Value>;
  const names = Object.keys(args);
  if (mode === 'explain') {
    return `{"query":"query ($view: String!, $args: JSON) { explain(view: $view, args: $args) { statements { sql } } }","variables":{"view":${JSON.stringify(field.name)},"args":${json(args)}}}`;
  }
  if (mode === 'inline') {
    const list = names.map((name) => `${name}: ${literal(args[name]!)}`).join(', ');
    const query = `{ ${field.name}${list ? `(${list})` : ''} ${field.selection} }`;
    return JSON.stringify({ query });
  }
  const declared = names.map((name) => `$${name}: ${field.args[name]!.type}`).join(', ');
  const passed = names.map((name) => `${name}: $${name}`).join(', ');
  const query = `query${declared ? ` (${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''} ${field.selection} }`;
  return `{"query":${JSON.stringify(query)},"variables":{${names.map((name) => `${JSON.stringify(name)}:${json(args[name]!)}`).join(',')}}}`;
}

// Client errors: malformed argument values, documents that do not parse or validate, and
// documents over the query limits (inline literals of long lists and strings).
const CLIENT_CODES = [
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'QUERY_TOO_COMPLEX',
];
// Driver and server error text, the masked error, and column names of the gateway's own SQL
// (error messages may quote the input, which holds SQL keywords of its own).
const SQL_TEXT =
  /\bER_[A-Z_]+|SQL syntax|sqlMessage|sqlState|MariaDB|MySQL|Unexpected error|started_at|report_id|executed_by|is_active|duration_ms/i;

interface Answer {
  status: number;
  text: string;
  errors: { message: string; extensions?: { code?: string } }[];
}

async function send(request: Request): Promise<Answer> {
  const response = await gateway.yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'cache-control': 'no-cache',
    },
    body: body(request),
  });
  const text = await response.text();
  const parsed = JSON.parse(text) as { errors?: Answer['errors'] };
  return { status: response.status, text, errors: parsed.errors ?? [] };
}

/** Answered, or refused with a client error; never a server error or SQL text. */
function expectHandled(answer: Answer, mode: Request['mode'], what: string) {
  expect(answer.status, what).toBeLessThan(500);
  for (const error of answer.errors) {
    expect(CLIENT_CODES, `${what}: ${error.message.slice(0, 300)}`).toContain(
      error.extensions?.code,
    );
    expect(error.message, what).not.toMatch(SQL_TEXT);
  }
  // explain answers with SQL by design; no other answer may hold any.
  if (mode !== 'explain') expect(answer.text, what).not.toMatch(SQL_TEXT);
}

// ---------------------------------------------------------------- the tests

/** Row count and CHECKSUM TABLE of every table of the test database. */
async function tableState() {
  const tables = await queryRows<{ name: string }>(
    gateway.db,
    sql`SELECT TABLE_NAME AS name FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`,
  );
  const state: Record<string, { rows: number; checksum: string }> = {};
  for (const { name } of tables) {
    const count = await queryOne<{ n: string }>(
      gateway.db,
      sql`SELECT COUNT(*) AS n FROM ${sql.ident(name)}`,
    );
    const checksum = await queryOne<{ Checksum: string | number }>(
      gateway.db,
      sql`CHECKSUM TABLE ${sql.ident(name)} EXTENDED`,
    );
    state[name] = { rows: Number(count?.n), checksum: String(checksum?.Checksum) };
  }
  return state;
}

describe('hostile arguments', () => {
  it('are answered or refused as client errors, and change nothing (fixed seed)', async () => {
    const before = await tableState();
    expect(before.report_executions!.rows).toBe(24);
    let refused = 0;
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(request, async (generated) => {
        const answer = await send(generated);
        const what = body(generated).slice(0, 400);
        expectHandled(answer, generated.mode, what);
        if (answer.errors.length > 0) refused += 1;
        else answered += 1;
      }),
      {
        seed: 20_260_801,
        numRuns: 600,
        endOnFailure: true,
        // The counterexample may hold 100 000-character strings: report it shortened.
        reporter: (run) => {
          if (!run.failed) return;
          const [generated] = run.counterexample ?? [];
          const example = generated ? body(generated).replace(/(.)\1{60,}/g, '$1$1$1…') : '';
          throw new Error(
            `run ${run.numRuns} (seed ${run.seed}, path ${run.counterexamplePath}): ` +
              `${String(run.errorInstance).slice(0, 1_000)}\nrequest: ${example.slice(0, 3_000)}`,
          );
        },
      },
    );
    // The generators reach both outcomes in earnest.
    expect(answered).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(200);
    expect(await tableState()).toEqual(before);
  });
});

describe('id arguments', () => {
  it.each([
    [
      'reportsSummary',
      '{ reportsSummary(filter: { reportIds: ["18446744073709551615"] }) { totalCount } }',
    ],
    [
      'reportsSummary',
      '{ reportsSummary(filter: { ownerIds: ["18446744073709551615"] }) { totalCount } }',
    ],
    [
      'recentExecutions',
      '{ recentExecutions(filter: { executedByIds: ["18446744073709551615"] }) { totalCount } }',
    ],
    [
      'recentExecutions',
      '{ recentExecutions(filter: { reportIds: [18446744073709551615] }) { totalCount } }',
    ],
    ['userActivity', '{ userActivity(filter: { userIds: ["999999999"] }) { totalCount } }'],
  ])('that name no row give an empty answer (%s)', async (field, query) => {
    const result = await gateway.executeText(query);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ [field]: { totalCount: 0 } });
  });

  it('that name no row give null from the look-ups', async () => {
    const result = await gateway.executeText(
      '{ report(id: "18446744073709551615") { id } user(id: 424242424242) { id } execution(id: "18446744073709551615") { id } }',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ report: null, user: null, execution: null });
  });

  it.each([
    '18446744073709551616',
    '99999999999999999999999',
    '-1',
    '0',
    '0x1',
    '1e309',
    '1.0',
    ' 1',
    '１',
    "1' OR '1'='1",
    '%',
    '_',
    '\\',
    '’',
    '\u0000',
    '1\u0000',
    '',
  ])('%j is BAD_USER_INPUT naming the argument', async (bad) => {
    gateway.statements.length = 0;
    const result = await gateway.executeText(
      'query ($ids: [ID!]) { reportsSummary(filter: { reportIds: ["1", "2"], ownerIds: $ids }) { totalCount } }',
      { ids: ['1', bad] },
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/^filter\.ownerIds\[1\]: .* is not a valid id/);
    expect(gateway.statements).toEqual([]);
  });

  it('shortens a very long bad id in the message', async () => {
    const result = await gateway.executeText('query ($id: ID!) { report(id: $id) { id } }', {
      id: `1${'x'.repeat(100_000)}`,
    });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message.length).toBeLessThan(200);
  });
});

describe('filter lists', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1));

  it.each([
    ['reportsSummary', 'reportIds', 'ReportFilter', ids(10_001)],
    ['reportsSummary', 'ownerIds', 'ReportFilter', ids(10_001)],
    ['reportsSummary', 'providers', 'ReportFilter', Array<string>(10_001).fill('AWS')],
    ['executionTrends', 'categories', 'ReportFilter', Array<string>(10_001).fill('COST')],
    ['recentExecutions', 'executedByIds', 'ExecutionFilter', ids(10_001)],
    ['recentExecutions', 'statuses', 'ExecutionFilter', Array<string>(10_001).fill('FAILED')],
    ['userActivity', 'userIds', 'UserFilter', ids(10_001)],
    ['userActivity', 'roles', 'UserFilter', Array<string>(10_001).fill('ADMIN')],
    // 100 000 ids used to overflow the stack while the statement was built: a masked error.
    ['providerPerformance', 'reportIds', 'ReportFilter', ids(100_000)],
  ])(
    'of over 10 000 values are BAD_USER_INPUT (%s filter.%s)',
    async (view, field, type, values) => {
      const selection =
        view === 'executionTrends'
          ? '{ pattern }'
          : view.endsWith('Performance')
            ? '{ executions }'
            : '{ totalCount }';
      gateway.statements.length = 0;
      const result = await gateway.executeText(
        `query ($filter: ${type}) { ${view}(filter: $filter) ${selection} }`,
        { filter: { [field]: values } },
      );
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toBe(
        `filter.${field}: at most 10000 ${field.endsWith('Ids') ? 'ids' : 'values'}, got ${values.length}`,
      );
      expect(gateway.statements).toEqual([]);
    },
  );

  it('of 10 000 values are answered', async () => {
    const result = await gateway.executeText(
      'query ($ids: [ID!]) { reportsSummary(filter: { reportIds: $ids }) { totalCount } }',
      { ids: ids(10_000) },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ reportsSummary: { totalCount: 2 } });
  });
});
