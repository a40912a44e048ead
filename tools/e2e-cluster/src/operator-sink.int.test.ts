// The operator end to end on the real one-node cluster (issue 13, item 6): config-api in Kubernetes
// mode as a host process, `kubectl apply -f k8s/examples/kw-json-kaiwudb-sink.yaml` (its Secret
// included; brokers, topic, database and user substituted into the YAML), worker Pods from the
// project's image, the guide's rows exactly in PostgreSQL, `kubectl get kwc` columns, scaling
// through `kubectl scale` and the REST API, a deleted worker Pod replaced with no row lost, pause,
// stop and resume.
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
jest.setTimeout(300_000);

const env = loadTestEnv('kafka', 'postgres', 'cluster');
const ROOT = workspaceRoot();
const GUIDE_DATA = readFileSync(join(ROOT, 'examples', 'kw-json-kaiwudb-data.txt'), 'utf8').trim();
const EXAMPLE = readFileSync(join(ROOT, 'k8s', 'examples', 'kw-json-kaiwudb-sink.yaml'), 'utf8');
const CRD = join(ROOT, 'charts', 'kwdb-connect', 'crds', 'kwdbconnector.yaml');
const TABLE = 'ts_json_kaiwudb_tb';
const RESOURCE = 'kwdb-sink-connector';
const CONNECTOR = 'KwdbSinkConnector';
const PARTITIONS = 3;
const GUIDE_ROWS = [
  ['1690855924005', 11, 21, '2535208944865431245', '6.14545', '5.15656', true, 'tianjin', '35.5'],
  ['1691853703011', 12, 22, '6422208944865124578', '1.01635', '0.53533', false, 'tianjin', '35.5'],
  ['1692065524004', 13, 23, '1542408944865124535', '3.25456', '2.56356', true, 'tianjin', '35.5'],
  ['1692199303011', 14, 24, '1245658944865439256', '2.72652', '5.83533', false, 'tianjin', '35.5'],
  ['1692285703011', 15, 25, '5625658944865439256', '5.71635', '1.26562', false, 'tianjin', '35.5'],
];

/** Generated message m: one row of the guide's table, ts and c3 unique (c3 above 2^53). */
const BIG = 9_007_199_254_740_993n;
function generatedMessage(m: number): string {
  const guide = JSON.parse(GUIDE_DATA) as Record<string, unknown>;
  const head = JSON.stringify({ table: guide['table'], columns: guide['columns'], tags: guide['tags'] });
  const row =
    `{"ts":${1_700_000_000_000 + m},"c1":1,"c2":2,"c3":${BIG + BigInt(m)},"c4":0.5,"c5":0.25,"c6":true,` +
    `"location":"beijing","temperature":20.5}`;
  return `${head.slice(0, -1)},"data":[${row}]}`;
}

/** The example YAML with this run's topic, PostgreSQL, database and user; the rest as committed. */
function adaptExample(
  yaml: string,
  o: { topic: string; url: string; database: string; user: string; tasksMax: number },
): string {
  const replace = (text: string, pattern: RegExp, value: string): string => {
    if (!pattern.test(text)) throw new Error(`the example no longer matches ${String(pattern)}`);
    return text.replace(pattern, value);
  };
  let out = replace(yaml, /^(\s+topics: ).*$/m, `$1${o.topic}`);
  out = replace(out, /^(\s+connection\.url: ).*$/m, `$1${o.url}`);
  out = replace(out, /^(\s+connection\.database: ).*$/m, `$1${o.database}`);
  out = replace(out, /^(\s+connection\.user: ).*$/m, `$1${o.user}`);
  return replace(out, /^(\s+tasksMax: ).*$/m, `$1${o.tasksMax}`);
}

interface PodJson {
  metadata: { name: string; annotations?: Record<string, string>; deletionTimestamp?: string };
  status?: { phase?: string };
}

describe('the operator on the one-node cluster: the guide sink applied with kubectl', () => {
  const suffix = uniqueName('x').slice(2).replace(/-/g, '_');
  const database = `e2e_operator_${suffix}`;
  const topic = uniqueName('e2e-operator-sink');
  const kafka = new Kafka({
    clientId: 'e2e-operator',
    brokers: env.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  let producer: Producer;
  let namespace: string;
  let db: pg.Client;
  let dataDir: string;
  let api: ConfigApiProcess;
  let produced = 0;

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
  const query = async (sql: string): Promise<Record<string, unknown>[]> => (await db.query(sql)).rows;
  const count = async (where: string): Promise<number> =>
    (await query(`SELECT to_regclass('${TABLE}') IS NOT NULL AS present`))[0]?.['present'] === true
      ? Number((await query(`SELECT count(*) AS n FROM ${TABLE} WHERE ${where}`))[0]?.['n'])
      : 0;
  /** The live worker Pods: name -> task id annotation (undefined until the operator set it). */
  const workers = async (): Promise<{ name: string; phase: string; taskId: string | undefined }[]> => {
    const list = JSON.parse(
      await k(['get', 'pods', '-l', `kwdb-connect.io/connector=${RESOURCE}`, '-o', 'json']),
    ) as { items: PodJson[] };
    return list.items
      .filter((p) => p.metadata.deletionTimestamp === undefined)
      .map((p) => ({
        name: p.metadata.name,
        phase: p.status?.phase ?? '',
        taskId: p.metadata.annotations?.['kwdb-connect.io/task-id'],
      }));
  };
  /** Waits until exactly n worker Pods run, holding task ids 0..n-1; returns their names by id. */
  const runningTasks = (n: number): Promise<string[]> =>
    until(
      async () => {
        const live = await workers();
        if (live.length !== n || live.some((p) => p.phase !== 'Running')) return undefined;
        const ids = live.map((p) => Number(p.taskId)).sort((a, b) => a - b);
        if (ids.join(',') !== [...Array(n).keys()].join(',')) return undefined;
        return [...live].sort((a, b) => Number(a.taskId) - Number(b.taskId)).map((p) => p.name);
      },
      `${n} running worker Pods with task ids 0..${n - 1}`,
    );
  /** `kubectl get kwc` as its columns, once they equal `expected`. */
  const columnsBecome = (expected: { ready: string; tasks: string; state: string }) =>
    until(
      async () => {
        const out = await k(['get', 'kwc', RESOURCE, '--no-headers']);
        const [name, ready, tasks, state, age] = out.trim().split(/\s+/);
        const got = { name, ready, tasks, state };
        return JSON.stringify(got) === JSON.stringify({ name: RESOURCE, ...expected }) &&
          /^\d+[smh]/.test(age ?? '')
          ? out
          : undefined;
      },
      `kubectl get kwc to show ${JSON.stringify(expected)}`,
    );
  const headers = async (): Promise<string[]> =>
    ((await k(['get', 'kwc'])).split('\n')[0] ?? '').trim().split(/\s+/);
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
    const messages = Array.from({ length: n }, (_, i) => ({ value: generatedMessage(produced + 1 + i) }));
    await producer.send({ topic, acks: -1, messages });
    produced += n;
  };
  /** Every generated row exactly once (count and distinct c3 both = produced). */
  const allGeneratedRowsOnce = () =>
    until(async () => {
      const [row] = await query(
        `SELECT count(*)::int AS n, count(DISTINCT c3)::int AS d FROM ${TABLE} WHERE location = 'beijing'`,
      );
      return row?.['n'] === produced && row?.['d'] === produced ? true : undefined;
    }, `${produced} generated rows, each once`);

  beforeAll(async () => {
    const image = await clusterImage();
    namespace = await freshNamespace(env, 'e2e-operator');
    await kubectlOk(env, ['apply', '--server-side', '--force-conflicts', '-f', CRD]);
    await kubectlOk(env, ['wait', '--for=condition=Established', 'crd/kwdbconnectors.kwdb-connect.io']);
    // Established is not yet served: the apiserver answers 429 "storage is (re)initializing" to a
    // list for a moment (docs/testing.md); config-api's startup list would fail on it.
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
    await kafkaAdmin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
    await kafkaAdmin.disconnect();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    dataDir = await mkdtemp(join(tmpdir(), 'e2e-operator-'));
    api = await startConfigApiProcess({
      env,
      namespace,
      image,
      identity: 'config-api-a',
      dataDir,
      statusTopic: uniqueName('e2e-operator-status'),
      offsetsTopic: uniqueName('e2e-operator-offsets'),
    });
  }, 600_000);

  afterAll(async () => {
    await api?.stop();
    await producer?.disconnect();
    await db?.end();
    if (namespace !== undefined) await deleteNamespace(env, namespace);
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it("kubectl apply of the example: a running worker Pod writes the guide's rows exactly; kubectl get kwc shows READY, TASKS, STATE, AGE", async () => {
    await producer.send({ topic, acks: -1, messages: [{ value: GUIDE_DATA, partition: 0 }] });
    const yaml = adaptExample(EXAMPLE, {
      topic,
      url: `postgres://${env.postgres.host}:${env.postgres.port}`,
      database,
      user: env.postgres.user,
      tasksMax: 1,
    });
    await kubectlOk(env, ['-n', namespace, 'apply', '-f', '-'], { input: yaml });
    await runningTasks(1);
    await until(
      async () => ((await count("location = 'tianjin'")) >= 5 ? true : undefined),
      'the guide rows',
    );
    const rows = await query(
      `SELECT (extract(epoch FROM ts) * 1000)::bigint::text AS ts, c1, c2, c3::text AS c3, c4::text AS c4,
              c5::text AS c5, c6, location, temperature::text AS temperature FROM ${TABLE} ORDER BY ts`,
    );
    expect(rows.map((r) => Object.values(r))).toEqual(GUIDE_ROWS);
    expect(await headers()).toEqual(['NAME', 'READY', 'TASKS', 'STATE', 'AGE']);
    await columnsBecome({ ready: 'True', tasks: '1/1', state: 'RUNNING' });
    // The connector is in the REST API too, with its task.
    const status = await rest('GET', `/connectors/${CONNECTOR}/status`);
    expect(status.status).toBe(200);
    expect(status.body).toEqual(
      expect.objectContaining({
        connector: expect.objectContaining({ state: 'RUNNING' }),
        tasks: [expect.objectContaining({ id: 0, state: 'RUNNING' })],
      }),
    );
  });
  it('scales 1 -> 3 -> 1 through kubectl scale: Pods and task ids follow, every row once', async () => {
    await k(['scale', `kwc/${RESOURCE}`, '--replicas=3']);
    await runningTasks(3);
    await columnsBecome({ ready: 'True', tasks: '3/3', state: 'RUNNING' });
    await produce(30);
    await allGeneratedRowsOnce();
    await k(['scale', `kwc/${RESOURCE}`, '--replicas=1']);
    await runningTasks(1);
    await columnsBecome({ ready: 'True', tasks: '1/1', state: 'RUNNING' });
    await produce(10);
    await allGeneratedRowsOnce();
  });

  it('scales 1 -> 3 -> 1 through the REST API (PUT config tasks.max)', async () => {
    const setTasksMax = async (n: number): Promise<void> => {
      const current = await rest('GET', `/connectors/${CONNECTOR}/config`);
      expect(current.status).toBe(200);
      const config: Record<string, string> = {
        ...(current.body as Record<string, string>),
        'tasks.max': String(n),
      };
      config['connection.password'] = 'e2e-password';
      const put = await rest('PUT', `/connectors/${CONNECTOR}/config`, config);
      expect(put.status).toBe(200);
      const spec = JSON.parse(await k(['get', 'kwc', RESOURCE, '-o', 'jsonpath={.spec}'])) as {
        tasksMax: number;
      };
      expect(spec.tasksMax).toBe(n);
    };
    await setTasksMax(3);
    await runningTasks(3);
    await produce(30);
    await allGeneratedRowsOnce();
    await setTasksMax(1);
    await runningTasks(1);
    await produce(10);
    await allGeneratedRowsOnce();
    expect(await count("location = 'tianjin'")).toBe(5);
  });

  it('a deleted worker Pod is replaced (task id 0 again) and no row is lost', async () => {
    const [before] = await runningTasks(1);
    await produce(20);
    await k(['delete', 'pod', before!, '--wait=true', '--timeout=90s']);
    await produce(20);
    const [after] = await runningTasks(1);
    expect(after).not.toBe(before);
    await allGeneratedRowsOnce();
  });

  it('pauses, stops and resumes through the REST API; spec.state and the columns follow', async () => {
    const state = async (): Promise<string> => k(['get', 'kwc', RESOURCE, '-o', 'jsonpath={.spec.state}']);
    expect((await rest('PUT', `/connectors/${CONNECTOR}/pause`)).status).toBe(202);
    expect(await state()).toBe('paused');
    await columnsBecome({ ready: 'True', tasks: '1/1', state: 'PAUSED' });
    await runningTasks(1);
    const paused = produced;
    await produce(10);
    // Paused: the Pod stays, writes nothing new.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(await count("location = 'beijing'")).toBe(paused);
    expect((await rest('PUT', `/connectors/${CONNECTOR}/resume`)).status).toBe(202);
    await columnsBecome({ ready: 'True', tasks: '1/1', state: 'RUNNING' });
    await allGeneratedRowsOnce();

    expect((await rest('PUT', `/connectors/${CONNECTOR}/stop`)).status).toBe(204);
    expect(await state()).toBe('stopped');
    await runningTasks(0);
    const deployment = JSON.parse(await k(['get', 'deploy', `${RESOURCE}-worker`, '-o', 'json'])) as {
      spec: { replicas: number };
    };
    expect(deployment.spec.replicas).toBe(0);
    await produce(10);
    expect((await rest('PUT', `/connectors/${CONNECTOR}/resume`)).status).toBe(202);
    await runningTasks(1);
    await allGeneratedRowsOnce();
  });

  it('pauses and resumes through spec.state (kubectl patch)', async () => {
    await k(['patch', 'kwc', RESOURCE, '--type=merge', '-p', '{"spec":{"state":"paused"}}']);
    await columnsBecome({ ready: 'True', tasks: '1/1', state: 'PAUSED' });
    expect(
      ((await rest('GET', `/connectors/${CONNECTOR}/status`)).body as { connector: { state: string } })
        .connector.state,
    ).toBe('PAUSED');
    await k(['patch', 'kwc', RESOURCE, '--type=merge', '-p', '{"spec":{"state":"running"}}']);
    await columnsBecome({ ready: 'True', tasks: '1/1', state: 'RUNNING' });
    await produce(5);
    await allGeneratedRowsOnce();
  });
});
