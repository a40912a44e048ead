// The database client settings for a sink config: the guide's connection.* keys and batch.size.
import type { SinkConfig } from '@kwdb-connect/connector-config';
import type { KwdbClientConfig, TlsOptions } from '@kwdb-connect/kwdb-client';

/** @param readFile reads the PEM files named by connection.ssl.* (only called when they are set) */
export function kwdbClientConfig(config: SinkConfig, readFile: (path: string) => string): KwdbClientConfig {
  const c = config.connection;
  const out: KwdbClientConfig = {
    url: c.url,
    database: c.database,
    attempts: c.attempts,
    backoffMs: c.backoffMs,
    batchSize: config.batchSize,
    dialect: c.dialect,
    poolSize: c.poolMax,
  };
  if (c.user !== undefined) out.user = c.user;
  if (c.password !== undefined) out.password = c.password.reveal();
  if (c.sslMode !== 'disable') {
    const tls: TlsOptions = { mode: c.sslMode };
    if (c.sslRootCert !== undefined) tls.ca = readFile(c.sslRootCert);
    if (c.sslCert !== undefined) tls.cert = readFile(c.sslCert);
    if (c.sslKey !== undefined) tls.key = readFile(c.sslKey);
    out.tls = tls;
  }
  return out;
}
