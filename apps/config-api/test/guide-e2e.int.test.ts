// End to end: the guide's sink and source flows through config-api's REST API with the local
// runtime running the real sink-worker and source-worker bundles (dist/apps/*/main.js, built by
// the `test` target's dependsOn), real Kafka and real PostgreSQL. Pause, resume, stop, restart and
// delete are observed in the running tasks (rows arriving or not, processes, status topic).
import { DEFAULT_TASK_LIMITS } from '@kwdb-connect/connector-config';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadTestEnv, uniqueName } from '@kwdb-connect/testing';
import {
  createSinkTopic,
  createSourceTable,
  ensureDatabase,
  firstRecord,
  insertGuideRow,
  kafkaOf,
  sinkRows,
} from '../src/demo/guide-flow';
import { startConfigApi, type RunningConfigApi } from '../src/server';
import { fileNameOf } from '../src/store/file-connector-store';
import { client, eventually, example, EXAMPLES } from './helpers';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';

type Json = Record<string, unknown>;
type TopicsBody = Record<string, { topics: string[] } | undefined>;
type Status = {
  connector: { state: string };
  tasks: { id: number; state: string; worker_id: string; trace?: string }[];
};

const env = loadTestEnv('kafka', 'postgres');
const ROOT = join(import.meta.dirname, '..', '..', '..');
const SINK_WORKER = join(ROOT, 'dist', 'apps', 'sink-worker', 'main.js');
const SOURCE_WORKER = join(ROOT, 'dist', 'apps', 'source-worker', 'main.js');

describe("the guide's flows end to end (config-api + real workers + Kafka + PostgreSQL)", () => {
  const suffix = randomBytes(4).toString('hex');
  const tsdb = `e2e_tsdb_${suffix}`;
  const benchmark = `e2e_bench_${suffix}`;
  const sinkTopic = uniqueName('e2e-kw-tsdb');
  const sinkName = uniqueName('e2e-sink');
  const sourceName = uniqueName('e2e-source');
  const kafka = kafkaOf(env.kafka.brokers);
  let dataDir: string;
  let api: RunningConfigApi;
  const call = client(() => api.url);
  // The examples name the default test PostgreSQL port; point them at the one this run uses.
  const localPostgresUrl = (): string => `postgres://${env.postgres.host}:${env.postgres.port}`;
  const guideData = (): Promise<string> => readFile(join(EXAMPLES, 'kw-json-kaiwudb-data.txt'), 'utf8');
  const produce = async (value: string): Promise<void> => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: sinkTopic, acks: -1, messages: [{ value: value.trim() }] });
    await producer.disconnect();
  };
  const rows = async (): Promise<number> => (await sinkRows(env.postgres.url, tsdb)).length;
  const waitRows = (n: number) =>
    eventually(async () => ((await rows()) === n ? n : undefined), `${n} rows`, 60_000);
  const status = async (name: string): Promise<Status> =>
    (await call('GET', `/connectors/${name}/status`)).body as Status;
  const allTasks = (name: string, state: string) =>
    eventually(
      async () => {
        const s = await status(name);
        return s.tasks.length > 0 && s.tasks.every((t) => t.state === state) ? s : undefined;
      },
      `${name} tasks ${state}`,
      60_000,
    );
  const running = (name: string) =>
    api.supervisor!.snapshot().filter((t) => t.connector === name && t.phase === 'running');
  /** Per task of the connector (0, 1, ...): how many lines of its log file contain `text`. */
  const taskLogLines = async (name: string, text: string): Promise<number[]> => {
    const counts: number[] = [];
    for (const t of running(name)
      .map((r) => r.task)
      .sort()) {
      const log = await readFile(join(dataDir, 'logs', `${fileNameOf(name)}-${t}.log`), 'utf8').catch(
        () => '',
      );
      counts.push(log.split('\n').filter((line) => line.includes(text)).length);
    }
    return counts.length > 0 ? counts : [0];
  };
  /** The guide's message with every timestamp moved by `years` (new rows for the same table). */
  const shifted = async (prefix: string): Promise<string> =>
    (await guideData()).replace(/"ts":169/g, `"ts":${prefix}`);

  beforeAll(async () => {
    for (const bundle of [SINK_WORKER, SOURCE_WORKER]) {
      if (!existsSync(bundle))
        throw new Error(
          `${bundle} is missing: run \`npx nx run-many -t build -p sink-worker source-worker\``,
        );
    }
    dataDir = await mkdtemp(join(tmpdir(), 'cfgapi-e2e-'));
    await ensureDatabase(env.postgres.url, tsdb);
    await ensureDatabase(env.postgres.url, benchmark);
    await createSinkTopic(kafka, sinkTopic);
    api = await startConfigApi({
      host: '127.0.0.1',
      port: 0,
      advertisedHost: undefined,
      kafkaBrokers: env.kafka.brokers,
      dataDir,
      statusTopic: uniqueName('e2e-status'),
      offsetsTopic: uniqueName('e2e-offsets'),
      runtime: 'local',
      sinkWorker: SINK_WORKER,
      sourceWorker: SOURCE_WORKER,
      workerHttpHost: '127.0.0.1',
      workerBasePort: 0,
      logLevel: 'warn',
      taskLimits: DEFAULT_TASK_LIMITS,
    });
  });

  afterAll(async () => {
    await api?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("sink: the guide's JSON (connection values changed) is POSTed, its tasks run, and the guide's data lands in PostgreSQL", async () => {
    const guide = example('local/kw-json-kaiwudb-sink.json') as { config: Json };
    // Test isolation: a unique name, topic and database; 2 tasks instead of 5 (the machine has 2 cores).
    const body = {
      name: sinkName,
      config: {
        ...guide.config,
        topics: sinkTopic,
        'connection.url': localPostgresUrl(),
        'connection.database': tsdb,
        'tasks.max': '2',
      },
    };
    const created = await call('POST', '/connectors', body);
    expect(created.status).toBe(201);
    const s = await allTasks(sinkName, 'RUNNING');
    expect(s.tasks.map((t) => t.id)).toEqual([0, 1]);
    await produce(await guideData());
    await waitRows(5);
    const written = await sinkRows(env.postgres.url, tsdb);
    expect(written.map((r) => String(r['c3']))).toEqual([
      '2535208944865431245',
      '6422208944865124578',
      '1542408944865124535',
      '1245658944865439256',
      '5625658944865439256',
    ]);
  });

  it('topics: the sink tasks record the topic they consumed from (GET .../topics)', async () => {
    const topics = await eventually(async () => {
      const body = (await call('GET', `/connectors/${sinkName}/topics`)).body as TopicsBody;
      return body[sinkName]?.topics.length ? body : undefined;
    }, 'the sink topic recorded');
    expect(topics).toEqual({ [sinkName]: { topics: [sinkTopic] } });
  });

  it('pause: the tasks report PAUSED and write nothing; resume: the waiting rows arrive', async () => {
    expect((await call('PUT', `/connectors/${sinkName}/pause`)).status).toBe(202);
    await allTasks(sinkName, 'PAUSED');
    await produce(await shifted('179'));
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(await rows()).toBe(5);
    expect((await call('PUT', `/connectors/${sinkName}/resume`)).status).toBe(202);
    await allTasks(sinkName, 'RUNNING');
    await waitRows(10);
  });

  it('stop: no processes, STOPPED, offsets listed from the consumer group; resume: the tasks start and catch up', async () => {
    expect((await call('PUT', `/connectors/${sinkName}/stop`)).status).toBe(204);
    expect(running(sinkName)).toEqual([]);
    expect((await status(sinkName)).connector.state).toBe('STOPPED');
    const offsets = (await call('GET', `/connectors/${sinkName}/offsets`)).body as { offsets: Json[] };
    const total = offsets.offsets.reduce((sum, o) => sum + Number((o['offset'] as Json)['kafka_offset']), 0);
    expect(total).toBe(2); // two messages consumed and committed, over the topic's partitions
    await produce(await shifted('189'));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await rows()).toBe(10);
    expect((await call('PUT', `/connectors/${sinkName}/resume`)).status).toBe(202);
    await allTasks(sinkName, 'RUNNING');
    await waitRows(15);
  });

  it('restart: POST .../tasks/0/restart replaces task 0 with a new process that runs again', async () => {
    const before = running(sinkName).find((t) => t.task === 0)?.pid;
    expect(before).toBeDefined();
    expect((await call('POST', `/connectors/${sinkName}/tasks/0/restart`)).status).toBe(204);
    const after = await eventually(async () => {
      const pid = running(sinkName).find((t) => t.task === 0)?.pid;
      return pid !== undefined && pid !== before ? pid : undefined;
    }, 'a new process for task 0');
    expect(after).not.toBe(before);
    await allTasks(sinkName, 'RUNNING');
  });

  it('loggers, cluster scope: the running sink tasks apply the level (their debug lines appear)', async () => {
    const reply = await call('PUT', '/admin/loggers/sink-worker?scope=cluster', { level: 'DEBUG' });
    expect(reply.status).toBe(204);
    // Each task logs, at info (visible only once DEBUG applies), that it applied the level.
    await eventually(
      async () => ((await taskLogLines(sinkName, 'log level set')).every((n) => n >= 1) ? true : undefined),
      'both sink tasks applied DEBUG',
    );
    await produce(await shifted('199'));
    await eventually(
      async () => ((await taskLogLines(sinkName, '"level":"debug"')).some((n) => n > 0) ? true : undefined),
      'a debug line from a sink task',
    );
  });

  it('topics reset while the sink runs (allowed, as Kafka Connect): the list empties, the tasks record the topic again on their next record', async () => {
    const before = await taskLogLines(sinkName, 'active topics reset');
    expect((await call('PUT', `/connectors/${sinkName}/topics/reset`)).status).toBe(202);
    expect((await call('GET', `/connectors/${sinkName}/topics`)).body).toEqual({
      [sinkName]: { topics: [] },
    });
    await eventually(async () => {
      const now = await taskLogLines(sinkName, 'active topics reset');
      return now.every((n, i) => n > (before[i] ?? 0)) ? true : undefined;
    }, 'both sink tasks forgot their topics');
    await produce(await shifted('209'));
    const topics = await eventually(async () => {
      const body = (await call('GET', `/connectors/${sinkName}/topics`)).body as TopicsBody;
      return body[sinkName]?.topics.length ? body : undefined;
    }, 'the sink topic recorded again');
    expect(topics).toEqual({ [sinkName]: { topics: [sinkTopic] } });
  });

  it('delete: 204, the tasks are stopped and the connector is gone', async () => {
    expect((await call('DELETE', `/connectors/${sinkName}`)).status).toBe(204);
    expect(running(sinkName)).toEqual([]);
    expect((await call('GET', `/connectors/${sinkName}`)).status).toBe(404);
  });

  it("source: the guide's JSON is POSTed, the guide's row is inserted, and the guide's record appears on the topic", async () => {
    await createSourceTable(env.postgres.url, benchmark);
    const guide = example('local/kw-json-kaiwudb-source.json') as { config: Json };
    const created = await call('POST', '/connectors', {
      name: sourceName,
      config: {
        ...guide.config,
        'connection.url': localPostgresUrl(),
        'connection.database': benchmark,
        'poll.interval.ms': 1000,
      },
    });
    expect(created.status).toBe(201);
    await allTasks(sourceName, 'RUNNING');
    await insertGuideRow(env.postgres.url, benchmark);
    const topic = `kw-${benchmark}-cpu_kaiwudb_tb`;
    const record = await firstRecord(kafka, topic, (v) => v.includes('647470401348904608'));
    const parsed = JSON.parse(record) as { table: string; data: Json[] };
    expect(parsed.table).toBe('cpu_kaiwudb_tb');
    expect(record).toContain('"k_timestamp":1705962142224');
    expect(record).toContain('"id":647470401348904608'); // exact INT8, above 2^53
    expect(parsed.data[0]).toMatchObject({
      usage_user: 1,
      hostname: 'locahost',
      region: 'beijing',
      datacenter: 'center',
    });
    const offsets = await eventually(async () => {
      const body = (await call('GET', `/connectors/${sourceName}/offsets`)).body as { offsets: Json[] };
      return body.offsets.length > 0 ? body.offsets : undefined;
    }, 'a stored source cursor');
    expect(offsets[0]?.['partition']).toEqual({ table: `${benchmark}.cpu_kaiwudb_tb` });
    const topics = await eventually(async () => {
      const body = (await call('GET', `/connectors/${sourceName}/topics`)).body as TopicsBody;
      return body[sourceName]?.topics.length ? body : undefined;
    }, 'the source topic recorded');
    expect(topics).toEqual({ [sourceName]: { topics: [topic] } });
    expect((await call('DELETE', `/connectors/${sourceName}`)).status).toBe(204);
    expect(running(sourceName)).toEqual([]);
  });
});
