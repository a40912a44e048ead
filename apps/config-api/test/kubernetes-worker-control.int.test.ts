// Run-time controls of worker Pods in Kubernetes mode (ADR 0028) against the real kube-apiserver
// and the real Kafka: two config-api replicas share one Lease; a cluster-scope log level PUT on the
// replica that does NOT lead lands in the `<lease>-log-levels` ConfigMap, and the leader's operator
// renders it into every connector's worker ConfigMap; a topics reset is the resource's
// `topics-reset-at` annotation, rendered as `activeTopicsResetAt`. Neither touches the Deployment
// (same generation, same Pod template): workers re-read the mounted file without a restart.
// Worker Pods themselves are covered on the one-node cluster (tools/e2e-cluster operator-controls).
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { ensureTopic, workerControlOf } from '@kwdb-connect/runtime';
import { loadTestEnv, uniqueName } from '@kwdb-connect/testing';
import type { ApiConfig } from '../src/config';
import { ANNOTATIONS, resourceNameFor } from '../src/operator/resource';
import { LOG_LEVELS_KEY } from '../src/operator/worker-controls';
import { startConfigApi, type RunningConfigApi } from '../src/server';
import { resourcePath } from '../src/store/kubernetes/kubernetes-connector-store';
import { capturingLogger, client, eventually, example } from './helpers';
import { kubeContext, type KubeTestContext } from './kube-helpers';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
const env = loadTestEnv('kafka', 'kube');
// Generous waits for a loaded shared host; each ends as soon as its condition holds.
jest.setTimeout(240_000);
const soon = <T>(probe: () => Promise<T | undefined>, what: string): Promise<T> =>
  eventually(probe, what, 90_000);

type Json = Record<string, unknown>;
interface Obj {
  metadata: {
    name: string;
    resourceVersion: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Json & { template?: unknown };
  data?: Record<string, string>;
}

describe('worker controls in Kubernetes mode (real kube-apiserver, real Kafka)', () => {
  let k: KubeTestContext;
  let leader: RunningConfigApi;
  let follower: RunningConfigApi;
  let admin: Admin;
  let dataDir: string;
  const lease = 'kwdb-connect-operator';
  const statusTopic = uniqueName('kctl-status');
  const offsetsTopic = uniqueName('kctl-offsets');
  const topic = uniqueName('kctl-meters');
  const sinkJson = example('kw-json-kaiwudb-sink.json');
  const sinkName = 'KwdbSinkConnector';
  const sinkResource = resourceNameFor(sinkName);
  const callLeader = client(() => leader.url);
  const callFollower = client(() => follower.url);

  const cmPath = (name: string): string => `/api/v1/namespaces/${k.namespace}/configmaps/${name}`;
  const deploymentPath = (): string =>
    `/apis/apps/v1/namespaces/${k.namespace}/deployments/${sinkResource}-worker`;
  /** The worker config file the operator rendered for the sink. */
  const workerFile = async (): Promise<Json | undefined> => {
    const cm = await k.http.find<Obj>(cmPath(`${sinkResource}-config`));
    const text = cm?.data?.['config.json'];
    return text === undefined ? undefined : (JSON.parse(text) as Json);
  };

  const configFor = (identity: string): ApiConfig => ({
    host: '127.0.0.1',
    port: 0,
    advertisedHost: undefined,
    kafkaBrokers: env.kafka.brokers,
    dataDir,
    statusTopic,
    offsetsTopic,
    runtime: 'kubernetes',
    kubernetes: {
      kubeconfig: env.kube.kubeconfig,
      namespace: k.namespace,
      identity,
      workerImage: 'docker.io/local/kwdb-connect:test',
      workerImagePullPolicy: 'Never',
      workerAppDir: '/app',
      workerNode: '/usr/bin/node',
      workerHostNetwork: false,
      workerPort: 8084,
      workerScrapeAnnotations: true,
      workerMetricsPortName: 'metrics',
      workerServiceAccount: undefined,
      leaseName: lease,
      leaseDurationSeconds: 10,
      resyncSeconds: 300, // long: the ConfigMap watch, not the resync, must carry the change
    },
    sinkWorker: '',
    sourceWorker: '',
    workerHttpHost: '0.0.0.0',
    workerBasePort: 0,
    logLevel: 'info',
    taskLimits: { perConnector: 8, perRuntime: 64 },
  });
  const timings = { operatorTimings: { leaseRetryMs: 300, pollMs: 300 } };

  beforeAll(async () => {
    k = await kubeContext(env, 'kctl');
    dataDir = await mkdtemp(join(tmpdir(), 'kube-controls-'));
    admin = new Kafka({
      clientId: 'kctl-test',
      brokers: env.kafka.brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await ensureTopic(admin, topic, { compacted: false, partitions: 1 });
    leader = await startConfigApi(configFor('replica-a'), {
      logger: capturingLogger().logger,
      commit: 'test',
      ...timings,
    });
    await soon(async () => (leader.operator?.isLeader ? true : undefined), 'replica-a to lead');
    follower = await startConfigApi(configFor('replica-b'), {
      logger: capturingLogger().logger,
      commit: 'test',
      ...timings,
    });
    const reply = await callLeader('POST', '/connectors', {
      ...sinkJson,
      config: { ...(sinkJson['config'] as Json), topics: topic, 'connection.password': 'kctl-<password>' },
    });
    expect(reply.status).toBe(201);
    await soon(() => k.http.find<Obj>(deploymentPath()), 'the worker Deployment');
  });

  afterAll(async () => {
    await follower?.close();
    await leader?.close();
    await admin?.disconnect();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('When a cluster-scope level is PUT on the replica that does not lead, Then the log-levels ConfigMap holds it and the leader renders it into the worker file, without touching the Deployment', async () => {
    expect(follower.operator?.isLeader).toBe(false);
    const before = await k.http.get<Obj>(deploymentPath());
    const reply = await callFollower('PUT', '/admin/loggers/sink-worker?scope=cluster', { level: 'debug' });
    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');

    const levels = await k.http.get<Obj>(cmPath(`${lease}-log-levels`));
    expect(JSON.parse(levels.data![LOG_LEVELS_KEY]!)).toEqual([{ logger: 'sink-worker', level: 'DEBUG' }]);
    expect(levels.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'kwdb-connect' });

    const file = await soon(async () => {
      const f = await workerFile();
      return Array.isArray(f?.['logLevels']) ? f : undefined;
    }, 'the level in the worker file');
    expect(file['logLevels']).toEqual([{ logger: 'sink-worker', level: 'DEBUG' }]);
    // What the worker reads from it.
    expect(workerControlOf(JSON.stringify(file))?.logLevels).toEqual([
      { logger: 'sink-worker', level: 'DEBUG' },
    ]);
    const after = await k.http.get<Obj>(deploymentPath());
    expect(after.metadata.generation).toBe(before.metadata.generation);
    expect(after.spec?.template).toEqual(before.spec?.template);
    // The leader replica's own loggers follow the ConfigMap too (as every Connect worker would).
    const own = await soon(async () => {
      const reply = await callLeader('GET', '/admin/loggers/sink-worker');
      return reply.status === 200 ? reply.body : undefined;
    }, "the level on the leader replica's own logger");
    expect(own).toMatchObject({ level: 'DEBUG' });
  });

  it('When levels are set again on either replica, Then the list keeps one entry per logger, the last set last', async () => {
    expect((await callLeader('PUT', '/admin/loggers/root?scope=cluster', { level: 'WARN' })).status).toBe(
      204,
    );
    expect(
      (await callFollower('PUT', '/admin/loggers/sink-worker?scope=cluster', { level: 'TRACE' })).status,
    ).toBe(204);
    const expected = [
      { logger: 'root', level: 'WARN' },
      { logger: 'sink-worker', level: 'TRACE' },
    ];
    const levels = await k.http.get<Obj>(cmPath(`${lease}-log-levels`));
    expect(JSON.parse(levels.data![LOG_LEVELS_KEY]!)).toEqual(expected);
    await soon(async () => {
      const f = await workerFile();
      return JSON.stringify(f?.['logLevels']) === JSON.stringify(expected) ? true : undefined;
    }, 'both levels in the worker file');
  });

  it('When topics are reset (on the follower), Then the resource carries topics-reset-at and the worker file activeTopicsResetAt, without touching the Deployment', async () => {
    const before = await k.http.get<Obj>(deploymentPath());
    const sent = Date.now();
    const reply = await callFollower('PUT', `/connectors/${sinkName}/topics/reset`);
    expect(reply.status).toBe(202);
    const res = await k.http.get<Obj>(resourcePath(k.namespace, sinkResource));
    const at = Date.parse(res.metadata.annotations![ANNOTATIONS.topicsResetAt]!);
    expect(at).toBeGreaterThanOrEqual(sent - 1000); // the replica's clock, not ours
    const file = await soon(async () => {
      const f = await workerFile();
      return f?.['activeTopicsResetAt'] === at ? f : undefined;
    }, 'activeTopicsResetAt in the worker file');
    expect(file['activeTopicsResetAt']).toBe(at);

    // A second reset always moves the time on, so running workers see a change.
    expect((await callLeader('PUT', `/connectors/${sinkName}/topics/reset`)).status).toBe(202);
    const again = await k.http.get<Obj>(resourcePath(k.namespace, sinkResource));
    expect(Date.parse(again.metadata.annotations![ANNOTATIONS.topicsResetAt]!)).toBeGreaterThan(at);

    const after = await k.http.get<Obj>(deploymentPath());
    expect(after.metadata.generation).toBe(before.metadata.generation);
    expect(after.spec?.template).toEqual(before.spec?.template);
    // The spec did not change either: REST clients' config reads see no new revision.
    expect(again.metadata.generation).toBe(res.metadata.generation);
  });
});
