// Shared fixtures of the operator's unit tests: a guide-shaped sink resource and worker settings.
import type { WorkerPodSettings } from './desired';
import type { KwdbConnector } from './resource';

export function sinkResource(overrides: Partial<KwdbConnector['spec']> = {}): KwdbConnector {
  return {
    apiVersion: 'kwdb-connect.io/v1alpha1',
    kind: 'KwdbConnector',
    metadata: { name: 'meters-sink', namespace: 'ns1', uid: 'uid-1', generation: 3, resourceVersion: '7' },
    spec: {
      connectorName: 'KwdbSinkConnector',
      class: 'com.kaiwudb.kafka.connect.sink.KwdbSinkConnector',
      tasksMax: 3,
      state: 'running',
      config: {
        topics: 'kw-tsdb-ts_json_kaiwudb_tb',
        'connection.url': 'jdbc:kaiwudb://localhost:26257',
        'connection.user': 'test',
        'connection.database': 'tsdb',
        'connection.attempts': 3,
        'batch.size': '1000',
        'protocol.type': 'json_kaiwudb',
        'timestamp.precision': 'ms',
      },
      passwordSecretRef: { name: 'meters-secret', key: 'connection.password' },
      ...overrides,
    },
  };
}

export const SETTINGS: WorkerPodSettings = {
  image: 'docker.io/local/kwdb-connect:test',
  imagePullPolicy: 'Never',
  appDir: '/app',
  nodeBinary: '/usr/bin/node',
  kafkaBrokers: ['127.0.0.1:19092'],
  statusTopic: 'kwdb-connect-status',
  offsetsTopic: 'kwdb-connect-offsets',
  logLevel: 'info',
  httpPort: 8084,
  httpHost: '0.0.0.0',
  hostNetwork: false,
  extraEnv: {},
  terminationGracePeriodSeconds: 30,
  scrapeAnnotations: true,
  metricsPortName: 'metrics',
};
