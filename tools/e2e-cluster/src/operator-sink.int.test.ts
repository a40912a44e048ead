// The operator end to end on the real one-node cluster (issue 13, item 6): config-api in Kubernetes
// mode as a host process, `kubectl apply -f k8s/examples/kw-json-kaiwudb-sink.yaml` (its Secret
// included; brokers, topic, database and user substituted into the YAML), worker Pods from the
// project's image, the guide's rows exactly in PostgreSQL, `kubectl get kwc` columns, scaling
// through `kubectl scale` and the REST API, a deleted worker Pod replaced with no row lost, pause,
// stop and resume; deleting a connector (kubectl delete and REST DELETE) removes what it owns
// (Deployment, ConfigMap, the REST-made password Secret) through kube-controller-manager's garbage
// collector, while a user's Secret named in spec stays.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type pg from 'pg';
import { loadTestEnv, uniqueName, workspaceRoot } from '@kwdb-connect/testing';
import type { ConfigApiProcess } from './config-api-process';
import {
  connectionValues,
  createDatabase,
  exampleManifest,
  OperatorCluster,
  rest as restCall,
  withValues,
} from './operator-harness';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
jest.setTimeout(300_000);

const env = loadTestEnv('kafka', 'postgres', 'cluster');
const GUIDE_DATA = readFileSync(join(workspaceRoot(), 'examples', 'kw-json-kaiwudb-data.txt'), 'utf8').trim();
const EXAMPLE = exampleManifest('kw-json-kaiwudb-sink.yaml');
const TABLE = 'ts_json_kaiwudb_tb';
const RESOURCE = 'kwdb-sink-connector';
const CONNECTOR = 'KwdbSinkConnector';
const USER_SECRET = 'kwdb-sink-password';
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
  let cluster: OperatorCluster;
  let db: pg.Client;
  let api: ConfigApiProcess;
  let produced = 0;

  const k = (args: string[]): Promise<string> => cluster.k(args);
  const until = <T>(probe: () => Promise<T | undefined>, what: string): Promise<T> =>
    cluster.until(probe, what);
  const query = async (sql: string): Promise<Record<string, unknown>[]> => (await db.query(sql)).rows;
  const count = async (where: string): Promise<number> =>
    (await query(`SELECT to_regclass('${TABLE}') IS NOT NULL AS present`))[0]?.['present'] === true
      ? Number((await query(`SELECT count(*) AS n FROM ${TABLE} WHERE ${where}`))[0]?.['n'])
      : 0;
  /** Waits until exactly n worker Pods run, holding task ids 0..n-1; returns their names by id. */
  const runningTasks = (n: number): Promise<string[]> => cluster.runningTasks(RESOURCE, n);
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
  const rest = (method: string, path: string, body?: unknown) => restCall(api.url, method, path, body);
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
    cluster = await OperatorCluster.start(env, 'e2e-operator');
    db = await createDatabase(env, database);
    const kafkaAdmin = kafka.admin();
    await kafkaAdmin.connect();
    await kafkaAdmin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
    await kafkaAdmin.disconnect();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    api = await cluster.startConfigApi('config-api-a');
  }, 600_000);

  afterAll(async () => {
    await cluster?.close();
    await producer?.disconnect();
    await db?.end();
  });

  it("kubectl apply of the example: a running worker Pod writes the guide's rows exactly; kubectl get kwc shows READY, TASKS, STATE, AGE", async () => {
    await producer.send({ topic, acks: -1, messages: [{ value: GUIDE_DATA, partition: 0 }] });
    const yaml = withValues(EXAMPLE, { topics: topic, ...connectionValues(env, database), tasksMax: 1 });
    await cluster.k(['apply', '-f', '-'], yaml);
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

  /** Whether the resource and each object the operator made for it (and its Pods) still exist. */
  const objectsOf = async (resource: string, secret: string) => ({
    resource: await cluster.exists(`kwc/${resource}`),
    deployment: await cluster.exists(`deployment/${resource}-worker`),
    configMap: await cluster.exists(`configmap/${resource}-config`),
    secret: await cluster.exists(`secret/${secret}`),
    workerPods: (await cluster.workers(resource)).length,
  });
  const objectsBecome = (resource: string, secret: string, expected: Awaited<ReturnType<typeof objectsOf>>) =>
    until(
      async () => {
        const got = await objectsOf(resource, secret);
        return JSON.stringify(got) === JSON.stringify(expected) ? got : undefined;
      },
      `${resource}'s objects to be ${JSON.stringify(expected)}`,
    );

  it.each([
    { how: 'kubectl delete kwc/NAME', name: 'gc-by-kubectl' },
    { how: 'REST DELETE /connectors/NAME', name: 'gc-by-rest' },
  ])(
    '$how of a REST-made connector: the garbage collector removes its Deployment, Pods, ConfigMap and owned Secret',
    async ({ how, name }) => {
      const gcTopic = uniqueName(`e2e-${name}`);
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: gcTopic, numPartitions: 1 }], waitForLeaders: true });
      await admin.disconnect();
      const example = (await rest('GET', `/connectors/${CONNECTOR}/config`)).body as Record<string, string>;
      const created = await rest('POST', '/connectors', {
        name,
        config: {
          ...example,
          name,
          topics: gcTopic,
          'tasks.max': '1',
          'connection.password': 'e2e-password',
        },
      });
      expect(created.status).toBe(201);
      const secret = `${name}-password`;
      await cluster.runningTasks(name, 1);
      expect(await objectsOf(name, secret)).toEqual({
        resource: true,
        deployment: true,
        configMap: true,
        secret: true,
        workerPods: 1,
      });
      const owners = JSON.parse(
        await k(['get', 'secret', secret, '-o', 'jsonpath={.metadata.ownerReferences}']),
      ) as { kind: string; name: string }[];
      expect(owners).toEqual([expect.objectContaining({ kind: 'KwdbConnector', name })]);

      if (how.startsWith('kubectl')) await k(['delete', `kwc/${name}`, '--wait=false']);
      else expect((await rest('DELETE', `/connectors/${name}`)).status).toBe(204);
      await objectsBecome(name, secret, {
        resource: false,
        deployment: false,
        configMap: false,
        secret: false,
        workerPods: 0,
      });
      expect((await rest('GET', `/connectors/${name}`)).status).toBe(404);
    },
  );

  it("REST DELETE of the kubectl-applied connector: its Deployment, Pods and ConfigMap go, the user's Secret named in spec stays", async () => {
    expect(await objectsOf(RESOURCE, USER_SECRET)).toEqual({
      resource: true,
      deployment: true,
      configMap: true,
      secret: true,
      workerPods: 1,
    });
    expect((await rest('DELETE', `/connectors/${CONNECTOR}`)).status).toBe(204);
    await objectsBecome(RESOURCE, USER_SECRET, {
      resource: false,
      deployment: false,
      configMap: false,
      secret: true,
      workerPods: 0,
    });
    expect((await rest('GET', `/connectors/${CONNECTOR}`)).status).toBe(404);
  });
});
