import { describe, expect, it } from '@jest/globals';
import { parseApiConfig } from './config';

describe('parseApiConfig', () => {
  it('When only the brokers are given, Then Kafka Connect-like defaults apply', () => {
    const result = parseApiConfig({ KAFKA_BOOTSTRAP_SERVERS: 'k:9092' }, '/work');
    expect(result).toEqual({
      ok: true,
      config: {
        host: '0.0.0.0',
        port: 8083,
        advertisedHost: undefined,
        kafkaBrokers: ['k:9092'],
        dataDir: '/work/.kwdb-connect',
        statusTopic: 'kwdb-connect-status',
        offsetsTopic: 'kwdb-connect-offsets',
        runtime: 'local',
        sinkWorker: '/work/dist/apps/sink-worker/main.js',
        sourceWorker: '/work/dist/apps/source-worker/main.js',
        workerHttpHost: '127.0.0.1',
        workerBasePort: 0,
        logLevel: 'info',
        taskLimits: { perConnector: 32, perRuntime: 64 },
        topicTracking: { enable: true, allowReset: true },
      },
    });
  });

  it('When several settings are wrong, Then every problem is listed, each naming its variable', () => {
    const result = parseApiConfig({
      KWDB_CONNECT_REST_PORT: '99999',
      KWDB_CONNECT_STATUS_TOPIC: 'bad topic',
      KWDB_CONNECT_RUNTIME: 'kube',
      KWDB_CONNECT_LOG_LEVEL: 'loud',
      KWDB_CONNECT_WORKER_BASE_PORT: '-1',
      KWDB_CONNECT_TOPIC_TRACKING_ENABLE: 'no',
    });
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors.map((e) => e.split(':')[0]).sort()).toEqual(
      [
        'KAFKA_BOOTSTRAP_SERVERS',
        'KWDB_CONNECT_LOG_LEVEL',
        'KWDB_CONNECT_REST_PORT',
        'KWDB_CONNECT_RUNTIME',
        'KWDB_CONNECT_STATUS_TOPIC',
        'KWDB_CONNECT_WORKER_BASE_PORT',
        'KWDB_CONNECT_TOPIC_TRACKING_ENABLE',
      ].sort(),
    );
  });

  it.each([
    { name: 'port 0 (tests)', env: { KWDB_CONNECT_REST_PORT: '0' }, key: 'port', value: 0 },
    { name: 'api-only runtime', env: { KWDB_CONNECT_RUNTIME: 'none' }, key: 'runtime', value: 'none' },
    {
      name: 'several brokers',
      env: { KAFKA_BOOTSTRAP_SERVERS: 'a:1, b:2' },
      key: 'kafkaBrokers',
      value: ['a:1', 'b:2'],
    },
    {
      name: 'topic tracking off (topic.tracking.enable=false)',
      env: { KWDB_CONNECT_TOPIC_TRACKING_ENABLE: 'false' },
      key: 'topicTracking',
      value: { enable: false, allowReset: true },
    },
    {
      name: 'topics reset refused (topic.tracking.allow.reset=false), any case',
      env: { KWDB_CONNECT_TOPIC_TRACKING_ALLOW_RESET: 'FALSE' },
      key: 'topicTracking',
      value: { enable: true, allowReset: false },
    },
  ])('$name', ({ env, key, value }) => {
    const result = parseApiConfig({ KAFKA_BOOTSTRAP_SERVERS: 'k:9092', ...env }, '/w');
    expect(result.ok && result.config[key as keyof typeof result.config]).toEqual(value);
  });
});

describe('parseApiConfig: the kubernetes runtime', () => {
  const base = { KAFKA_BOOTSTRAP_SERVERS: 'k:9092', KWDB_CONNECT_RUNTIME: 'kubernetes' };

  it('defaults', () => {
    const result = parseApiConfig({ ...base, KWDB_CONNECT_WORKER_IMAGE: 'img:1' }, '/w');
    expect(result.ok && result.config.kubernetes).toEqual({
      kubeconfig: undefined,
      namespace: 'default',
      identity: undefined,
      workerImage: 'img:1',
      workerImagePullPolicy: 'IfNotPresent',
      workerAppDir: '/app',
      workerNode: 'node',
      workerHostNetwork: false,
      workerPort: 8084,
      workerMetricsPortName: 'metrics',
      workerServiceAccount: undefined,
      workerScrapeAnnotations: true,
      leaseName: 'kwdb-connect-operator',
      leaseDurationSeconds: 15,
      resyncSeconds: 60,
    });
    expect(result.ok && result.config.workerHttpHost).toBe('0.0.0.0');
  });

  it.each([
    { name: 'scrape annotations switched off', value: 'false', expected: false },
    { name: 'scrape annotations on, any case', value: 'TRUE', expected: true },
  ])('$name', ({ value, expected }) => {
    const result = parseApiConfig(
      { ...base, KWDB_CONNECT_WORKER_IMAGE: 'img:1', KWDB_CONNECT_WORKER_SCRAPE_ANNOTATIONS: value },
      '/w',
    );
    expect(result.ok && result.config.kubernetes?.workerScrapeAnnotations).toBe(expected);
  });

  it.each([
    { name: 'a port name', value: 'prom-1', ok: true },
    { name: 'the longest port name (15)', value: 'a23456789012345', ok: true },
    { name: 'a port name of 16', value: 'a234567890123456', ok: false },
    { name: 'digits only', value: '8084', ok: false },
    { name: 'upper case', value: 'Metrics', ok: false },
    { name: 'two hyphens in a row', value: 'm--x', ok: false },
    { name: 'a hyphen at the end', value: 'metrics-', ok: false },
    { name: 'empty: the default', value: '', ok: true, expected: 'metrics' },
  ])('KWDB_CONNECT_WORKER_METRICS_PORT_NAME: $name', ({ value, ok, expected }) => {
    const result = parseApiConfig(
      { ...base, KWDB_CONNECT_WORKER_IMAGE: 'img:1', KWDB_CONNECT_WORKER_METRICS_PORT_NAME: value },
      '/w',
    );
    expect(result.ok).toBe(ok);
    if (result.ok) expect(result.config.kubernetes?.workerMetricsPortName).toBe(expected ?? value);
    else
      expect(result.errors[0]).toMatch(
        /^KWDB_CONNECT_WORKER_METRICS_PORT_NAME: must be a container port name/,
      );
  });

  it('lists every problem', () => {
    const result = parseApiConfig(
      {
        ...base,
        KWDB_CONNECT_NAMESPACE: 'Bad_NS',
        KWDB_CONNECT_WORKER_IMAGE_PULL_POLICY: 'Sometimes',
        KWDB_CONNECT_WORKER_HOST_NETWORK: 'yes',
        KWDB_CONNECT_WORKER_SCRAPE_ANNOTATIONS: 'on',
        KWDB_CONNECT_LEASE_DURATION_SECONDS: '1',
      },
      '/w',
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toEqual([
        'KWDB_CONNECT_NAMESPACE: must be a namespace name, got "Bad_NS"',
        'KWDB_CONNECT_WORKER_IMAGE: is required when KWDB_CONNECT_RUNTIME=kubernetes',
        'KWDB_CONNECT_WORKER_IMAGE_PULL_POLICY: must be Always, IfNotPresent or Never, got "Sometimes"',
        'KWDB_CONNECT_WORKER_HOST_NETWORK: must be true or false, got "yes"',
        'KWDB_CONNECT_WORKER_SCRAPE_ANNOTATIONS: must be true or false, got "on"',
        'KWDB_CONNECT_LEASE_DURATION_SECONDS: must be an integer >= 2, got "1"',
      ]);
    }
  });
});
