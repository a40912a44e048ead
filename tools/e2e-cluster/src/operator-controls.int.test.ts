// Run-time controls of worker Pods on the real one-node cluster (issue 16, ADR 0028): config-api in
// Kubernetes mode as a host process, the guide's sink applied with kubectl, then
// - `PUT /admin/loggers/sink-worker?scope=cluster` DEBUG: the running worker Pod logs DEBUG lines
//   (`kubectl logs`) without restarting (same Pod name and uid, restartCount 0);
// - `PUT /connectors/NAME/topics/reset`: `GET .../topics` is empty, then lists the topic again as
//   records flow (the running worker forgot what it recorded), again without a restart.
// Both travel through the worker ConfigMap, which the kubelet refreshes in the mounted volume on its
// own schedule (within about a minute): the test waits on the effect, never on a time.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import pg from 'pg';
import {
  clusterImage,
  kubectl,
  kubectlOk,
  loadTestEnv,
  uniqueName,
  workspaceRoot,
} from '@kwdb-connect/testing';
import { startConfigApiProcess, type ConfigApiProcess } from './config-api-process';
import { deleteNamespace, freshNamespace } from './namespaces';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
jest.setTimeout(400_000);

const env = loadTestEnv('kafka', 'postgres', 'cluster');
const ROOT = workspaceRoot();
const GUIDE_DATA = readFileSync(join(ROOT, 'examples', 'kw-json-kaiwudb-data.txt'), 'utf8').trim();
const EXAMPLE = readFileSync(join(ROOT, 'k8s', 'examples', 'kw-json-kaiwudb-sink.yaml'), 'utf8');
const CRD = join(ROOT, 'charts', 'kwdb-connect', 'crds', 'kwdbconnector.yaml');
const TABLE = 'ts_json_kaiwudb_tb';
const RESOURCE = 'kwdb-sink-connector';
const CONNECTOR = 'KwdbSinkConnector';
/** The kubelet refreshes mounted ConfigMaps at its sync period (1 min) plus cache delays. */
const MOUNT_REFRESH_TIMEOUT_MS = 240_000;

/** The example YAML with this run's topic, PostgreSQL, database and user (tasksMax 1). */
function adaptExample(
  yaml: string,
  o: { topic: string; url: string; database: string; user: string },
): string {
  const replace = (text: string, pattern: RegExp, value: string): string => {
    if (!pattern.test(text)) throw new Error(`the example no longer matches ${String(pattern)}`);
    return text.replace(pattern, value);
  };
  let out = replace(yaml, /^(\s+topics: ).*$/m, `$1${o.topic}`);
  out = replace(out, /^(\s+connection\.url: ).*$/m, `$1${o.url}`);
  out = replace(out, /^(\s+connection\.database: ).*$/m, `$1${o.database}`);
  out = replace(out, /^(\s+connection\.user: ).*$/m, `$1${o.user}`);
  return replace(out, /^(\s+tasksMax: ).*$/m, '$11');
}

/** Guide message m: the guide's table, one row with a unique timestamp. */
function message(m: number): string {
  const guide = JSON.parse(GUIDE_DATA) as Record<string, unknown>;
  const head = JSON.stringify({ table: guide['table'], columns: guide['columns'], tags: guide['tags'] });
  const row =
    `{"ts":${1_710_000_000_000 + m},"c1":1,"c2":2,"c3":${m},"c4":0.5,"c5":0.25,"c6":true,` +
    `"location":"shanghai","temperature":20.5}`;
  return `${head.slice(0, -1)},"data":[${row}]}`;
}

interface PodJson {
  metadata: { name: string; uid: string; deletionTimestamp?: string };
  status?: { phase?: string; containerStatuses?: { restartCount: number; ready: boolean }[] };
}

describe('worker run-time controls on the one-node cluster: cluster log level and topics reset', () => {
  const suffix = uniqueName('x').slice(2).replace(/-/g, '_');
  const database = `e2e_controls_${suffix}`;
  const topic = uniqueName('e2e-controls-sink');
  const kafka = new Kafka({
    clientId: 'e2e-controls',
    brokers: env.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  let producer: Producer;
  let namespace: string;
  let db: pg.Client;
  let dataDir: string;
  let api: ConfigApiProcess;
  let produced = 0;
  /** The worker Pod as it was once running: it must stay the same Pod, never restarted. */
  let original: { name: string; uid: string };

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
        const pods = await kubectl(env, ['-n', namespace, 'get', 'pods,deploy,cm,kwc', '-o', 'wide']);
        throw new Error(
          `timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}\n${pods.stdout}` +
            `\nconfig-api log tail:\n${api?.lines.slice(-30).join('\n')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  const rest = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };
  const produce = async (n: number): Promise<void> => {
    const messages = Array.from({ length: n }, (_, i) => ({ value: message(produced + 1 + i) }));
    await producer.send({ topic, acks: -1, messages });
    produced += n;
  };
  const rowsWritten = async (): Promise<number> => {
    const [present] = (await db.query(`SELECT to_regclass('${TABLE}') IS NOT NULL AS present`)).rows;
    if (present?.['present'] !== true) return 0;
    const [row] = (await db.query(`SELECT count(*)::int AS n FROM ${TABLE} WHERE location = 'shanghai'`))
      .rows;
    return Number(row?.['n'] ?? 0);
  };
  /** The live worker Pods of the connector. */
  const workerPods = async (): Promise<PodJson[]> => {
    const list = JSON.parse(
      await k(['get', 'pods', '-l', `kwdb-connect.io/connector=${RESOURCE}`, '-o', 'json']),
    ) as { items: PodJson[] };
    return list.items.filter((p) => p.metadata.deletionTimestamp === undefined);
  };
  /** Exactly one live worker Pod: the original one, Running, its container never restarted. */
  const expectSamePodNeverRestarted = async (): Promise<void> => {
    const pods = await workerPods();
    expect(
      pods.map((p) => ({
        name: p.metadata.name,
        uid: p.metadata.uid,
        phase: p.status?.phase,
        restarts: p.status?.containerStatuses?.map((c) => c.restartCount),
      })),
    ).toEqual([{ ...original, phase: 'Running', restarts: [0] }]);
  };
  const podLogs = (): Promise<string> => k(['logs', original.name, '-c', 'worker']);
  const topicsOf = async (): Promise<string[]> => {
    const reply = await rest('GET', `/connectors/${CONNECTOR}/topics`);
    expect(reply.status).toBe(200);
    return (reply.body as Record<string, { topics: string[] }>)[CONNECTOR]!.topics;
  };

  beforeAll(async () => {
    const image = await clusterImage();
    namespace = await freshNamespace(env, 'e2e-controls');
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
    const kafkaAdmin = kafka.admin();
    await kafkaAdmin.connect();
    await kafkaAdmin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await kafkaAdmin.disconnect();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    dataDir = await mkdtemp(join(tmpdir(), 'e2e-controls-'));
    api = await startConfigApiProcess({
      env,
      namespace,
      image,
      identity: 'config-api-a',
      dataDir,
      statusTopic: uniqueName('e2e-controls-status'),
      offsetsTopic: uniqueName('e2e-controls-offsets'),
    });
  }, 600_000);

  afterAll(async () => {
    await api?.stop();
    await producer?.disconnect();
    await db?.end();
    if (namespace !== undefined) await deleteNamespace(env, namespace);
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it('kubectl apply of the example sink: one running worker Pod writes rows and records its topic', async () => {
    const yaml = adaptExample(EXAMPLE, {
      topic,
      url: `postgres://${env.postgres.host}:${env.postgres.port}`,
      database,
      user: env.postgres.user,
    });
    await kubectlOk(env, ['-n', namespace, 'apply', '-f', '-'], { input: yaml });
    const pod = await until(async () => {
      const pods = await workerPods();
      const ready = pods.filter((p) => p.status?.containerStatuses?.[0]?.ready === true);
      return pods.length === 1 && ready.length === 1 ? ready[0] : undefined;
    }, 'one ready worker Pod');
    original = { name: pod.metadata.name, uid: pod.metadata.uid };
    await produce(5);
    await until(async () => ((await rowsWritten()) === produced ? true : undefined), `${produced} rows`);
    // The task records its topic (in the background) when it first consumes from it.
    await until(async () => ((await topicsOf()).includes(topic) ? true : undefined), 'the topic recorded');
    expect(await topicsOf()).toEqual([topic]);
    // Before the change the worker logs at info: no debug line yet.
    expect(await podLogs()).not.toContain('"level":"debug"');
  });

  it('PUT /admin/loggers/sink-worker?scope=cluster DEBUG: the running Pod logs DEBUG lines, same Pod, no restart', async () => {
    const reply = await rest('PUT', '/admin/loggers/sink-worker?scope=cluster', { level: 'DEBUG' });
    expect(reply.status).toBe(204);
    // The worker applies the level once the kubelet has refreshed the mounted file; records keep
    // flowing so that a debug line ("committed" after each batch) follows as soon as it has.
    const logs = await until(
      async () => {
        await produce(1);
        const text = await podLogs();
        return text.includes('"level":"debug"') ? text : undefined;
      },
      'a DEBUG line in kubectl logs',
      MOUNT_REFRESH_TIMEOUT_MS,
    );
    expect(logs).toContain('log level set (cluster scope)');
    const debug = logs.split('\n').filter((l) => l.includes('"level":"debug"'));
    expect(debug.some((l) => l.includes('"msg":"committed"') && l.includes('"logger":"sink-worker"'))).toBe(
      true,
    );
    await expectSamePodNeverRestarted();
    await until(async () => ((await rowsWritten()) === produced ? true : undefined), `${produced} rows`);
  });

  it('PUT /connectors/NAME/topics/reset: GET .../topics is empty, then lists the topic again as records flow; same Pod, no restart', async () => {
    const reset = await rest('PUT', `/connectors/${CONNECTOR}/topics/reset`);
    expect(reset.status).toBe(202);
    expect(await topicsOf()).toEqual([]);
    // The worker forgets what it recorded once it reads the new activeTopicsResetAt from the
    // refreshed file; its next consumed record then records the topic again.
    await until(
      async () => {
        await produce(1);
        return (await topicsOf()).includes(topic) ? true : undefined;
      },
      'the topic recorded again',
      MOUNT_REFRESH_TIMEOUT_MS,
    );
    expect(await topicsOf()).toEqual([topic]);
    expect(await podLogs()).toContain('active topics reset; recording them again as they are used');
    await expectSamePodNeverRestarted();
    await until(async () => ((await rowsWritten()) === produced ? true : undefined), `${produced} rows`);
  });
});
