// Connection settings: from the guide's parameters (connection.url,
// connection.user, connection.password, connection.database,
// connection.attempts, connection.backoff.ms, batch.size) to a pg pool config.
// Pure: reading certificate files is done by `readTlsFiles` in connect.ts.

import type pg from 'pg';
import { ConfigError } from '../errors';
import type { DialectName } from '../identifiers';

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
const SSL_MODES: SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

export interface TlsOptions {
  mode: SslMode;
  /** PEM text (not a path) of the CA, client certificate and key. */
  ca?: string;
  cert?: string;
  key?: string;
}

/** Everything needed to connect; `KwdbClient.connect` takes this. */
export interface KwdbClientConfig {
  /** `jdbc:kaiwudb://host:port[/db][?params]`, `postgres://...` or `postgresql://...`. */
  url: string;
  user?: string;
  password?: string;
  /** Always set explicitly (node-pg would default to the user name). Falls back to the URL's path. */
  database?: string;
  /** Connection attempts before giving up (connection.attempts, default 3). */
  attempts?: number;
  /** Wait between attempts (connection.backoff.ms, default 5000). */
  backoffMs?: number;
  /** Rows per INSERT statement (batch.size, default 1000). */
  batchSize?: number;
  /** 'auto' (default) detects from `SELECT version()`. */
  dialect?: DialectName | 'auto';
  /** Pool size bound (default 4). */
  poolSize?: number;
  /** TLS; the URL's sslmode/sslrootcert/sslcert/sslkey are used when this is absent. */
  tls?: TlsOptions;
  /** Per-connection statement timeout in ms (0 = none, default 0). */
  statementTimeoutMs?: number;
  /** Timeout for establishing one connection (default 10000). */
  connectTimeoutMs?: number;
}

export interface ParsedUrl {
  host: string;
  port: number;
  database?: string;
  user?: string;
  password?: string;
  /** Query parameters (sslmode, sslrootcert, ..., user, password). */
  params: Record<string, string>;
  /** Default dialect implied by the scheme: kwdb for jdbc:kaiwudb, postgres for postgres(ql). */
  schemeDialect: DialectName;
}

const DEFAULT_PORT: Record<DialectName, number> = { kwdb: 26257, postgres: 5432 };

/** Parses `jdbc:kaiwudb://host:port[/db][?k=v&...]` and `postgres[ql]://[user[:pw]@]host[:port][/db][?...]`. */
export function parseConnectionUrl(url: string): ParsedUrl {
  const m = /^(jdbc:kaiwudb|postgres|postgresql):\/\/(.*)$/i.exec(url.trim());
  if (!m) {
    throw new ConfigError(
      `connection.url ${JSON.stringify(url)} must start with jdbc:kaiwudb://, postgres:// or postgresql://`,
    );
  }
  const schemeDialect: DialectName = m[1]!.toLowerCase() === 'jdbc:kaiwudb' ? 'kwdb' : 'postgres';
  // `new URL('http:///db')` would take "db" as the host: refuse an empty authority first.
  if (/^(?:[^@/?#]*@)?(?:[/?#]|$)/.test(m[2]!))
    throw new ConfigError(`connection.url ${JSON.stringify(url)} has no host`);
  let parsed: URL;
  try {
    parsed = new URL(`http://${m[2]}`);
  } catch {
    throw new ConfigError(`connection.url ${JSON.stringify(url)} is not a valid URL`);
  }
  if (!parsed.hostname) throw new ConfigError(`connection.url ${JSON.stringify(url)} has no host`);
  const port = parsed.port ? Number(parsed.port) : DEFAULT_PORT[schemeDialect];
  const params: Record<string, string> = {};
  parsed.searchParams.forEach((v, k) => (params[k] = v));
  const path = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const result: ParsedUrl = {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    params,
    schemeDialect,
  };
  if (path) result.database = path;
  if (parsed.username) result.user = decodeURIComponent(parsed.username);
  if (parsed.password) result.password = decodeURIComponent(parsed.password);
  return result;
}

function positiveInt(value: number | undefined, name: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min)
    throw new ConfigError(`${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

export interface ResolvedConfig {
  pool: pg.PoolConfig;
  database: string;
  attempts: number;
  backoffMs: number;
  batchSize: number;
  dialect: DialectName | 'auto';
  tls: TlsOptions;
  /** Certificate file paths from the URL, read by connect.ts. */
  tlsFiles: { ca?: string; cert?: string; key?: string };
}

/** Checks the config and builds the pg pool settings (without reading any file). */
export function resolveConfig(config: KwdbClientConfig): ResolvedConfig {
  const url = parseConnectionUrl(config.url);
  const database = config.database ?? url.database;
  if (!database) throw new ConfigError('connection.database is required (or a database in connection.url)');
  const user = config.user ?? url.user ?? url.params['user'];
  const password = config.password ?? url.password ?? url.params['password'];
  const modeText = config.tls?.mode ?? url.params['sslmode'] ?? 'disable';
  if (!SSL_MODES.includes(modeText as SslMode)) {
    throw new ConfigError(`sslmode must be one of ${SSL_MODES.join(', ')}, got ${JSON.stringify(modeText)}`);
  }
  const tls: TlsOptions = { ...config.tls, mode: modeText as SslMode };
  const tlsFiles: ResolvedConfig['tlsFiles'] = {};
  if (url.params['sslrootcert']) tlsFiles.ca = url.params['sslrootcert'];
  if (url.params['sslcert']) tlsFiles.cert = url.params['sslcert'];
  if (url.params['sslkey']) tlsFiles.key = url.params['sslkey'];
  const dialect = config.dialect ?? 'auto';
  if (!['auto', 'kwdb', 'postgres'].includes(dialect))
    throw new ConfigError(`unknown dialect ${JSON.stringify(dialect)}`);
  const pool: pg.PoolConfig = {
    host: url.host,
    port: url.port,
    database,
    max: positiveInt(config.poolSize, 'pool size', 4),
    connectionTimeoutMillis: positiveInt(config.connectTimeoutMs, 'connect timeout', 10_000),
    idleTimeoutMillis: 30_000,
    application_name: 'kwdb-connect',
  };
  if (user !== undefined) pool.user = user;
  if (password !== undefined) pool.password = password;
  if (config.statementTimeoutMs)
    pool.statement_timeout = positiveInt(config.statementTimeoutMs, 'statement timeout', 0, 0);
  return {
    pool,
    database,
    attempts: positiveInt(config.attempts, 'connection.attempts', 3),
    backoffMs: positiveInt(config.backoffMs, 'connection.backoff.ms', 5000, 0),
    batchSize: positiveInt(config.batchSize, 'batch.size', 1000),
    dialect,
    tls,
    tlsFiles,
  };
}

/** node-pg `ssl` option for a TLS mode. allow/prefer cannot fall back in node-pg: they connect without TLS. */
export function sslOption(tls: TlsOptions): pg.PoolConfig['ssl'] {
  switch (tls.mode) {
    case 'disable':
    case 'allow':
    case 'prefer':
      return false;
    case 'require':
      return { rejectUnauthorized: false, ...pem(tls) };
    case 'verify-ca':
      return { rejectUnauthorized: true, checkServerIdentity: () => undefined, ...pem(tls) };
    case 'verify-full':
      return { rejectUnauthorized: true, ...pem(tls) };
  }
}

function pem(tls: TlsOptions): { ca?: string; cert?: string; key?: string } {
  const out: { ca?: string; cert?: string; key?: string } = {};
  if (tls.ca) out.ca = tls.ca;
  if (tls.cert) out.cert = tls.cert;
  if (tls.key) out.key = tls.key;
  return out;
}

/**
 * Reads the guide's parameter names from a connector config (values may be
 * strings, as Kafka Connect passes them).
 */
export function configFromConnector(props: Record<string, unknown>): KwdbClientConfig {
  const str = (k: string): string | undefined => (props[k] === undefined ? undefined : String(props[k]));
  const int = (k: string): number | undefined => {
    const v = str(k);
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v.trim())) throw new ConfigError(`${k} must be an integer, got ${JSON.stringify(v)}`);
    return Number(v);
  };
  const url = str('connection.url');
  if (!url) throw new ConfigError('connection.url is required');
  const config: KwdbClientConfig = { url };
  const set = <K extends keyof KwdbClientConfig>(key: K, value: KwdbClientConfig[K] | undefined): void => {
    if (value !== undefined) config[key] = value;
  };
  set('user', str('connection.user'));
  set('password', str('connection.password'));
  set('database', str('connection.database'));
  set('attempts', int('connection.attempts'));
  set('backoffMs', int('connection.backoff.ms'));
  set('batchSize', int('batch.size'));
  return config;
}

/** Dialect named by `SELECT version()`: KWDB/KaiwuDB -> kwdb, PostgreSQL -> postgres. */
export function detectDialect(version: string): DialectName | undefined {
  if (/^(KWDB|KaiwuDB)\s/.test(version)) return 'kwdb';
  if (/^PostgreSQL\s/.test(version)) return 'postgres';
  return undefined;
}
