// config-api in Kubernetes mode against the real kube-apiserver and the real Kafka: the REST API
// stores connectors as KwdbConnector resources, resources applied with kubectl are connectors too,
// and the operator loop (this config-api is the only replica, so it leads) renders the worker
// ConfigMap and Deployment, assigns task ids to worker Pods, carries out restarts, and writes the
// status from the status topic. The apiserver runs no controllers: no Pods appear by themselves
// and owner references are not garbage-collected, so the tests create worker Pods as a ReplicaSet
// would and assert on objects.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { ensureTopic, StatusPublisher } from '@kwdb-connect/runtime';
import { loadTestEnv, uniqueName } from '@kwdb-connect/testing';
import type { ApiConfig } from '../src/config';
import { ANNOTATIONS, resourceNameFor } from '../src/operator/resource';
import { startConfigApi, type RunningConfigApi } from '../src/server';
import { CONNECTOR_VERSION } from '../src/services/connector-service';
import { resourcePath, secretPath } from '../src/store/kubernetes/kubernetes-connector-store';
import { capturingLogger, client, eventually, example } from './helpers';
import { controllersRun, kubeContext, type KubeTestContext } from './kube-helpers';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
const env = loadTestEnv('kafka', 'kube');
const PASSWORD = 'kube-mode-<password>';
// The API server answers within milliseconds on an idle machine; on this shared 2-core host it
// has taken 30 s under a load average of 80+, so waits are generous (they end as soon as true).
jest.setTimeout(240_000);
const soon = <T>(probe: () => Promise<T | undefined>, what: string): Promise<T> =>
  eventually(probe, what, 90_000);

type Json = Record<string, unknown>;
interface Obj {
  metadata: {
    name: string;
    uid: string;
    resourceVersion: string;
    annotations?: Record<string, string>;
    ownerReferences?: { uid: string; kind: string; controller?: boolean }[];
  };
  spec: Json & { replicas?: number; template?: { metadata: { annotations: Record<string, string> } } };
  status?: Json & { conditions?: { type: string; status: string; reason: string; message: string }[] };
  data?: Record<string, string>;
}

describe('config-api in Kubernetes mode (real kube-apiserver, real Kafka)', () => {
  let k: KubeTestContext;
  let api: RunningConfigApi;
  let admin: Admin;
  let publisher: StatusPublisher;
  let dataDir: string;
  const captured = capturingLogger();
  const call = client(() => api.url);
  const statusTopic = uniqueName('kube-status');
  const topic = uniqueName('kube-meters');
  const sinkJson = example('kw-json-kaiwudb-sink.json');
  const sinkName = 'KwdbSinkConnector';
  const sinkResource = resourceNameFor(sinkName);

  const ns = (kind: string, name = ''): string =>
    kind === 'deployments'
      ? `/apis/apps/v1/namespaces/${k.namespace}/deployments/${name}`
      : `/api/v1/namespaces/${k.namespace}/${kind}/${name}`;
  const resource = (name: string) => k.http.get<Obj>(resourcePath(k.namespace, name));
  const deployment = (res: string) => k.http.find<Obj>(ns('deployments', `${res}-worker`));
  const condition = async (res: string, type: string) =>
    (await resource(res)).status?.conditions?.find((c) => c.type === type);
  /** A worker Pod as the Deployment's ReplicaSet would create it. */
  const createPod = (res: string, name: string) =>
    k.http.request('POST', ns('pods'), {
      body: {
        metadata: {
          name,
          labels: { 'kwdb-connect.io/connector': res, 'kwdb-connect.io/component': 'worker' },
        },
        spec: { containers: [{ name: 'worker', image: 'docker.io/local/kwdb-connect:test' }] },
      },
    });
  const livePods = async (res: string): Promise<Obj[]> => {
    const list = await k.http.request<{ items: (Obj & { metadata: { deletionTimestamp?: string } })[] }>(
      'GET',
      ns('pods'),
      { query: { labelSelector: `kwdb-connect.io/connector=${res}` } },
    );
    return list.items.filter((p) => p.metadata.deletionTimestamp === undefined);
  };
  /** Task id -> Pod name, over the live worker Pods. */
  const holders = async (res: string): Promise<Map<number, string>> => {
    const out = new Map<number, string>();
    for (const p of await livePods(res)) {
      const id = p.metadata.annotations?.[ANNOTATIONS.taskId];
      if (id === undefined) continue;
      expect(out.has(Number(id))).toBe(false); // never two live Pods with one id
      out.set(Number(id), p.metadata.name);
    }
    return out;
  };
  let podSeq = 0;
  /** Without controllers, play the ReplicaSet: top the live worker Pods up to `replicas`. */
  const replicaSet = async (res: string, replicas: number): Promise<void> => {
    if (controllersRun(env)) return;
    for (let n = (await livePods(res)).length; n < replicas; n++)
      await createPod(res, `${res}-pod-${++podSeq}`);
  };
  /** Waits until ids 0..n-1 are held by live Pods; returns the holders. */
  const allIds = (res: string, replicas: number) =>
    soon(
      async () => {
        await replicaSet(res, replicas);
        const h = await holders(res);
        return h.size === replicas && [...h.keys()].every((id) => id < replicas) ? h : undefined;
      },
      `task ids 0..${replicas - 1} on live Pods`,
    );

  beforeAll(async () => {
    k = await kubeContext(env, 'kmode');
    dataDir = await mkdtemp(join(tmpdir(), 'kube-mode-'));
    const kafka = new Kafka({
      clientId: 'kube-mode-test',
      brokers: env.kafka.brokers,
      logLevel: logLevel.NOTHING,
    });
    admin = kafka.admin();
    await admin.connect();
    await ensureTopic(admin, topic, { compacted: false, partitions: 2 });
    publisher = new StatusPublisher({ kafka, topic: statusTopic, workerId: 'test-pod:8084' });
    const config: ApiConfig = {
      host: '127.0.0.1',
      port: 0,
      advertisedHost: undefined,
      kafkaBrokers: env.kafka.brokers,
      dataDir,
      statusTopic,
      offsetsTopic: uniqueName('kube-offsets'),
      runtime: 'kubernetes',
      kubernetes: {
        kubeconfig: env.kube.kubeconfig,
        namespace: k.namespace,
        identity: 'replica-a',
        workerImage: 'docker.io/local/kwdb-connect:test',
        workerImagePullPolicy: 'Never',
        workerAppDir: '/app',
        workerNode: '/usr/bin/node',
        workerHostNetwork: false,
        workerPort: 8084,
        workerServiceAccount: undefined,
        workerScrapeAnnotations: true,
        workerMetricsPortName: 'metrics',
        leaseName: 'kwdb-connect-operator',
        leaseDurationSeconds: 10,
        resyncSeconds: 5,
      },
      sinkWorker: '',
      sourceWorker: '',
      workerHttpHost: '0.0.0.0',
      workerBasePort: 0,
      logLevel: 'debug',
      taskLimits: { perConnector: 8, perRuntime: 64 },
    };
    api = await startConfigApi(config, {
      logger: captured.logger,
      commit: 'test',
      operatorTimings: {
        leaseRetryMs: 300,
        pollMs: 300,
        autoRestart: { initialMs: 500, maxMs: 2000, resetAfterMs: 600_000 },
      },
    });
    await publisher.connect();
    await soon(async () => (api.operator?.isLeader ? true : undefined), 'this replica to lead');
  });

  afterAll(async () => {
    await api?.close();
    await publisher?.disconnect();
    await admin?.disconnect();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("POST of the guide's sink: a resource, its owned Secret, ConfigMap and Deployment (capped to the topic's 2 partitions)", async () => {
    const body = {
      ...sinkJson,
      config: { ...(sinkJson['config'] as Json), topics: topic, 'connection.password': PASSWORD },
    };
    const reply = await call('POST', '/connectors', body);
    expect(reply.status).toBe(201);
    const res = await resource(sinkResource);
    expect(res.spec).toMatchObject({ connectorName: sinkName, tasksMax: 5, state: 'running' });
    const secret = await k.http.get<Obj>(secretPath(k.namespace, `${sinkResource}-password`));
    expect(secret.metadata.ownerReferences?.[0]?.uid).toBe(res.metadata.uid);

    const cm = await soon(
      () => k.http.find<Obj>(ns('configmaps', `${sinkResource}-config`)),
      'the ConfigMap',
    );
    const file = JSON.parse(cm.data!['config.json']!) as Json;
    expect(file).toMatchObject({
      name: sinkName,
      targetState: 'RUNNING',
      config: { topics: topic, 'tasks.max': '5' },
    });
    expect(cm.metadata.ownerReferences?.[0]).toMatchObject({
      uid: res.metadata.uid,
      kind: 'KwdbConnector',
      controller: true,
    });

    const dep = await soon(() => deployment(sinkResource), 'the Deployment');
    expect(dep.spec.replicas).toBe(2);
    expect(dep.metadata.ownerReferences?.[0]?.uid).toBe(res.metadata.uid);
    const capped = await soon(async () => {
      const c = await condition(sinkResource, 'TasksCapped');
      return c?.status === 'True' ? c : undefined;
    }, 'the TasksCapped condition');
    expect(capped.reason).toBe('TopicPartitions');

    // The password is in the Secret only: not in the resource, the ConfigMap, the Deployment, a response or a log line.
    for (const text of [
      JSON.stringify(res),
      JSON.stringify(cm),
      JSON.stringify(dep),
      reply.text,
      captured.lines.join(''),
    ]) {
      expect(text).not.toContain(PASSWORD);
    }
    expect(((await call('GET', `/connectors/${sinkName}/config`)).body as Json)['connection.password']).toBe(
      '[hidden]',
    );
  });

  it('a resource applied with kubectl shows in GET /connectors, its info and its status', async () => {
    const manifest = {
      apiVersion: 'kwdb-connect.io/v1alpha1',
      kind: 'KwdbConnector',
      metadata: { name: 'applied-sink' },
      spec: {
        class: 'KwdbSinkConnector',
        tasksMax: 1,
        config: {
          topics: topic,
          'connection.url': 'jdbc:kaiwudb://h:26257',
          'connection.database': 'tsdb',
          'protocol.type': 'json_kaiwudb',
        },
      },
    };
    expect((await k.kubectl(['apply', '-n', k.namespace, '-f', '-'], JSON.stringify(manifest))).code).toBe(0);
    expect((await call('GET', '/connectors')).body).toEqual(['KwdbSinkConnector', 'applied-sink']);
    const info = (await call('GET', '/connectors/applied-sink')).body as Json;
    expect(info).toMatchObject({
      name: 'applied-sink',
      type: 'sink',
      tasks: [{ connector: 'applied-sink', task: 0 }],
    });
    const status = await soon(async () => {
      const s = (await call('GET', '/connectors/applied-sink/status')).body as Json;
      return (s['connector'] as Json | undefined)?.['state'] === 'RUNNING' ? s : undefined;
    }, 'the connector state published by the operator');
    expect(status['tasks']).toEqual([
      { id: 0, state: 'UNASSIGNED', worker_id: api.workerId, version: CONNECTOR_VERSION },
    ]);
    await soon(() => deployment('applied-sink'), 'the Deployment of the applied resource');
  });

  it('worker Pods get task ids 0..n-1; a replaced Pod gets the id of the one that went', async () => {
    const first = await allIds(sinkResource, 2);
    await k.http.request('DELETE', ns('pods', first.get(0)!));
    const second = await allIds(sinkResource, 2);
    expect(second.get(0)).not.toBe(first.get(0));
    expect(second.get(1)).toBe(first.get(1));
  });

  it('status comes from the status topic and the Deployment, and kubectl get kwc shows it', async () => {
    for (const id of [0, 1]) await publisher.publishTask(sinkName, id, 'RUNNING', null);
    if (!controllersRun(env)) {
      // No controllers: report the Deployment's Pods ready, as the Deployment controller would.
      await k.http.request('PATCH', `${ns('deployments', `${sinkResource}-worker`)}/status`, {
        patch: 'merge',
        body: { status: { replicas: 2, readyReplicas: 2 } },
      });
    }
    // With controllers the test image is never pulled, so its Pods never get ready.
    const expectedReady = controllersRun(env) ? 'False' : 'True';
    await soon(async () => {
      const r = await resource(sinkResource);
      const ready = r.status?.conditions?.find((c) => c.type === 'Ready')?.status;
      return ready === expectedReady && r.status?.['tasks'] === '2/2' ? true : undefined;
    }, `Ready=${expectedReady} with 2/2 tasks`);
    const res = await resource(sinkResource);
    expect(res.status).toMatchObject({
      state: 'RUNNING',
      tasks: '2/2',
      tasksMax: 2,
      replicas: controllersRun(env) ? 0 : 2,
      topics: [topic],
      observedGeneration: 1,
      connectorStatus: {
        name: sinkName,
        type: 'sink',
        tasks: [
          { id: 0, state: 'RUNNING', worker_id: 'test-pod:8084' },
          { id: 1, state: 'RUNNING', worker_id: 'test-pod:8084' },
        ],
      },
    });
    const table = await k.kubectl(['get', 'kwc', sinkResource, '-n', k.namespace, '--no-headers']);
    expect(table.stdout.trim().split(/\s+/).slice(0, 4)).toEqual([
      sinkResource,
      expectedReady,
      '2/2',
      'RUNNING',
    ]);
  });

  it('restart of one task (REST): the Pod holding it is deleted', async () => {
    const before = await allIds(sinkResource, 2);
    const reply = await call('POST', `/connectors/${sinkName}/tasks/1/restart`);
    expect(reply.status).toBe(204);
    await soon(
      async () => ((await holders(sinkResource)).get(1) !== before.get(1) ? true : undefined),
      'the Pod of task 1 replaced',
    );
    expect((await holders(sinkResource)).get(0)).toBe(before.get(0));
    const res = await resource(sinkResource);
    expect(res.metadata.annotations?.[ANNOTATIONS.restartTask]).toBeUndefined();
  });

  it('restart annotation includeTasks (as strimzi.io/restart): the Pods roll; the annotation is removed', async () => {
    const before = (await deployment(sinkResource))!.spec.template!.metadata.annotations[
      ANNOTATIONS.restartedAt
    ];
    expect(
      (
        await k.kubectl([
          'annotate',
          'kwc',
          sinkResource,
          '-n',
          k.namespace,
          `${ANNOTATIONS.restart}=includeTasks`,
        ])
      ).code,
    ).toBe(0);
    const rolled = await soon(async () => {
      const value = (await deployment(sinkResource))!.spec.template!.metadata.annotations[
        ANNOTATIONS.restartedAt
      ];
      return value !== undefined && value !== before ? value : undefined;
    }, 'the restarted-at annotation on the Pod template');
    expect(Date.parse(rolled)).not.toBeNaN();
    await soon(
      async () =>
        (await resource(sinkResource)).metadata.annotations?.[ANNOTATIONS.restart] === undefined
          ? true
          : undefined,
      'the annotation removed',
    );
  });

  it('a FAILED task restarts automatically with autoRestart on, and the count shows in the status', async () => {
    await k.http.request('PATCH', resourcePath(k.namespace, sinkResource), {
      patch: 'merge',
      body: { spec: { autoRestart: { enabled: true } } },
    });
    const before = await allIds(sinkResource, 2);
    await publisher.publishTask(sinkName, 0, 'FAILED', 'java.lang.Exception: boom');
    await soon(
      async () => ((await holders(sinkResource)).get(0) !== before.get(0) ? true : undefined),
      'the Pod of the FAILED task 0 replaced',
    );
    const res = await soon(async () => {
      const r = await resource(sinkResource);
      return (r.status?.['autoRestart'] as Json | undefined)?.['count'] === 1 ? r : undefined;
    }, 'autoRestart.count 1');
    expect(res.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'TaskFailed',
    });
    // Task 0 stays FAILED until the next test has seen its replacement counted: the leader names a
    // replaced Pod's restart by the task's state when it sees the replacement (failed, else drained).
  });

  it('task_restarts_total counts the replaced Pods by the leader: the REST restart of task 1 drained, the auto-restart of FAILED task 0 failed', async () => {
    const restarts = async (task: string, reason: string): Promise<number> => {
      const text = await (await fetch(`${api.url}/metrics`)).text();
      const line = text
        .split('\n')
        .find((l) =>
          l.startsWith(
            `kwdb_connect_task_restarts_total{connector="${sinkName}",task="${task}",reason="${reason}"} `,
          ),
        );
      return Number(line?.split(' ')[1] ?? 0);
    };
    await allIds(sinkResource, 2); // the replacement of task 0's Pod holds its id: now it counts
    await soon(async () => ((await restarts('0', 'failed')) >= 1 ? true : undefined), 'task 0 failed >= 1');
    expect(await restarts('1', 'drained')).toBeGreaterThanOrEqual(1);
    expect(await restarts('0', 'crashed')).toBe(0); // no kubelet here: no container restarts
    await publisher.publishTask(sinkName, 0, 'RUNNING', null);
  });

  it('pause and resume go through the ConfigMap target state without rolling; stop scales to 0', async () => {
    const hash = (await deployment(sinkResource))!.spec.template!.metadata.annotations[
      ANNOTATIONS.configHash
    ];
    expect((await call('PUT', `/connectors/${sinkName}/pause`)).status).toBe(202);
    expect((await resource(sinkResource)).spec['state']).toBe('paused');
    await soon(async () => {
      const cm = await k.http.get<Obj>(ns('configmaps', `${sinkResource}-config`));
      return JSON.parse(cm.data!['config.json']!).targetState === 'PAUSED' ? true : undefined;
    }, 'targetState PAUSED in the ConfigMap');
    expect(
      (await deployment(sinkResource))!.spec.template!.metadata.annotations[ANNOTATIONS.configHash],
    ).toBe(hash);

    expect((await call('PUT', `/connectors/${sinkName}/resume`)).status).toBe(202);
    await soon(async () => {
      const cm = await k.http.get<Obj>(ns('configmaps', `${sinkResource}-config`));
      return JSON.parse(cm.data!['config.json']!).targetState === 'RUNNING' ? true : undefined;
    }, 'targetState RUNNING in the ConfigMap');

    expect((await call('PUT', `/connectors/${sinkName}/stop`)).status).toBe(204);
    await soon(
      async () => ((await deployment(sinkResource))!.spec.replicas === 0 ? true : undefined),
      'replicas 0',
    );
    await soon(
      async () => ((await condition(sinkResource, 'Ready'))?.reason === 'Stopped' ? true : undefined),
      'Ready reason Stopped',
    );
    const offsets = await call('GET', `/connectors/${sinkName}/offsets`);
    expect(offsets.status).toBe(200);
    expect((await call('PUT', `/connectors/${sinkName}/resume`)).status).toBe(202);
    await soon(
      async () => ((await deployment(sinkResource))!.spec.replicas === 2 ? true : undefined),
      'replicas 2 again',
    );
  });

  it('scaling: kubectl scale and a REST tasks.max change set the replicas (within the bound); a config change rolls', async () => {
    const res = 'applied-sink';
    expect((await k.kubectl(['scale', `kwc/${res}`, '-n', k.namespace, '--replicas=2'])).code).toBe(0);
    await soon(
      async () => ((await deployment(res))!.spec.replicas === 2 ? true : undefined),
      'kubectl scale -> 2 replicas',
    );
    const hash = (await deployment(res))!.spec.template!.metadata.annotations[ANNOTATIONS.configHash];
    const config = {
      'connector.class': 'KwdbSinkConnector',
      topics: topic,
      'connection.url': 'jdbc:kaiwudb://h:26257',
      'connection.database': 'tsdb',
      'protocol.type': 'json_kaiwudb',
      'tasks.max': '1',
    };
    expect((await call('PUT', `/connectors/${res}/config`, config)).status).toBe(200);
    await soon(
      async () => ((await deployment(res))!.spec.replicas === 1 ? true : undefined),
      'REST tasks.max 1 -> 1 replica',
    );
    expect((await deployment(res))!.spec.template!.metadata.annotations[ANNOTATIONS.configHash]).not.toBe(
      hash,
    );
  });

  it('a REST change based on a stale read is a 409; a kubectl edit in between is kept', async () => {
    // The service reads, then writes with the resourceVersion it read. Simulate the race at the store.
    const read = (await api.store.get('applied-sink'))!;
    expect((await k.kubectl(['scale', 'kwc/applied-sink', '-n', k.namespace, '--replicas=3'])).code).toBe(0);
    await expect(api.store.update({ ...read, targetState: 'PAUSED' }, {})).rejects.toMatchObject({
      status: 409,
    });
    expect((await resource('applied-sink')).spec['tasksMax']).toBe(3);
  });

  it('an invalid spec (a required key missing) is NotReady with the problem, and runs nothing', async () => {
    const manifest = {
      apiVersion: 'kwdb-connect.io/v1alpha1',
      kind: 'KwdbConnector',
      metadata: { name: 'incomplete' },
      spec: { class: 'KwdbSinkConnector', config: { 'connection.url': 'jdbc:kaiwudb://h:26257' } },
    };
    expect((await k.kubectl(['apply', '-n', k.namespace, '-f', '-'], JSON.stringify(manifest))).code).toBe(0);
    const ready = await soon(async () => {
      const c = await condition('incomplete', 'Ready');
      return c?.reason === 'InvalidConfig' ? c : undefined;
    }, 'Ready=False InvalidConfig');
    expect(ready.message).toContain('topics');
    expect(await deployment('incomplete')).toBeUndefined();
  });

  it('a missing password Secret is NotReady (SecretMissing)', async () => {
    const manifest = {
      apiVersion: 'kwdb-connect.io/v1alpha1',
      kind: 'KwdbConnector',
      metadata: { name: 'no-secret' },
      spec: {
        class: 'KwdbSinkConnector',
        passwordSecretRef: { name: 'absent' },
        config: {
          topics: topic,
          'connection.url': 'jdbc:kaiwudb://h:1',
          'connection.database': 'tsdb',
          'protocol.type': 'json_kaiwudb',
        },
      },
    };
    expect((await k.kubectl(['apply', '-n', k.namespace, '-f', '-'], JSON.stringify(manifest))).code).toBe(0);
    const ready = await soon(async () => {
      const c = await condition('no-secret', 'Ready');
      return c?.reason === 'SecretMissing' ? c : undefined;
    }, 'Ready=False SecretMissing');
    expect(ready.message).toBe('Secret absent not found');
  });

  it('DELETE removes the resource; its objects are owned by it (the garbage collector removes them in a cluster)', async () => {
    const res = await resource(sinkResource);
    expect((await call('DELETE', `/connectors/${sinkName}`)).status).toBe(204);
    expect(await k.http.find(resourcePath(k.namespace, sinkResource))).toBeUndefined();
    expect((await call('GET', `/connectors/${sinkName}`)).status).toBe(404);
    for (const path of [
      ns('configmaps', `${sinkResource}-config`),
      ns('deployments', `${sinkResource}-worker`),
      secretPath(k.namespace, `${sinkResource}-password`),
    ]) {
      const owned = await k.http.find<Obj>(path);
      if (owned) expect(owned.metadata.ownerReferences?.[0]?.uid).toBe(res.metadata.uid);
    }
  });
});
