// The Kubernetes connector store against the real kube-apiserver: resources and their password
// Secrets, resources applied with kubectl, and concurrent changes answered with 409, never lost.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { loadTestEnv } from '@kwdb-connect/testing';
import { resourceNameFor } from '../src/operator/resource';
import type { ConnectorDefinition } from '../src/store/connector-store';
import {
  ConcurrentChangeError,
  KubernetesConnectorStore,
  resourcePath,
  secretPath,
} from '../src/store/kubernetes/kubernetes-connector-store';
import { kubeContext, type KubeTestContext } from './kube-helpers';

const env = loadTestEnv('kube');
const PASSWORD = 'pw-<secret>-1';

function definition(name: string, over: Partial<ConnectorDefinition> = {}): ConnectorDefinition {
  return {
    name,
    config: {
      'connector.class': 'com.kaiwudb.kafka.connect.sink.KwdbSinkConnector',
      'tasks.max': '2',
      topics: 'meters',
      'connection.url': 'jdbc:kaiwudb://h:26257',
      'batch.size': '1000',
      name,
    },
    targetState: 'RUNNING',
    generation: 1,
    createdAt: '',
    updatedAt: '',
    ...over,
  };
}

interface Obj {
  metadata: {
    name: string;
    uid: string;
    resourceVersion: string;
    ownerReferences?: { uid: string; kind: string }[];
  };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

describe('KubernetesConnectorStore (real kube-apiserver)', () => {
  let k: KubeTestContext;
  let store: KubernetesConnectorStore;
  beforeAll(async () => {
    k = await kubeContext(env, 'store');
    store = new KubernetesConnectorStore(k.http, k.namespace);
  });

  it('create: the resource without the password, and a Secret owned by it holding the password', async () => {
    await store.create(definition('KwdbSinkConnector'), { password: PASSWORD });
    const name = resourceNameFor('KwdbSinkConnector');
    const resource = await k.http.get<Obj>(resourcePath(k.namespace, name));
    expect(resource.spec).toMatchObject({
      connectorName: 'KwdbSinkConnector',
      class: 'com.kaiwudb.kafka.connect.sink.KwdbSinkConnector',
      tasksMax: 2,
      state: 'running',
      config: { topics: 'meters', 'connection.url': 'jdbc:kaiwudb://h:26257', 'batch.size': '1000' },
      passwordSecretRef: { name: `${name}-password`, key: 'connection.password' },
    });
    expect(JSON.stringify(resource)).not.toContain(PASSWORD);
    const secret = await k.http.get<Obj>(secretPath(k.namespace, `${name}-password`));
    expect(Buffer.from(secret.data!['connection.password']!, 'base64').toString()).toBe(PASSWORD);
    expect(secret.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'KwdbConnector', uid: resource.metadata.uid }),
    ]);
    expect(await store.getSecrets('KwdbSinkConnector')).toEqual({ password: PASSWORD });
    const read = await store.get('KwdbSinkConnector');
    expect(read?.config).toEqual(definition('KwdbSinkConnector').config);
    expect(read?.revision).toBe('1');
  });

  it('a second create of the same name is a 409', async () => {
    await store.create(definition('dup'), {});
    await expect(store.create(definition('dup'), {})).rejects.toMatchObject({ status: 409 });
  });

  it('a resource applied with kubectl is a connector like any other', async () => {
    const manifest = {
      apiVersion: 'kwdb-connect.io/v1alpha1',
      kind: 'KwdbConnector',
      metadata: { name: 'applied' },
      spec: {
        class: 'KwdbSink',
        tasksMax: 4,
        state: 'paused',
        config: { topics: 'a,b', 'connection.url': 'jdbc:kaiwudb://h:1', 'batch.size': 50 },
      },
    };
    const result = await k.kubectl(['apply', '-n', k.namespace, '-f', '-'], JSON.stringify(manifest));
    expect(result.code).toBe(0);
    expect(await store.list()).toContain('applied');
    const read = await store.get('applied');
    expect(read).toMatchObject({
      name: 'applied',
      targetState: 'PAUSED',
      config: {
        'connector.class': 'KwdbSink',
        'tasks.max': '4',
        topics: 'a,b',
        'batch.size': '50',
        name: 'applied',
      },
    });
  });

  it('update: keeps what the REST API does not manage (template, autoRestart)', async () => {
    await store.create(definition('keep'), {});
    await k.http.request('PATCH', resourcePath(k.namespace, 'keep'), {
      patch: 'merge',
      body: { spec: { autoRestart: { enabled: true }, template: { labels: { team: 'iot' } } } },
    });
    const read = (await store.get('keep'))!;
    await store.update(
      { ...read, config: { ...read.config, 'batch.size': '7' }, targetState: 'STOPPED' },
      {},
    );
    const after = await k.http.get<Obj>(resourcePath(k.namespace, 'keep'));
    expect(after.spec).toMatchObject({
      state: 'stopped',
      config: { 'batch.size': '7' },
      autoRestart: { enabled: true },
      template: { labels: { team: 'iot' } },
    });
  });

  it('a change made since the read (kubectl, another replica) is a 409, and nothing is lost', async () => {
    await store.create(definition('race'), {});
    const read = (await store.get('race'))!;
    // Someone else scales it meanwhile.
    const scaled = await k.kubectl(['scale', 'kwc/race', '-n', k.namespace, '--replicas=5']);
    expect(scaled.code).toBe(0);
    const attempt = store.update({ ...read, targetState: 'PAUSED' }, {});
    await expect(attempt).rejects.toBeInstanceOf(ConcurrentChangeError);
    await expect(attempt).rejects.toMatchObject({ status: 409 });
    const now = (await store.get('race'))!;
    expect(now.config['tasks.max']).toBe('5');
    expect(now.targetState).toBe('RUNNING');
    // Re-read and retry: both changes are kept.
    await store.update({ ...now, targetState: 'PAUSED' }, {});
    expect(await store.get('race')).toMatchObject({ targetState: 'PAUSED', config: { 'tasks.max': '5' } });
  });

  it('a password change updates the Secret; removing the password deletes the owned Secret', async () => {
    await store.create(definition('pw'), { password: 'one' });
    const read = (await store.get('pw'))!;
    await store.update(read, { password: 'two' });
    expect(await store.getSecrets('pw')).toEqual({ password: 'two' });
    await store.update((await store.get('pw'))!, {});
    expect(await store.getSecrets('pw')).toEqual({});
    expect(await k.http.find(secretPath(k.namespace, 'pw-password'))).toBeUndefined();
  });

  it('delete removes the resource (its Secret goes by owner reference)', async () => {
    await store.create(definition('gone'), { password: 'x' });
    expect(await store.delete('gone')).toBe(true);
    expect(await store.get('gone')).toBeUndefined();
    expect(await store.delete('gone')).toBe(false);
  });
});
