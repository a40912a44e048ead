import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import {
  ConfigError,
  WORKER_ENV_DEFAULTS,
  parseWorkerEnv,
  parseWorkerEnvOrThrow,
  type WorkerEnv,
} from './index';

const HOST = { hostname: 'worker-a' };
const BASE = { KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:19092' };

function envOk(env: Record<string, string | undefined>): WorkerEnv {
  const result = parseWorkerEnv(env, HOST);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.env;
}

function errorsOf(env: Record<string, string | undefined>): string[] {
  const result = parseWorkerEnv(env, HOST);
  return result.ok ? [] : result.errors.map((e) => e.message);
}

describe('parseWorkerEnv', () => {
  it('applies every default', () => {
    expect(envOk(BASE)).toEqual({
      kafkaBootstrapServers: ['127.0.0.1:19092'],
      taskId: 0,
      workerId: 'worker-a',
      httpHost: '0.0.0.0',
      httpPort: 8084,
      statusTopic: 'kwdb-connect-status',
      offsetsTopic: 'kwdb-connect-offsets',
      configFile: undefined,
      password: undefined,
      maxBufferedBytes: WORKER_ENV_DEFAULTS.maxBufferedBytes,
      logLevel: 'info',
      topicTracking: true,
    });
  });

  it('reads every variable', () => {
    const env = envOk({
      KAFKA_BOOTSTRAP_SERVERS: 'k1:9092, k2:9093,[::1]:9094',
      KWDB_CONNECT_TASK_ID: '3',
      KWDB_CONNECT_WORKER_ID: '10.0.0.7:8084',
      KWDB_CONNECT_HTTP_HOST: '127.0.0.1',
      KWDB_CONNECT_HTTP_PORT: '0',
      KWDB_CONNECT_STATUS_TOPIC: 'st',
      KWDB_CONNECT_OFFSETS_TOPIC: 'off',
      KWDB_CONNECT_CONFIG_FILE: '/etc/kwdb-connect/connector.json',
      KWDB_CONNECT_PASSWORD_FILE: '/var/run/secrets/kwdb/password',
      KWDB_CONNECT_MAX_BUFFERED_BYTES: '1048576',
      KWDB_CONNECT_LOG_LEVEL: 'debug',
      KWDB_CONNECT_TOPIC_TRACKING_ENABLE: 'false',
    });
    expect(env).toEqual({
      kafkaBootstrapServers: ['k1:9092', 'k2:9093', '[::1]:9094'],
      taskId: 3,
      workerId: '10.0.0.7:8084',
      httpHost: '127.0.0.1',
      httpPort: 0,
      statusTopic: 'st',
      offsetsTopic: 'off',
      configFile: '/etc/kwdb-connect/connector.json',
      password: { kind: 'file', path: '/var/run/secrets/kwdb/password' },
      maxBufferedBytes: 1048576,
      logLevel: 'debug',
      topicTracking: false,
    });
    expect(Object.isFrozen(env)).toBe(true);
  });

  it('takes the password from the variable as a Secret, untrimmed, never shown', () => {
    const env = envOk({ ...BASE, KWDB_CONNECT_PASSWORD: ' pw ' });
    expect(env.password?.kind).toBe('env');
    if (env.password?.kind !== 'env') return;
    expect(env.password.value.reveal()).toBe(' pw ');
    expect(JSON.stringify(env)).not.toContain(' pw ');
    expect(inspect(env)).not.toContain(' pw ');
  });

  it.each([
    {
      name: 'no bootstrap servers',
      env: {},
      want: 'KAFKA_BOOTSTRAP_SERVERS: is required (comma-separated host:port list)',
    },
    {
      name: 'a broker without port',
      env: { KAFKA_BOOTSTRAP_SERVERS: 'k1:9092,k2' },
      want: 'KAFKA_BOOTSTRAP_SERVERS: each entry must be host:port, got "k2"',
    },
    {
      name: 'a task id that is not a number',
      env: { ...BASE, KWDB_CONNECT_TASK_ID: 'one' },
      want: 'KWDB_CONNECT_TASK_ID: must be an integer >= 0, got "one"',
    },
    {
      name: 'a port out of range',
      env: { ...BASE, KWDB_CONNECT_HTTP_PORT: '70000' },
      want: 'KWDB_CONNECT_HTTP_PORT: must be an integer between 0 and 65535, got "70000"',
    },
    {
      name: 'a bad status topic',
      env: { ...BASE, KWDB_CONNECT_STATUS_TOPIC: 'a b' },
      want: 'KWDB_CONNECT_STATUS_TOPIC: is not a valid Kafka topic name, got "a b"',
    },
    {
      name: 'topic tracking neither true nor false',
      env: { ...BASE, KWDB_CONNECT_TOPIC_TRACKING_ENABLE: 'yes' },
      want: 'KWDB_CONNECT_TOPIC_TRACKING_ENABLE: must be true or false, got "yes"',
    },
    {
      name: 'a tiny buffer',
      env: { ...BASE, KWDB_CONNECT_MAX_BUFFERED_BYTES: '10' },
      want: 'KWDB_CONNECT_MAX_BUFFERED_BYTES: must be an integer >= 1024, got "10"',
    },
    {
      name: 'an unknown log level',
      env: { ...BASE, KWDB_CONNECT_LOG_LEVEL: 'loud' },
      want: 'KWDB_CONNECT_LOG_LEVEL: must be one of trace, debug, info, warn, error, fatal, silent, got "loud"',
    },
    {
      name: 'both password sources',
      env: { ...BASE, KWDB_CONNECT_PASSWORD: 'x', KWDB_CONNECT_PASSWORD_FILE: '/p' },
      want: 'KWDB_CONNECT_PASSWORD: set only one of KWDB_CONNECT_PASSWORD_FILE and KWDB_CONNECT_PASSWORD',
    },
  ])('$name', ({ env, want }) => {
    expect(errorsOf(env)).toEqual([want]);
  });

  it('reports every problem at once, and the thrown error lists them', () => {
    const env = {
      KWDB_CONNECT_TASK_ID: '-1',
      KWDB_CONNECT_HTTP_PORT: 'x',
      KWDB_CONNECT_PASSWORD: 'hunter2-secret',
    };
    expect(errorsOf(env)).toEqual([
      'KAFKA_BOOTSTRAP_SERVERS: is required (comma-separated host:port list)',
      'KWDB_CONNECT_TASK_ID: must be an integer >= 0, got "-1"',
      'KWDB_CONNECT_HTTP_PORT: must be an integer between 0 and 65535, got "x"',
    ]);
    expect(() => parseWorkerEnvOrThrow(env, HOST)).toThrow(ConfigError);
    try {
      parseWorkerEnvOrThrow(env, HOST);
    } catch (error) {
      expect((error as ConfigError).message).toMatch(
        /^Worker environment is invalid and contains the following 3/,
      );
      expect((error as ConfigError).message).not.toContain('hunter2-secret');
    }
  });

  it('warns about unknown KWDB_CONNECT_* variables and ignores others', () => {
    const result = parseWorkerEnv({ ...BASE, KWDB_CONNECT_HTTP_PROT: '1', PATH: '/bin' }, HOST);
    expect(result.ok && result.warnings.map((w) => w.message)).toEqual([
      'KWDB_CONNECT_HTTP_PROT: is not a setting kwdb-connect workers read (a typo?)',
    ]);
  });
});
