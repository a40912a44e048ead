import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../errors';
import { configFromConnector, detectDialect, parseConnectionUrl, resolveConfig, sslOption } from './config';

describe('connection config', () => {
  it.each([
    {
      name: 'the guide URL (no database)',
      url: 'jdbc:kaiwudb://localhost:26257',
      parsed: { host: 'localhost', port: 26257, params: {}, schemeDialect: 'kwdb' },
    },
    {
      name: 'JDBC URL with database and params',
      url: 'jdbc:kaiwudb://10.0.0.5:26257/tsdb?user=root&sslmode=require',
      parsed: {
        host: '10.0.0.5',
        port: 26257,
        database: 'tsdb',
        params: { user: 'root', sslmode: 'require' },
        schemeDialect: 'kwdb',
      },
    },
    {
      name: 'JDBC URL without port',
      url: 'jdbc:kaiwudb://db.example',
      parsed: { host: 'db.example', port: 26257, params: {}, schemeDialect: 'kwdb' },
    },
    {
      name: 'postgres URL with credentials',
      url: 'postgres://u%40x:p%3Aw@127.0.0.1:15432/postgres',
      parsed: {
        host: '127.0.0.1',
        port: 15432,
        database: 'postgres',
        user: 'u@x',
        password: 'p:w',
        params: {},
        schemeDialect: 'postgres',
      },
    },
    {
      name: 'postgresql scheme, default port, IPv6',
      url: 'postgresql://[::1]/db',
      parsed: { host: '::1', port: 5432, database: 'db', params: {}, schemeDialect: 'postgres' },
    },
  ])('parses $name', ({ url, parsed }) => {
    expect(parseConnectionUrl(url)).toEqual(parsed);
  });

  it.each([
    { name: 'mysql scheme', url: 'jdbc:mysql://h:1/db' },
    { name: 'no scheme', url: 'localhost:26257' },
    { name: 'no host', url: 'jdbc:kaiwudb:///db' },
  ])('refuses $name', ({ url }) => {
    expect(() => parseConnectionUrl(url)).toThrow(ConfigError);
  });

  it('builds a bounded pool with an explicit database (connection.database wins over the URL)', () => {
    const r = resolveConfig({
      url: 'jdbc:kaiwudb://h:26257/fromurl',
      database: 'tsdb',
      user: 'test',
      password: 'pw',
    });
    expect(r.pool).toMatchObject({
      host: 'h',
      port: 26257,
      database: 'tsdb',
      user: 'test',
      password: 'pw',
      max: 4,
    });
    expect(r).toMatchObject({
      database: 'tsdb',
      attempts: 3,
      backoffMs: 5000,
      batchSize: 1000,
      dialect: 'auto',
    });
  });

  it('requires a database', () => {
    expect(() => resolveConfig({ url: 'jdbc:kaiwudb://h:26257' })).toThrow(/connection.database is required/);
  });

  it.each([
    { name: 'attempts 0', config: { attempts: 0 }, message: /connection.attempts/ },
    { name: 'negative backoff', config: { backoffMs: -1 }, message: /connection.backoff.ms/ },
    { name: 'batch.size 1.5', config: { batchSize: 1.5 }, message: /batch.size/ },
    { name: 'unknown sslmode', config: { url: 'jdbc:kaiwudb://h/db?sslmode=maybe' }, message: /sslmode/ },
  ])('refuses $name', ({ config, message }) => {
    expect(() => resolveConfig({ url: 'jdbc:kaiwudb://h/db', ...config })).toThrow(message);
  });

  it('takes TLS files and mode from the URL', () => {
    const r = resolveConfig({
      url: 'jdbc:kaiwudb://h/db?sslmode=verify-full&sslrootcert=/c/ca.crt&sslcert=/c/client.crt&sslkey=/c/client.key',
    });
    expect(r.tls.mode).toBe('verify-full');
    expect(r.tlsFiles).toEqual({ ca: '/c/ca.crt', cert: '/c/client.crt', key: '/c/client.key' });
  });

  it.each([
    { mode: 'disable' as const, ssl: false },
    { mode: 'prefer' as const, ssl: false },
    { mode: 'require' as const, ssl: { rejectUnauthorized: false, ca: 'CA' } },
    { mode: 'verify-full' as const, ssl: { rejectUnauthorized: true, ca: 'CA' } },
  ])('sslmode $mode', ({ mode, ssl }) => {
    expect(sslOption({ mode, ca: 'CA' })).toEqual(ssl);
  });

  it('verify-ca checks the chain but not the host name', () => {
    const ssl = sslOption({ mode: 'verify-ca', ca: 'CA', cert: 'C', key: 'K' }) as {
      checkServerIdentity: () => unknown;
    };
    expect(ssl).toMatchObject({ rejectUnauthorized: true, ca: 'CA', cert: 'C', key: 'K' });
    expect(ssl.checkServerIdentity()).toBeUndefined();
  });

  it('reads the guide parameter names, strings or numbers', () => {
    expect(
      configFromConnector({
        'connection.url': 'jdbc:kaiwudb://localhost:26257',
        'connection.user': 'test',
        'connection.password': '<password>',
        'connection.database': 'tsdb',
        'connection.attempts': 3,
        'connection.backoff.ms': '5000',
        'batch.size': 1000,
        'protocol.type': 'json_kaiwudb',
      }),
    ).toEqual({
      url: 'jdbc:kaiwudb://localhost:26257',
      user: 'test',
      password: '<password>',
      database: 'tsdb',
      attempts: 3,
      backoffMs: 5000,
      batchSize: 1000,
    });
    expect(() => configFromConnector({ 'connection.url': 'x', 'batch.size': 'many' })).toThrow(/batch.size/);
  });

  it.each([
    {
      version: 'KWDB 2.0.4 (x86_64-linux-gnu, built 2024/08/06 08:20:18, go1.19, gcc 11.4.0)',
      dialect: 'kwdb',
    },
    { version: 'KaiwuDB 3.2.1 (x86_64-linux-gnu, built 2026/01/01, go1.22, gcc 11)', dialect: 'kwdb' },
    { version: 'PostgreSQL 15.18 (Debian 15.18-0+deb12u1) on x86_64-pc-linux-gnu', dialect: 'postgres' },
    { version: 'CockroachDB CCL v23.1', dialect: undefined },
    { version: 'KWDBX 1', dialect: undefined },
  ])('detects $dialect from "$version"', ({ version, dialect }) => {
    expect(detectDialect(version)).toBe(dialect);
  });
});
