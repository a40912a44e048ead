// The KwdbConnector CRD against the real kube-apiserver: the committed file applies, the guide's
// example manifests are accepted, each kind of bad spec is refused at apply time with a message
// naming the field, `kubectl get kwc` shows the columns, and `kubectl scale` sets spec.tasksMax.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTestEnv } from '@kwdb-connect/testing';
import { resourcePath } from '../src/store/kubernetes/kubernetes-connector-store';
import { kubeContext, REPO, type KubeTestContext } from './kube-helpers';

const env = loadTestEnv('kube');

function manifest(name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'kwdb-connect.io/v1alpha1',
    kind: 'KwdbConnector',
    metadata: { name },
    spec,
  });
}

const GOOD_SPEC = {
  class: 'com.kaiwudb.kafka.connect.sink.KwdbSinkConnector',
  tasksMax: 2,
  config: {
    topics: 't1',
    'connection.url': 'jdbc:kaiwudb://h:26257',
    'batch.size': 1000,
    'protocol.type': 'json_kaiwudb',
  },
};

describe('KwdbConnector CRD (real kube-apiserver)', () => {
  let k: KubeTestContext;
  beforeAll(async () => {
    k = await kubeContext(env, 'crd');
  });

  it.each(['kw-json-kaiwudb-sink.yaml', 'kw-json-kaiwudb-source.yaml'])(
    'accepts k8s/examples/%s',
    async (file) => {
      const result = await k.kubectl(['apply', '-n', k.namespace, '-f', join(REPO, 'k8s/examples', file)]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const text = readFileSync(join(REPO, 'k8s/examples', file), 'utf8');
      const name = /kind: KwdbConnector\nmetadata:\n {2}name: (\S+)/.exec(text)![1]!;
      expect(await k.http.find(resourcePath(k.namespace, name))).toBeDefined();
    },
  );

  it.each([
    {
      name: 'unknown class',
      spec: { ...GOOD_SPEC, class: 'org.example.Other' },
      message: 'spec.class: Unsupported value: "org.example.Other"',
    },
    {
      name: 'tasksMax 0',
      spec: { ...GOOD_SPEC, tasksMax: 0 },
      message: 'spec.tasksMax in body should be greater than or equal to 1',
    },
    {
      name: 'unknown state',
      spec: { ...GOOD_SPEC, state: 'sleeping' },
      message: 'spec.state: Unsupported value: "sleeping"',
    },
    {
      name: 'no class',
      spec: { tasksMax: 1, config: GOOD_SPEC.config },
      message: 'spec.class: Required value',
    },
    {
      name: 'the password in spec.config',
      spec: { ...GOOD_SPEC, config: { ...GOOD_SPEC.config, 'connection.password': 'secret' } },
      message:
        'spec.config must not contain connection.password: use a Secret named by spec.passwordSecretRef',
    },
    {
      name: 'tasks.max in spec.config',
      spec: { ...GOOD_SPEC, config: { ...GOOD_SPEC.config, 'tasks.max': '3' } },
      message: 'spec.config must not contain tasks.max: use spec.tasksMax',
    },
    {
      name: 'a non-integer batch.size',
      spec: { ...GOOD_SPEC, config: { ...GOOD_SPEC.config, 'batch.size': 'many' } },
      message: 'spec.config.batch.size must be an integer >= 1',
    },
    {
      name: 'an unknown protocol.type',
      spec: { ...GOOD_SPEC, config: { ...GOOD_SPEC.config, 'protocol.type': 'xml' } },
      message:
        'spec.config.protocol.type must be one of json_kaiwudb, json_opentsdb, line_opentsdb, line_influxdb',
    },
    {
      name: 'a boolean key that is not true/false',
      spec: { ...GOOD_SPEC, config: { ...GOOD_SPEC.config, 'topic.per.stable': 'maybe' } },
      message: 'spec.config.topic.per.stable must be true or false',
    },
    {
      name: 'a nested object as a config value',
      spec: { ...GOOD_SPEC, config: { ...GOOD_SPEC.config, topics: { a: 1 } } },
      message: 'unknown field "spec.config.topics.a"',
    },
    {
      name: 'a password Secret reference without a name',
      spec: { ...GOOD_SPEC, passwordSecretRef: { key: 'x' } },
      message: 'spec.passwordSecretRef.name: Required value',
    },
    {
      name: 'a bad toleration operator',
      spec: { ...GOOD_SPEC, template: { tolerations: [{ key: 'a', operator: 'Maybe' }] } },
      message: 'spec.template.tolerations[0].operator: Unsupported value: "Maybe"',
    },
  ])('refuses $name', async ({ spec, message }) => {
    const result = await k.kubectl(['apply', '-n', k.namespace, '-f', '-'], manifest('bad', spec));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
  });

  it('refuses a change of spec.connectorName', async () => {
    await k.kubectl(
      ['apply', '-n', k.namespace, '-f', '-'],
      manifest('renamed', { ...GOOD_SPEC, connectorName: 'A' }),
    );
    const result = await k.kubectl(
      ['apply', '-n', k.namespace, '-f', '-'],
      manifest('renamed', { ...GOOD_SPEC, connectorName: 'B' }),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('spec.connectorName is immutable');
  });

  it('kubectl get kwc shows READY, TASKS, STATE and AGE; kubectl scale sets tasksMax', async () => {
    const applied = await k.kubectl(['apply', '-n', k.namespace, '-f', '-'], manifest('cols', GOOD_SPEC));
    expect(applied.code).toBe(0);
    await k.http.request('PATCH', `${resourcePath(k.namespace, 'cols')}/status`, {
      patch: 'merge',
      body: {
        status: {
          conditions: [
            {
              type: 'Ready',
              status: 'True',
              reason: 'Running',
              message: '',
              lastTransitionTime: new Date().toISOString(),
            },
          ],
          tasks: '2/2',
          state: 'RUNNING',
          replicas: 2,
          tasksMax: 2,
        },
      },
    });
    const table = await k.kubectl(['get', 'kwc', 'cols', '-n', k.namespace]);
    const [header, row] = table.stdout.trim().split('\n');
    expect(header!.split(/\s+/)).toEqual(['NAME', 'READY', 'TASKS', 'STATE', 'AGE']);
    expect(row!.split(/\s+/).slice(0, 4)).toEqual(['cols', 'True', '2/2', 'RUNNING']);

    const scaled = await k.kubectl(['scale', `kwc/cols`, '-n', k.namespace, '--replicas=3']);
    expect(scaled.code).toBe(0);
    const after = await k.http.get<{ spec: { tasksMax: number } }>(resourcePath(k.namespace, 'cols'));
    expect(after.spec.tasksMax).toBe(3);
    const scale = await k.http.get<{ spec: { replicas: number }; status: { replicas: number } }>(
      `${resourcePath(k.namespace, 'cols')}/scale`,
    );
    expect(scale.spec.replicas).toBe(3);
    expect(scale.status.replicas).toBe(2);
  });
});
