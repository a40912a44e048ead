// A sink-worker Pod on the real one-node cluster, from the project's image: it consumes a topic on
// the test Kafka and writes the guide's rows into the test PostgreSQL (checked exactly), logs
// structured JSON (`kubectl logs`), and when its Pod is deleted it drains on SIGTERM: what it
// committed is exactly what it wrote, and a new Pod writes the rest, every row exactly once.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import pg from 'pg';
import { clusterImage, kubectlOk, loadTestEnv, uniqueName, workspaceRoot } from '@kwdb-connect/testing';
import { configMap, list, secret, sinkWorkerPod } from './manifests';
import { deleteNamespace, freshNamespace } from './namespaces';
import { followLogs, jsonLines } from './pod-logs';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';

const env = loadTestEnv('kafka', 'postgres', 'cluster');
const GUIDE_DATA = readFileSync(join(workspaceRoot(), 'examples', 'kw-json-kaiwudb-data.txt'), 'utf8').trim();
const GUIDE_SINK = JSON.parse(
  readFileSync(join(workspaceRoot(), 'examples', 'local', 'kw-json-kaiwudb-sink.json'), 'utf8'),
) as { config: Record<string, unknown> };
const TABLE = 'ts_json_kaiwudb_tb';

/** The guide's five rows as PostgreSQL returns them (ts in epoch ms; INT8 and floats as text). */
const GUIDE_ROWS = [
  ['1690855924005', 11, 21, '2535208944865431245', '6.14545', '5.15656', true, 'tianjin', '35.5'],
  ['1691853703011', 12, 22, '6422208944865124578', '1.01635', '0.53533', false, 'tianjin', '35.5'],
  ['1692065524004', 13, 23, '1542408944865124535', '3.25456', '2.56356', true, 'tianjin', '35.5'],
  ['1692199303011', 14, 24, '1245658944865439256', '2.72652', '5.83533', false, 'tianjin', '35.5'],
  ['1692285703011', 15, 25, '5625658944865439256', '5.71635', '1.26562', false, 'tianjin', '35.5'],
];

/** Generated message m (m >= 1, at offset m): 5 new rows of the guide's table, INT8 above 2^53. */
const ROWS_PER_MESSAGE = 5;
const BIG = 9_007_199_254_740_993n;
function generatedMessage(m: number): string {
  const guide = JSON.parse(GUIDE_DATA) as Record<string, unknown>;
  const data: string[] = [];
  for (let r = 0; r < ROWS_PER_MESSAGE; r += 1) {
    const k = m * ROWS_PER_MESSAGE + r;
    data.push(
      `{"ts":${1_700_000_000_000 + k},"c1":1,"c2":2,"c3":${BIG + BigInt(k)},"c4":0.5,"c5":0.25,"c6":true,` +
        `"location":"beijing","temperature":20.5}`,
    );
  }
  const head = JSON.stringify({ table: guide['table'], columns: guide['columns'], tags: guide['tags'] });
  return `${head.slice(0, -1)},"data":[${data.join(',')}]}`;
}
/** count, min, max and sum of c3 over generated messages 1 .. n. */
function generatedSummary(n: number): {
  count: string;
  min: string | null;
  max: string | null;
  sum: string | null;
} {
  if (n === 0) return { count: '0', min: null, max: null, sum: null };
  const first = BIG + BigInt(ROWS_PER_MESSAGE);
  const last = BIG + BigInt((n + 1) * ROWS_PER_MESSAGE - 1);
  const count = BigInt(n * ROWS_PER_MESSAGE);
  return {
    count: String(count),
    min: String(first),
    max: String(last),
    sum: String(((first + last) * count) / 2n),
  };
}

describe('a sink-worker Pod (hostNetwork) on the one-node cluster', () => {
  const suffix = uniqueName('x').slice(2).replace(/-/g, '_');
  const database = `e2e_cluster_${suffix}`;
  const topic = uniqueName('e2e-cluster-sink');
  const connector = uniqueName('e2e-cluster-sink');
  const statusTopic = uniqueName('e2e-cluster-status');
  const kafka = new Kafka({
    clientId: 'e2e-cluster',
    brokers: env.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  let producer: Producer;
  let namespace: string;
  let image: string;
  let db: pg.Client;

  const query = async (sql: string): Promise<Record<string, unknown>[]> => (await db.query(sql)).rows;
  const tableExists = async (): Promise<boolean> =>
    (await query(`SELECT to_regclass('${TABLE}') IS NOT NULL AS present`))[0]?.['present'] === true;
  const count = async (where: string): Promise<number> =>
    (await tableExists())
      ? Number((await query(`SELECT count(*) AS n FROM ${TABLE} WHERE ${where}`))[0]?.['n'])
      : 0;
  async function waitForCount(where: string, atLeast: number, timeoutMs = 120_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = await count(where);
      if (n >= atLeast) return n;
      if (Date.now() > deadline)
        throw new Error(`${TABLE}: ${n} rows where ${where}, expected at least ${atLeast}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  const committedOffset = async (): Promise<number> => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [result] = await admin.fetchOffsets({ groupId: `connect-${connector}`, topics: [topic] });
      return Number(result?.partitions[0]?.offset ?? -1);
    } finally {
      await admin.disconnect();
    }
  };
  const applyWorker = (name: string): Promise<string> =>
    kubectlOk(env, ['apply', '-f', '-'], {
      input: list([
        sinkWorkerPod({
          namespace,
          name,
          image,
          brokers: env.kafka.brokers,
          apiHost: env.cluster.apiHost,
          apiPort: env.cluster.apiPort,
          statusTopic,
          configMap: 'worker-config',
          passwordSecret: 'worker-password',
          taskId: 0,
        }),
      ]),
    });

  beforeAll(async () => {
    image = await clusterImage();
    namespace = await freshNamespace(env, 'e2e-sink');
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
    // The guide's sink JSON with this run's topic, database and PostgreSQL; one task (one partition).
    const { 'connection.password': password, ...guideConfig } = GUIDE_SINK.config;
    const config = {
      ...guideConfig,
      topics: topic,
      'connection.url': `postgres://${env.postgres.host}:${env.postgres.port}`,
      'connection.database': database,
      'tasks.max': '1',
    };
    await kubectlOk(env, ['apply', '-f', '-'], {
      input: list([
        configMap(namespace, 'worker-config', {
          'worker.json': JSON.stringify({ name: connector, config, targetState: 'RUNNING' }),
        }),
        secret(namespace, 'worker-password', { password: String(password) }),
      ]),
    });
  }, 600_000);

  afterAll(async () => {
    await producer?.disconnect();
    await db?.end();
    if (namespace !== undefined) await deleteNamespace(env, namespace);
  });

  it("consumes the guide's message and writes the guide's five rows, exactly", async () => {
    await producer.send({ topic, acks: -1, messages: [{ value: GUIDE_DATA }] });
    await applyWorker('worker-a');
    await waitForCount("location = 'tianjin'", 5);
    const rows = await query(
      `SELECT (extract(epoch FROM ts) * 1000)::bigint::text AS ts, c1, c2, c3::text AS c3, c4::text AS c4,
              c5::text AS c5, c6, location, temperature::text AS temperature FROM ${TABLE} ORDER BY ts`,
    );
    expect(rows.map((r) => Object.values(r))).toEqual(GUIDE_ROWS);
  });

  it('logs structured JSON (kubectl logs): one object per line with level and msg', async () => {
    // The rows can land before the kubelet has reported the container as started to the apiserver,
    // which refuses `kubectl logs` until then ("waiting to start: ContainerCreating").
    await kubectlOk(env, ['wait', '-n', namespace, '--for=condition=Ready', 'pod/worker-a', '--timeout=50s']);
    const logs = jsonLines((await kubectlOk(env, ['logs', '-n', namespace, 'worker-a'])).split('\n'));
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) {
      expect(line).toEqual(expect.objectContaining({ level: expect.any(String), msg: expect.any(String) }));
    }
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'connected to the database' }));
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'task state published', state: 'RUNNING' }));
  });

  it('drains when its Pod is deleted (SIGTERM): committed = written, and a new Pod writes the rest exactly once', async () => {
    const followed = followLogs(env, namespace, 'worker-a');
    await followed.started;
    // Keep producing while the Pod is deleted, so the SIGTERM lands mid-stream.
    let produced = 0;
    let producing = true;
    const producerLoop = (async () => {
      while (producing) {
        const messages = Array.from({ length: 20 }, (_, i) => ({
          value: generatedMessage(produced + 1 + i),
        }));
        await producer.send({ topic, acks: -1, messages });
        produced += messages.length;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    await waitForCount("location = 'beijing'", 10 * ROWS_PER_MESSAGE);
    await kubectlOk(env, ['delete', 'pod', '-n', namespace, 'worker-a', '--wait=true', '--timeout=90s'], {
      timeoutMs: 100_000,
    });
    producing = false;
    await producerLoop;
    expect(await followed.ended).toBe(0);

    const drained = jsonLines(followed.lines);
    expect(drained).toContainEqual(expect.objectContaining({ msg: 'shutdown' }));
    expect(drained).toContainEqual(
      expect.objectContaining({ msg: 'task state published', state: 'UNASSIGNED' }),
    );
    expect(drained).toContainEqual(
      expect.objectContaining({ msg: 'sink task stopped', exitCode: 0, state: 'UNASSIGNED' }),
    );

    // What the drained worker committed is exactly what it wrote: offset 0 (the guide's message)
    // and generated messages 1 .. committed-1, nothing more, nothing less.
    const committed = await committedOffset();
    expect(committed).toBeGreaterThan(10);
    const summary = async (): Promise<Record<string, unknown> | undefined> =>
      (
        await query(
          `SELECT count(*)::text AS count, min(c3)::text AS min, max(c3)::text AS max, sum(c3::numeric)::text AS sum
             FROM ${TABLE} WHERE location = 'beijing'`,
        )
      )[0];
    expect(await summary()).toEqual(generatedSummary(committed - 1));

    // A new Pod of the same task resumes from the committed offset and writes the rest, once.
    await applyWorker('worker-b');
    await waitForCount("location = 'beijing'", produced * ROWS_PER_MESSAGE);
    expect(await summary()).toEqual(generatedSummary(produced));
    expect(await count("location = 'tianjin'")).toBe(5);
    const deadline = Date.now() + 60_000;
    while ((await committedOffset()) !== produced + 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(await committedOffset()).toBe(produced + 1);
  });
});
