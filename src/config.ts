/**
 * The gateway's configuration: read from the environment once, validated, typed.
 * No other module reads `process.env`; a bad value stops start-up naming the variable.
 */
import path from 'node:path';

export type Role = 'viewer' | 'analyst' | 'admin';

export interface ApiKey {
  role: Role;
  key: string;
}

/** A rate limit: `burst` requests per window of `windowSeconds`, so `perMinute` on average. */
export interface RateLimit {
  perMinute: number;
  /** Requests a client may send back to back: the count allowed in one window. */
  burst: number;
  /** burst ÷ rate, in whole seconds. */
  windowSeconds: number;
}

/** The most a single GraphQL request may ask for; a larger one is refused unexecuted. */
export interface QueryLimits {
  /** Levels of nested fields (MAX_QUERY_DEPTH). */
  maxDepth: number;
  /** The shape's cost: 1 per leaf, 2 + 1.5 × its selection per object (MAX_QUERY_COST). */
  maxCost: number;
  /** Aliased fields (MAX_QUERY_ALIASES). */
  maxAliases: number;
  /** Directives, such as @include (MAX_QUERY_DIRECTIVES). */
  maxDirectives: number;
  /** Lexical tokens of the document (MAX_QUERY_TOKENS). */
  maxTokens: number;
  /** UTF-8 bytes of the query text (MAX_QUERY_BYTES). */
  maxBytes: number;
}

export interface Config {
  /** `mysql://user:pass@host:port/db`; unset means "start the embedded server". */
  databaseUrl: string | undefined;
  /** Read replicas of DATABASE_URL (READ_DATABASE_URLS); empty: every read on the primary. */
  readDatabaseUrls: string[];
  /** A replica further behind the primary than this is taken out until it catches up. */
  replicaMaxLagMs: number;
  /** How long a read waits for a replica to apply a write it must see before using the primary. */
  replicaWaitMs: number;
  /** How often live alerts look again for writes made straight in SQL (ALERT_POLL_MS). */
  alertPollMs: number;
  /** Live alert streams one client (an API key, else an address) may hold open on one instance. */
  maxSubscriptionsPerClient: number;
  port: number;
  /** Unset means the in-process LRU; `redis://…` a shared Redis. */
  cacheUrl: string | undefined;
  /** How long a cached view result may be served (writes through the gateway invalidate sooner). */
  cacheTtlMs: number;
  /** Per-view TTLs overriding cacheTtlMs, e.g. live views kept briefly. */
  cacheViewTtlMs: Record<string, number>;
  /** Bounds of the in-process LRU: entries and approximate bytes. */
  cacheMaxEntries: number;
  cacheMaxBytes: number;
  apiKeys: ApiKey[];
  /** True when API_KEYS is set: then reads need a viewer key too. */
  readsNeedKey: boolean;
  /** Viewer keys and anonymous clients may send only persisted documents (the allow-list). */
  persistedDocumentsOnly: boolean;
  /** The most rows one batch mutation accepts, and the rows per INSERT statement. */
  maxBatchRows: number;
  defaultBatchSize: number;
  /** Request bodies above this many bytes get 413 before they are parsed. */
  maxBodyBytes: number;
  /** Operations one batched request (a JSON array) may hold; 1 turns batching off. */
  maxBatchOperations: number;
  /** Requests per API key, and per client address for requests without a valid key; null = none. */
  rateLimitPerKey: RateLimit | null;
  rateLimitAnonymous: RateLimit | null;
  /** Proxies in front whose X-Forwarded-For is believed; 0 = the socket's address is the client. */
  trustProxyHops: number;
  /** Rows CLEANUP deletes per transaction, so the server stays responsive. */
  cleanupChunkRows: number;
  nodeEnv: 'development' | 'production' | 'test';
  /** The largest `first` a connection accepts. */
  maxPageSize: number;
  /** Limits on one GraphQL document, checked before anything runs (README: Query limits). */
  queryLimits: QueryLimits;
  /** Each view read is stopped after this long (QUERY_TIMEOUT); 0 = the server's own limit. */
  statementTimeoutMs: number;
  /** A query still executing after this long is answered REQUEST_TIMEOUT; 0 = no limit. */
  requestTimeoutMs: number;
  /** How long a request waits for a free pooled connection before DATABASE_BUSY. */
  dbQueueTimeoutMs: number;
  /** The most rows one request may ask the views for, estimated before any SQL runs. */
  maxResultRows: number;
  /** Database time all statements of one request may take together; 0 = no budget. */
  requestDbBudgetMs: number;
  /** How often this instance's rollup applier folds the journal; 0 = this instance never folds. */
  rollupApplierIntervalMs: number;
  /** Origins (scheme://host[:port]) whose pages may call the API; empty = same origin only. */
  corsOrigins: string[];
  /** The HMAC key that signs backup manifests; unset = generated and kept (embedded) or refused. */
  backupSigningKey: string | undefined;
  /** Where the embedded server keeps its data, and its InnoDB buffer pool in MB. */
  dataDir: string;
  embeddedBufferPoolMb: number;
  /** Where backups and their manifests live; backup ids never name a file outside it. */
  backupDir: string;
  /** Executions of demo data loaded into an empty embedded database. */
  demoExecutions: number;
  /** PATH plus the sbin folders where packages put mariadbd / mysqld. */
  searchPath: string;
}

/** A configuration error that names the offending variable. */
export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

const ROLES: readonly Role[] = ['viewer', 'analyst', 'admin'];
// Distribution packages install the server outside a normal user's PATH.
const SERVER_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/local/mysql/bin', '/opt/homebrew/bin'];

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(name, `expected a number from ${min} to ${max}, got ${value}`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new ConfigError(name, `expected 1 or 0 (true or false), got "${raw}"`);
}

function url(env: NodeJS.ProcessEnv, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `not a URL (expected ${protocols[0]}//user:pass@host:port/…)`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `expected a ${protocols.join(' or ')} URL, got ${parsed.protocol}`);
  }
  return raw;
}

function urlList(env: NodeJS.ProcessEnv, name: string): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((entry, index) => {
    try {
      return url({ [name]: entry.trim() }, name, ['mysql:'])!;
    } catch (error) {
      throw new ConfigError(
        name,
        `entry ${index + 1}: ${(error as Error).message.replace(`${name}: `, '')}`,
      );
    }
  });
}

function apiKeys(raw: string | undefined): ApiKey[] {
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((pair, index) => {
    const [role, key, ...rest] = pair.trim().split(':');
    if (!ROLES.includes(role as Role) || !key || rest.length > 0) {
      throw new ConfigError(
        'API_KEYS',
        `entry ${index + 1} must be role:key with role one of ${ROLES.join(', ')}`,
      );
    }
    if (key.length < 16) {
      throw new ConfigError('API_KEYS', `entry ${index + 1}: keys need at least 16 characters`);
    }
    return { role: role as Role, key };
  });
}

// Views whose numbers move by the minute are kept briefly unless configured otherwise.
const DEFAULT_VIEW_TTLS: Record<string, number> = {
  recentExecutions: 10_000,
  performanceAlerts: 30_000,
};

function viewTtls(raw: string | undefined): Record<string, number> {
  if (raw === undefined || raw.trim() === '') return { ...DEFAULT_VIEW_TTLS };
  const ttls = { ...DEFAULT_VIEW_TTLS };
  for (const [index, pair] of raw.split(',').entries()) {
    const match = /^\s*([A-Za-z]+)\s*=\s*(\d+)\s*$/.exec(pair);
    if (!match) {
      throw new ConfigError(
        'CACHE_VIEW_TTLS',
        `entry ${index + 1} must be view=milliseconds, got "${pair}"`,
      );
    }
    ttls[match[1]!] = Number(match[2]);
  }
  return ttls;
}

function nodeEnv(raw: string | undefined): Config['nodeEnv'] {
  if (raw === undefined || raw === '') return 'development';
  if (raw === 'development' || raw === 'production' || raw === 'test') return raw;
  throw new ConfigError('NODE_ENV', `expected development, production or test, got "${raw}"`);
}

/** `RATE…_PER_MINUTE` (0 = off) with its `…_BURST` (default: the per-minute number). */
function rateLimit(env: NodeJS.ProcessEnv, rateName: string, burstName: string): RateLimit | null {
  const perMinute = integer(env, rateName, 0, 0, 10_000_000);
  if (perMinute === 0) return null;
  const burst = integer(env, burstName, perMinute, 1, 10_000_000);
  // The window (burst ÷ rate) is counted in whole seconds: Redis expires keys by the second.
  const minimum = Math.ceil(perMinute / 60);
  if (burst < minimum) {
    throw new ConfigError(
      burstName,
      `must be at least ${rateName} ÷ 60 (${minimum}), so that a window lasts a second or more; got ${burst}`,
    );
  }
  return { perMinute, burst, windowSeconds: Math.max(1, Math.round((60 * burst) / perMinute)) };
}

function trustProxy(raw: string | undefined): number {
  if (raw === undefined || raw === '' || raw === 'false') return 0;
  if (raw === 'true') return 1;
  if (/^\d+$/.test(raw) && Number(raw) <= 10) return Number(raw);
  throw new ConfigError(
    'TRUST_PROXY',
    `expected the number of proxies in front (0 to 10), true (1) or false, got "${raw}"`,
  );
}

function origins(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((entry, index) => {
    const text = entry.trim();
    let parsed: URL | undefined;
    try {
      parsed = new URL(text);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== text) {
      throw new ConfigError(
        'CORS_ORIGINS',
        `entry ${index + 1} must be an origin such as https://dashboard.example.com, got "${text}"`,
      );
    }
    return parsed.origin;
  });
}

function signingKey(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 32) {
    throw new ConfigError('BACKUP_SIGNING_KEY', 'needs at least 32 characters');
  }
  return raw;
}

/** Reads and validates the configuration; throws ConfigError naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const config: Config = {
    databaseUrl: url(env, 'DATABASE_URL', ['mysql:']),
    readDatabaseUrls: urlList(env, 'READ_DATABASE_URLS'),
    replicaMaxLagMs: integer(env, 'REPLICA_MAX_LAG_MS', 5_000, 1, 3_600_000),
    replicaWaitMs: integer(env, 'REPLICA_WAIT_MS', 500, 0, 60_000),
    alertPollMs: integer(env, 'ALERT_POLL_MS', 10_000, 100, 3_600_000),
    maxSubscriptionsPerClient: integer(env, 'MAX_SUBSCRIPTIONS_PER_CLIENT', 10, 1, 1_000),
    port: integer(env, 'PORT', 4000, 0, 65535),
    cacheUrl: url(env, 'CACHE_URL', ['redis:', 'rediss:']),
    cacheTtlMs: integer(env, 'CACHE_TTL_MS', 60_000, 0, 86_400_000),
    cacheViewTtlMs: viewTtls(env.CACHE_VIEW_TTLS),
    cacheMaxEntries: integer(env, 'CACHE_MAX_ENTRIES', 10_000, 1, 10_000_000),
    cacheMaxBytes: integer(env, 'CACHE_MAX_BYTES', 64 * 1024 * 1024, 1024, 16 * 1024 ** 3),
    apiKeys: apiKeys(env.API_KEYS),
    readsNeedKey: apiKeys(env.API_KEYS).length > 0,
    persistedDocumentsOnly: flag(env, 'PERSISTED_DOCUMENTS_ONLY'),
    maxBatchRows: integer(env, 'MAX_BATCH_ROWS', 100_000, 1, 10_000_000),
    defaultBatchSize: integer(env, 'BATCH_SIZE', 5_000, 1, 100_000),
    maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 64 * 1024 * 1024, 1024, 1024 ** 3),
    maxBatchOperations: integer(env, 'MAX_BATCH_OPERATIONS', 10, 1, 1_000),
    rateLimitPerKey: rateLimit(env, 'RATE_LIMIT_PER_MINUTE', 'RATE_LIMIT_BURST'),
    rateLimitAnonymous: rateLimit(
      env,
      'RATE_LIMIT_ANONYMOUS_PER_MINUTE',
      'RATE_LIMIT_ANONYMOUS_BURST',
    ),
    trustProxyHops: trustProxy(env.TRUST_PROXY),
    cleanupChunkRows: integer(env, 'CLEANUP_CHUNK_ROWS', 5_000, 1, 1_000_000),
    nodeEnv: nodeEnv(env.NODE_ENV),
    maxPageSize: integer(env, 'MAX_PAGE_SIZE', 500, 1, 10_000),
    queryLimits: {
      maxDepth: integer(env, 'MAX_QUERY_DEPTH', 10, 1, 1_000),
      maxCost: integer(env, 'MAX_QUERY_COST', 1_500, 1, 100_000_000),
      maxAliases: integer(env, 'MAX_QUERY_ALIASES', 15, 0, 100_000),
      maxDirectives: integer(env, 'MAX_QUERY_DIRECTIVES', 50, 0, 100_000),
      maxTokens: integer(env, 'MAX_QUERY_TOKENS', 1_000, 1, 10_000_000),
      maxBytes: integer(env, 'MAX_QUERY_BYTES', 32 * 1024, 1, 1024 ** 3),
    },
    statementTimeoutMs: integer(env, 'STATEMENT_TIMEOUT_MS', 10_000, 0, 3_600_000),
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 0, 3_600_000),
    dbQueueTimeoutMs: integer(env, 'DB_QUEUE_TIMEOUT_MS', 10_000, 1, 600_000),
    maxResultRows: integer(env, 'MAX_RESULT_ROWS', 50_000, 1, 10_000_000),
    requestDbBudgetMs: integer(env, 'REQUEST_DB_BUDGET_MS', 20_000, 0, 3_600_000),
    rollupApplierIntervalMs: integer(env, 'ROLLUP_APPLIER_INTERVAL_MS', 1_000, 0, 600_000),
    corsOrigins: origins(env.CORS_ORIGINS),
    backupSigningKey: signingKey(env.BACKUP_SIGNING_KEY),
    dataDir: path.resolve(env.DATA_DIR || '.data'),
    backupDir: path.resolve(env.BACKUP_DIR || path.join(env.DATA_DIR || '.data', 'backups')),
    embeddedBufferPoolMb: integer(env, 'EMBEDDED_BUFFER_POOL_MB', 512, 64, 1024 * 1024),
    demoExecutions: integer(env, 'DEMO_EXECUTIONS', 50_000, 0, 100_000_000),
    searchPath: [env.PATH ?? '', ...SERVER_DIRS].join(path.delimiter),
  };
  if (config.readDatabaseUrls.length > 0 && !config.databaseUrl) {
    throw new ConfigError(
      'READ_DATABASE_URLS',
      'needs DATABASE_URL, the primary the replicas copy (the embedded default has no replicas)',
    );
  }
  return config;
}
