// Opens the pool: TLS files read, every session pinned to UTC, the server
// probed with `SELECT version()` up to `attempts` times with `backoffMs`
// between attempts (only retriable errors are retried), dialect detected.

import { readFileSync } from 'node:fs';
import pg from 'pg';
import { ConfigError, ConnectionError, classifyError } from '../errors';
import type { DialectName } from '../identifiers';
import {
  detectDialect,
  resolveConfig,
  sslOption,
  type KwdbClientConfig,
  type ResolvedConfig,
} from './config';

export interface OpenedPool {
  pool: pg.Pool;
  dialect: DialectName;
  version: string;
  config: ResolvedConfig;
}

function readTlsFiles(config: ResolvedConfig): void {
  for (const key of ['ca', 'cert', 'key'] as const) {
    const path = config.tlsFiles[key];
    if (path && config.tls[key] === undefined) {
      try {
        config.tls[key] = readFileSync(path, 'utf8');
      } catch (e) {
        throw new ConfigError(`cannot read TLS file ${path}: ${(e as Error).message}`);
      }
    }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates the pool and checks that the server answers; see the file comment. */
export async function openPool(input: KwdbClientConfig): Promise<OpenedPool> {
  const config = resolveConfig(input);
  readTlsFiles(config);
  let lastError: unknown;
  for (let attempt = 1; attempt <= config.attempts; attempt++) {
    // Every new session is pinned to UTC before the pool hands it out
    // (pg-pool's onConnect hook; a failure fails that checkout).
    const onConnect = async (client: pg.ClientBase): Promise<void> => {
      await client.query("SET TIME ZONE 'UTC'");
    };
    const pool = new pg.Pool({ ...config.pool, ssl: sslOption(config.tls), onConnect });
    // An idle client losing its connection (server restart) must not crash the process;
    // the pool drops it and the next query gets a fresh connection.
    pool.on('error', () => undefined);
    try {
      const r = await pool.query<{ version: string }>('SELECT version() AS version');
      const version = r.rows[0]?.version ?? '';
      const detected = detectDialect(version);
      const dialect = config.dialect === 'auto' ? detected : config.dialect;
      if (!dialect) {
        await pool.end();
        throw new ConfigError(
          `cannot tell the dialect from version ${JSON.stringify(version)}; set the dialect`,
        );
      }
      return { pool, dialect, version, config };
    } catch (e) {
      await pool.end().catch(() => undefined);
      const error = classifyError(e);
      if (!error.retriable) throw error;
      lastError = error;
      if (attempt < config.attempts) await sleep(config.backoffMs);
    }
  }
  const cause = classifyError(lastError);
  throw new ConnectionError(
    `could not connect to ${config.pool.host}:${config.pool.port}/${config.database} after ${config.attempts} attempt(s): ${cause.message}`,
    cause,
  );
}
