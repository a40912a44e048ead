import { describe, expect, it } from '@jest/globals';
import { loadConfig, passwordFromFile } from './load-config';

const SINK = 'com.kaiwudb.kafka.connect.sink.KwdbSinkConnector';
const goodFile = JSON.stringify({
  name: 'KwdbSinkConnector',
  config: {
    'connector.class': SINK,
    topics: 't1',
    'connection.url': 'jdbc:kaiwudb://localhost:26257',
    'connection.user': 'test',
    'connection.database': 'tsdb',
    'protocol.type': 'json_kaiwudb',
    'timestamp.precision': 'ms',
  },
  targetState: 'PAUSED',
});
const baseEnv = {
  KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:9092',
  KWDB_CONNECT_CONFIG_FILE: '/cfg.json',
  KWDB_CONNECT_PASSWORD_FILE: '/pw',
};
const files =
  (cfg: string): ((p: string) => string) =>
  (p) => {
    if (p === '/cfg.json') return cfg;
    if (p === '/pw') return 'hunter2\n';
    throw new Error(`ENOENT: ${p}`);
  };

describe('loadConfig', () => {
  it('reads env, config file and password file into a typed sink config', () => {
    const result = loadConfig(baseEnv, 'host', files(goodFile));
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.loaded.config.name).toBe('KwdbSinkConnector');
    expect(result.loaded.config.connection.password?.reveal()).toBe('hunter2');
    expect(result.loaded.targetState).toBe('PAUSED');
    expect(result.loaded.secretValues).toEqual(['hunter2']);
    expect(result.loaded.config.errors.tolerance).toBe('none');
  });

  it('lists every problem by key', () => {
    const bad = JSON.stringify({
      name: 'x',
      config: {
        'connector.class': SINK,
        topics: 't',
        'batch.size': 'many',
        'protocol.type': 'yaml',
        'connection.password': 'p',
      },
      targetState: 'SLEEPING',
    });
    const result = loadConfig({ ...baseEnv, KWDB_CONNECT_HTTP_PORT: 'eighty' }, 'host', files(bad));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const keys = result.problems.map((p) => p.key);
    for (const key of [
      'KWDB_CONNECT_HTTP_PORT',
      'targetState',
      'connection.password',
      'batch.size',
      'protocol.type',
      'connection.url',
    ]) {
      expect(keys).toContain(key);
    }
    expect(result.connectorName).toBe('x');
    expect(JSON.stringify(result.problems)).not.toContain('hunter2');
  });

  it('reports a missing config file by its variable', () => {
    const result = loadConfig({ KAFKA_BOOTSTRAP_SERVERS: 'k:1' }, 'host', files(goodFile));
    expect(result.ok ? [] : result.problems.map((p) => p.key)).toEqual(['KWDB_CONNECT_CONFIG_FILE']);
  });

  it.each([
    { name: 'one trailing newline is not part of the password', text: 'pw\n', expected: 'pw' },
    { name: 'CRLF too', text: 'pw\r\n', expected: 'pw' },
    { name: 'inner spaces are kept', text: ' p w ', expected: ' p w ' },
  ])('passwordFromFile: $name', ({ text, expected }) => {
    expect(passwordFromFile(text)).toBe(expected);
  });
});
