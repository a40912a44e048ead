// Issue 15 on the real one-node cluster: monitoring worker Pods without prometheus-operator.
// config-api in Kubernetes mode as a host process with a fixed worker port; a sink connector
// applied with kubectl. (a) The worker Pod carries the prometheus.io scrape annotations and its
// named metrics port, and what they name serves the worker's metrics (port and path; the Pods are
// host-network and the workers listen on 127.0.0.1 here, so the host is loopback, not the Pod IP). (b) The test environment's Prometheus (Debian's 2.42, no Kubernetes service
// discovery) finds the worker through config-api's GET /prometheus/targets (HTTP SD, which in
// Kubernetes mode lists the annotated worker Pods) and scrapes it: the task state, task status and
// rows-written series carry the connector and task labels. (c) A worker container killed through
// containerd (`ctr tasks kill`) and a deleted worker Pod raise kwdb_connect_task_restarts_total on
// config-api's /metrics (crashed, then drained), and the counter never goes down.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { PrometheusClient } from '@kwdb-connect/monitoring';
import {
  clusterImage,
  freePort,
  kubectl,
  kubectlOk,
  loadTestEnv,
  runCommand,
  testPrometheus,
  uniqueName,
  workspaceRoot,
} from '@kwdb-connect/testing';
import { startConfigApiProcess, type ConfigApiProcess } from './config-api-process';
import { deleteNamespace, freshNamespace } from './namespaces';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
jest.setTimeout(300_000);

const env = loadTestEnv('kafka', 'postgres', 'cluster', 'prometheus');
const ROOT = workspaceRoot();
const GUIDE_DATA = readFileSync(join(ROOT, 'examples', 'kw-json-kaiwudb-data.txt'), 'utf8').trim();
const CRD = join(ROOT, 'charts', 'kwdb-connect', 'crds', 'kwdbconnector.yaml');
const RESOURCE = 'mon-sink';
const TASK_ID = 'kwdb-connect.io/task-id';

interface PodJson {
  metadata: {
    name: string;
    uid: string;
    namespace: string;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
  };
  spec: { containers: { name: string; ports?: { name?: string; containerPort: number }[] }[] };
  status?: {
    phase?: string;
    podIP?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: { name: string; containerID?: string; restartCount: number; ready: boolean }[];
  };
}

/** The samples of one metric in Prometheus text, with their labels. */
function samples(text: string, name: string): { labels: Record<string, string>; value: number }[] {
  const out: { labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]),
    );
    out.push({ labels, value: Number(m[3]) });
  }
  return out;
}

describe('monitoring worker Pods without prometheus-operator, on the one-node cluster', () => {
  const suffix = uniqueName('x').slice(2).replace(/-/g, '_');
  const database = `e2e_monitoring_${suffix}`;
  const topic = uniqueName('e2e-monitoring');
  const connector = `MonitoredSink-${suffix}`; // differs from the resource name on purpose
  const jobName = `e2e-k8s-monitoring-${suffix}`;
  const prometheusEnv = testPrometheus(env);
  const prometheus = new PrometheusClient(prometheusEnv.url);
  let namespace: string;
  let dataDir: string;
  let workerPort: number;
  let api: ConfigApiProcess;
  let db: pg.Client;

  const k = (args: string[]): Promise<string> =>
    kubectlOk(env, ['-n', namespace, ...args], { timeoutMs: 120_000 });
  async function until<T>(
    probe: () => Promise<T | undefined>,
    what: string,
    timeoutMs = 180_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        const value = await probe();
        if (value !== undefined) return value;
      } catch (error) {
        last = error;
      }
      if (Date.now() > deadline) {
        const pods = await kubectl(env, ['-n', namespace, 'get', 'pods,deploy,kwc', '-o', 'wide']);
        throw new Error(
          `timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}\n${pods.stdout}` +
            `\nconfig-api log tail:\n${api?.lines.slice(-30).join('\n')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  /** The one live worker Pod holding task 0, once it is Ready. */
  const readyWorker = (notUid?: string): Promise<PodJson> =>
    until(async () => {
      const list = JSON.parse(
        await k(['get', 'pods', '-l', `kwdb-connect.io/connector=${RESOURCE}`, '-o', 'json']),
      ) as { items: PodJson[] };
      const live = list.items.filter((p) => p.metadata.deletionTimestamp === undefined);
      const [pod] = live;
      if (live.length !== 1 || pod === undefined || pod.metadata.uid === notUid) return undefined;
      const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      return ready && pod.metadata.annotations?.[TASK_ID] === '0' ? pod : undefined;
    }, 'one Ready worker Pod holding task 0');
  const nodeAddress = async (): Promise<string | undefined> => {
    const node = JSON.parse(await kubectlOk(env, ['get', 'node', env.cluster.node, '-o', 'json'])) as {
      status: { addresses: { type: string; address: string }[] };
    };
    return node.status.addresses.find((a) => a.type === 'InternalIP')?.address;
  };
  const apiMetrics = async (): Promise<string> => {
    const response = await fetch(`${api.url}/metrics`);
    return response.text();
  };
  const restarts = async (reason: string): Promise<number | undefined> =>
    samples(await apiMetrics(), 'kwdb_connect_task_restarts_total').find(
      (s) => s.labels['connector'] === connector && s.labels['task'] === '0' && s.labels['reason'] === reason,
    )?.value;

  beforeAll(async () => {
    const image = await clusterImage();
    namespace = await freshNamespace(env, 'e2e-monitoring');
    await kubectlOk(env, ['apply', '--server-side', '--force-conflicts', '-f', CRD]);
    await kubectlOk(env, ['wait', '--for=condition=Established', 'crd/kwdbconnectors.kwdb-connect.io']);
    await until(
      async () => ((await kubectl(env, ['-n', namespace, 'get', 'kwc'])).code === 0 ? true : undefined),
      'the KwdbConnector resource to be served',
    );
    const admin = new pg.Client({ connectionString: env.postgres.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    await admin.end();
    const url = new URL(env.postgres.url);
    url.pathname = `/${database}`;
    db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    const kafka = new Kafka({
      clientId: 'e2e-monitoring',
      brokers: env.kafka.brokers,
      logLevel: logLevel.NOTHING,
    });
    const kafkaAdmin = kafka.admin();
    await kafkaAdmin.connect();
    await kafkaAdmin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await kafkaAdmin.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ value: GUIDE_DATA }] });
    await producer.disconnect();
    dataDir = await mkdtemp(join(tmpdir(), 'e2e-monitoring-'));
    workerPort = await freePort(); // one worker Pod: one host port
    api = await startConfigApiProcess({
      env,
      namespace,
      image,
      identity: 'config-api-monitoring',
      dataDir,
      statusTopic: uniqueName('e2e-monitoring-status'),
      offsetsTopic: uniqueName('e2e-monitoring-offsets'),
      workerPort,
    });
    // What a Debian-style Prometheus user configures: HTTP SD from config-api.
    await prometheusEnv.addScrapeJob({
      job_name: jobName,
      honor_labels: true,
      http_sd_configs: [{ url: `${api.url}/prometheus/targets`, refresh_interval: '1s' }],
    });
    const objects = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: `${RESOURCE}-password` },
          type: 'Opaque',
          stringData: { 'connection.password': 'unused-by-trust-auth' },
        },
        {
          apiVersion: 'kwdb-connect.io/v1alpha1',
          kind: 'KwdbConnector',
          metadata: { name: RESOURCE },
          spec: {
            connectorName: connector,
            class: 'com.kaiwudb.kafka.connect.sink.KwdbSinkConnector',
            tasksMax: 1,
            passwordSecretRef: { name: `${RESOURCE}-password`, key: 'connection.password' },
            config: {
              topics: topic,
              'connection.url': `postgres://${env.postgres.host}:${env.postgres.port}`,
              'connection.user': env.postgres.user,
              'connection.database': database,
              'protocol.type': 'json_kaiwudb',
              'timestamp.precision': 'ms',
            },
          },
        },
      ],
    };
    await kubectlOk(env, ['-n', namespace, 'apply', '-f', '-'], { input: JSON.stringify(objects) });
  }, 600_000);

  afterAll(async () => {
    await prometheusEnv.removeScrapeJob(jobName).catch(() => undefined);
    await api?.stop();
    await db?.end();
    if (namespace !== undefined) await deleteNamespace(env, namespace);
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it("(a) the worker Pod carries the scrape annotations and a named metrics port, and the annotated port and path serve the worker's metrics", async () => {
    const pod = await readyWorker();
    const annotations = pod.metadata.annotations ?? {};
    expect(annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(workerPort),
      'prometheus.io/path': '/metrics',
      'kwdb-connect.io/connector-name': connector,
    });
    expect(pod.spec.containers[0]?.ports).toEqual([
      expect.objectContaining({ name: 'metrics', containerPort: workerPort }),
    ]);
    // Host-network Pods: the Pod IP is the host's address, and the workers here listen on
    // 127.0.0.1 only (KWDB_CONNECT_WORKER_HTTP_HOST; docs/testing.md), as their readiness probe knows.
    expect(pod.status?.podIP).toBe(await nodeAddress());
    const url = `http://127.0.0.1:${annotations['prometheus.io/port']}${annotations['prometheus.io/path']}`;
    const text = await until(async () => {
      const body = await (await fetch(url)).text();
      return samples(body, 'kwdb_connect_rows_written_total').some((s) => s.value >= 5) ? body : undefined;
    }, `the guide's 5 rows counted on ${url}`);
    expect(
      samples(text, 'kwdb_connect_task_state').find((s) => s.labels['state'] === 'RUNNING')?.labels,
    ).toEqual({ connector, task: '0', state: 'RUNNING' });
  });

  it("(b) Prometheus finds the worker Pod through config-api's /prometheus/targets and scrapes it: series carry connector and task", async () => {
    const pod = await readyWorker();
    const targets = JSON.parse(await (await fetch(`${api.url}/prometheus/targets`)).text()) as {
      targets: string[];
      labels: Record<string, string>;
    }[];
    expect(targets.find((t) => t.labels['component'] === 'worker')).toEqual({
      targets: [`127.0.0.1:${workerPort}`], // host network, listening on loopback: not the Pod IP
      labels: { component: 'worker', namespace, pod: pod.metadata.name, connector, task: '0' },
    });
    const selector = `job="${jobName}", connector="${connector}", task="0"`;
    const rows = await until(async () => {
      const [series] = await prometheus.query(`kwdb_connect_rows_written_total{${selector}}`);
      return series && Number(series.value[1]) >= 5 ? series : undefined;
    }, 'rows written scraped by Prometheus');
    expect(rows.metric).toMatchObject({ namespace, pod: pod.metadata.name, connector, task: '0' });
    const state = await until(
      async () => (await prometheus.query(`kwdb_connect_task_state{${selector}, state="RUNNING"} == 1`))[0],
      'task_state RUNNING 1 scraped from the worker',
    );
    expect(state.metric).toMatchObject({ connector, task: '0', pod: pod.metadata.name });
    const status = await until(
      async () => (await prometheus.query(`kwdb_connect_task_status{${selector}, state="RUNNING"} == 1`))[0],
      'task_status RUNNING 1 scraped from config-api',
    );
    expect(status.metric).toMatchObject({ component: 'config-api', connector, task: '0' });
  });

  it('(c) a killed worker container and a replaced worker Pod raise task_restarts_total on config-api (crashed, then drained); it never goes down', async () => {
    const pod = await readyWorker();
    await until(async () => ((await restarts('crashed')) === 0 ? true : undefined), 'restarts at 0');
    const containerId = pod.status?.containerStatuses?.[0]?.containerID?.replace(/^containerd:\/\//, '');
    expect(containerId).toMatch(/^[0-9a-f]{64}$/);
    const killed = await runCommand('ctr', [
      '-a',
      env.cluster.containerdAddress,
      '-n',
      'k8s.io',
      'tasks',
      'kill',
      '-s',
      'SIGKILL',
      containerId!,
    ]);
    expect(killed.stderr).toBe('');
    expect(killed.code).toBe(0);
    await until(async () => ((await restarts('crashed')) === 1 ? true : undefined), 'crashed restarts 1');
    await until(async () => {
      const list = JSON.parse(await k(['get', 'pod', pod.metadata.name, '-o', 'json'])) as PodJson;
      return list.status?.containerStatuses?.[0]?.restartCount === 1 ? true : undefined;
    }, 'the kubelet to report restartCount 1');

    await k(['delete', 'pod', pod.metadata.name, '--wait=false']);
    const replacement = await readyWorker(pod.metadata.uid);
    expect(replacement.metadata.name).not.toBe(pod.metadata.name);
    await until(async () => ((await restarts('drained')) === 1 ? true : undefined), 'drained restarts 1');
    expect(await restarts('crashed')).toBe(1); // the replaced Pod's restart still counts
  });
});
