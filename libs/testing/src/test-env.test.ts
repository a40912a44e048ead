import { describe, expect, it } from '@jest/globals';
import { parseTestEnv, TestEnvError, testEnvDir } from './test-env';

describe('parseTestEnv', () => {
  const valid = {
    host: '127.0.0.1',
    kafka: { brokers: ['127.0.0.1:19092'], running: true },
    postgres: {
      host: '127.0.0.1',
      port: 15432,
      user: 'postgres',
      database: 'postgres',
      url: 'x',
      running: true,
    },
    kube: { kubeconfig: '/k', version: '1.34.4', running: false },
    tools: { kubectl: '/kubectl', helm: '/helm', kafkaClasspath: '/cp/*' },
    logDir: '/logs',
  };

  it.each([
    ['a complete file', JSON.stringify(valid), null],
    ['invalid JSON', '{', /env\.json: not valid JSON/],
    ['a missing section', JSON.stringify({ ...valid, kube: undefined }), /env\.json: missing "kube"/],
  ])('%s', (_name, text, error) => {
    if (error === null) {
      expect(parseTestEnv(text, 'env.json').kafka.brokers).toEqual(['127.0.0.1:19092']);
    } else {
      expect(() => parseTestEnv(text, 'env.json')).toThrow(TestEnvError);
      expect(() => parseTestEnv(text, 'env.json')).toThrow(error);
    }
  });
});

describe('testEnvDir', () => {
  it.each([
    ['the default', {}, '/tmp/kwdb-connect-testenv'],
    ['TESTENV_DIR', { TESTENV_DIR: '/a' }, '/a'],
    ['KWDB_CONNECT_TESTENV', { KWDB_CONNECT_TESTENV: '/b' }, '/b'],
  ])('%s', (_name, env, expected) => {
    expect(testEnvDir(env)).toBe(expected);
  });
});
