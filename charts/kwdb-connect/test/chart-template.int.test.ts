// `helm lint --strict` and `helm template` of the chart: each kind of good values renders the
// objects it should; each kind of bad value is rejected by values.schema.json with a message that
// names the key.
import { describe, expect, it } from '@jest/globals';
import { loadTestEnv, runCommand } from '@kwdb-connect/testing';
import { CHART_DIR, MINIMAL_VALUES, helmWithValues, renderChart, toolEnv } from './chart';
import { goodCases, withKafka } from './good-values';

const env = loadTestEnv();

describe('helm lint --strict', () => {
  it.each([
    ['minimal values', MINIMAL_VALUES],
    [
      'ingress, cluster-wide RBAC and a NetworkPolicy',
      withKafka({
        ingress: {
          enabled: true,
          className: 'traefik',
          hosts: [{ host: 'connect.example.com', paths: [{ path: '/', pathType: 'Prefix' }] }],
        },
        rbac: { create: true, clusterWide: true },
        networkPolicy: { enabled: true },
      }),
    ],
  ])('%s: no warnings, no errors', async (_name, values) => {
    const result = await helmWithValues(env, ['lint', '--strict', CHART_DIR], values);
    expect(result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(result.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
    expect(result.code).toBe(0);
  });

  it('fails without the Kafka bootstrap servers, naming the key', async () => {
    const result = await runCommand(env.tools.helm, ['lint', '--strict', CHART_DIR], { env: toolEnv(env) });
    expect(result.stdout + result.stderr).toContain('/kafka/bootstrapServers');
    expect(result.code).not.toBe(0);
  });
});

describe('helm template with good values', () => {
  it.each(goodCases.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
    const result = await renderChart(env, testCase.values);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    testCase.check(result.objects);
  });

  it('no value of any case puts a password into a rendered object', async () => {
    for (const testCase of goodCases) {
      const result = await renderChart(env, testCase.values);
      expect(result.stdout.toLowerCase()).not.toMatch(/password\s*[:=]/);
    }
  });
});

interface BadCase {
  name: string;
  values: Record<string, unknown>;
  /** Fragments the error must contain: the key's path, and what is wrong. */
  messages: string[];
  /** Who rejects it: values.schema.json (default), or a template's `fail` (checks a schema cannot word clearly). */
  by?: 'schema' | 'template';
}

const badCases: BadCase[] = [
  {
    name: 'no Kafka bootstrap servers',
    values: { kafka: { bootstrapServers: [] } },
    messages: ['/kafka/bootstrapServers', 'minItems'],
  },
  {
    name: 'a broker without a port',
    values: { kafka: { bootstrapServers: ['kafka'] } },
    messages: ['/kafka/bootstrapServers/0', 'does not match pattern'],
  },
  {
    name: 'a topic name with a space',
    values: withKafka({ kafka: { bootstrapServers: ['k:9092'], statusTopic: 'my status' } }),
    messages: ['/kafka/statusTopic'],
  },
  {
    name: 'zero replicas',
    values: withKafka({ configApi: { replicas: 0 } }),
    messages: ['/configApi/replicas', 'minimum'],
  },
  {
    name: 'replicas as a word',
    values: withKafka({ configApi: { replicas: 'two' } }),
    messages: ['/configApi/replicas', 'want integer'],
  },
  {
    name: 'a Lease shorter than 2 s',
    values: withKafka({ operator: { leaseDurationSeconds: 1 } }),
    messages: ['/operator/leaseDurationSeconds', 'minimum'],
  },
  {
    name: 'connectors in a namespace that is not a name',
    values: withKafka({ operator: { namespace: 'Team A' } }),
    messages: ['/operator/namespace'],
  },
  {
    name: 'a misspelt key',
    values: withKafka({ configApi: { replica: 2 } }),
    messages: ["'replica' not allowed"],
  },
  {
    name: 'a password in values',
    values: withKafka({ kwdb: { password: 'secret' } }),
    messages: ["'kwdb' not allowed"],
  },
  {
    name: 'a password as a plain environment value',
    values: withKafka({ configApi: { extraEnv: [{ name: 'KWDB_PASSWORD', value: 'x' }] } }),
    messages: ['configApi.extraEnv[0] (KWDB_PASSWORD)', 'use valueFrom.secretKeyRef'],
    by: 'template',
  },
  {
    name: 'a port out of range',
    values: withKafka({ service: { type: 'ClusterIP', port: 70000 } }),
    messages: ['/service/port', 'maximum'],
  },
  {
    name: 'an unknown pull policy',
    values: withKafka({ image: { repository: 'kwdb-connect', pullPolicy: 'Sometimes' } }),
    messages: ['/image/pullPolicy'],
  },
  {
    name: 'an image name with upper case',
    values: withKafka({ image: { repository: 'KWDB/Connect', pullPolicy: 'Always' } }),
    messages: ['/image/repository', 'does not match pattern'],
  },
  {
    name: 'an unknown log level',
    values: withKafka({ configApi: { logLevel: 'verbose' } }),
    messages: ['/configApi/logLevel'],
  },
  {
    name: 'a memory limit that is not a quantity',
    values: withKafka({ configApi: { resources: { limits: { memory: 'lots' } } } }),
    messages: ['/configApi/resources/limits/memory'],
  },
  {
    name: 'an Ingress without hosts',
    values: withKafka({ ingress: { enabled: true, hosts: [] } }),
    messages: ['/ingress/hosts', 'minItems'],
  },
  {
    name: 'an Ingress path type that does not exist',
    values: withKafka({
      ingress: {
        enabled: true,
        hosts: [{ host: 'a.example.com', paths: [{ path: '/', pathType: 'Regex' }] }],
      },
    }),
    messages: ['/ingress/hosts/0/paths/0/pathType'],
  },
  {
    name: 'an Ingress host with a scheme',
    values: withKafka({
      ingress: {
        enabled: true,
        hosts: [{ host: 'http://a.example.com', paths: [{ path: '/', pathType: 'Prefix' }] }],
      },
    }),
    messages: ['/ingress/hosts/0/host', 'does not match pattern'],
  },
  {
    name: 'a TLS Secret name that is not a Kubernetes name',
    values: withKafka({ ingress: { enabled: false, tls: [{ secretName: 'My_Secret' }] } }),
    messages: ['/ingress/tls/0/secretName'],
  },
  {
    name: 'a PodDisruptionBudget that allows nothing',
    values: withKafka({ podDisruptionBudget: { enabled: true, maxUnavailable: 0 } }),
    messages: ['/podDisruptionBudget/maxUnavailable'],
  },
  {
    name: 'Recreate with rolling-update settings',
    values: withKafka({
      configApi: { updateStrategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } },
    }),
    messages: ['/configApi/updateStrategy'],
  },
  {
    name: 'an API port that is not a number',
    values: withKafka({ kubernetesApi: { host: '127.0.0.1', port: 'https' } }),
    messages: ['/kubernetesApi/port'],
  },
  {
    name: 'hostNetwork as a string',
    values: withKafka({ hostNetwork: 'yes' }),
    messages: ['/hostNetwork', 'want boolean'],
  },
  {
    name: 'a misspelt monitoring key',
    values: withKafka({ monitoring: { scrapeConfig: { enabeld: true } } }),
    messages: ['/monitoring/scrapeConfig', "'enabeld' not allowed"],
  },
  {
    name: 'a metrics port name of digits only (Kubernetes needs a letter)',
    values: withKafka({ monitoring: { metricsPortName: '8084' } }),
    messages: ['/monitoring/metricsPortName'],
  },
  {
    name: 'a metrics port name longer than 15',
    values: withKafka({ monitoring: { metricsPortName: 'metrics-of-workers' } }),
    messages: ['/monitoring/metricsPortName', 'maxLength'],
  },
  {
    name: 'scrape annotations switched by a string',
    values: withKafka({ monitoring: { scrapeAnnotations: { enabled: 'yes' } } }),
    messages: ['/monitoring/scrapeAnnotations/enabled', 'want boolean'],
  },
];

describe('helm template with bad values: rejected with the key and what is wrong', () => {
  it.each(badCases.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
    const result = await renderChart(env, testCase.values);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      testCase.by === 'template'
        ? 'Error: execution error at'
        : "values don't meet the specifications of the schema",
    );
    for (const message of testCase.messages) expect(result.stderr).toContain(message);
  });
});
