// Issue 6 points 5 and 7, the guide's source flow: the cpu_kaiwudb_tb table in database
// `benchmark`, the guide's INSERT, the guide's json_kaiwudb message on kw-benchmark-cpu_kaiwudb_tb;
// plus status, health, metrics and a clean drain.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ColumnDef, TagDef } from '@kwdb-connect/formats';
import type { KwdbClient } from '@kwdb-connect/kwdb-client';
import pg from 'pg';
import {
  batch,
  collect,
  connect,
  env,
  freshDatabase,
  kafkaClient,
  names,
  readStatus,
  sourceConfig,
  startWorker,
  waitFor,
  type TestDatabase,
  type WorkerHandle,
} from './support';

const GUIDE_MESSAGE =
  '{"table":"cpu_kaiwudb_tb","columns":[{"name":"k_timestamp","type":"TIMESTAMP","length":64},{"name":"usage_user","type":"INT8","length":64},{"name":"usage_system","type":"INT8","length":64},{"name":"usage_idle","type":"INT8","length":64},{"name":"usage_nice","type":"INT8","length":64},{"name":"usage_iowait","type":"INT8","length":64},{"name":"usage_irq","type":"INT8","length":64},{"name":"usage_softirq","type":"INT8","length":64},{"name":"usage_steal","type":"INT8","length":64},{"name":"usage_guest","type":"INT8","length":64},{"name":"usage_guest_nice","type":"INT8","length":64}],"data":[{"k_timestamp":1705962142224,"usage_user":1,"usage_system":2,"usage_idle":3,"usage_nice":4,"usage_iowait":5,"usage_irq":6,"usage_softirq":7,"usage_steal":8,"usage_guest":9,"usage_guest_nice":10,"id":647470401348904608,"hostname":"locahost","region":"beijing","datacenter":"center","rack":null,"os":null,"arch":null,"team":null,"service":null,"service_version":null,"service_environment":null}],"tags":[{"name":"id","type":"INT8","length":64,"isPrimary":true,"nullable":false},{"name":"hostname","type":"VARCHAR","length":254,"isPrimary":false,"nullable":false},{"name":"region","type":"VARCHAR","length":254,"isPrimary":false,"nullable":false},{"name":"datacenter","type":"VARCHAR","length":254,"isPrimary":false,"nullable":false},{"name":"rack","type":"VARCHAR","length":254,"isPrimary":false,"nullable":true},{"name":"os","type":"VARCHAR","length":254,"isPrimary":false,"nullable":true},{"name":"arch","type":"VARCHAR","length":254,"isPrimary":false,"nullable":true},{"name":"team","type":"VARCHAR","length":254,"isPrimary":false,"nullable":true},{"name":"service","type":"VARCHAR","length":254,"isPrimary":false,"nullable":true},{"name":"service_version","type":"VARCHAR","length":254,"isPrimary":false,"nullable":true},{"name":"service_environment","type":"VARCHAR","length":254,"isPrimary":false,"nullable":true}]}';

const USAGE = [
  'usage_user',
  'usage_system',
  'usage_idle',
  'usage_nice',
  'usage_iowait',
  'usage_irq',
  'usage_softirq',
  'usage_steal',
  'usage_guest',
  'usage_guest_nice',
];
const COLUMNS: ColumnDef[] = [
  { name: 'k_timestamp', type: 'TIMESTAMP', length: 64 },
  ...USAGE.map((name): ColumnDef => ({ name, type: 'INT8', length: 64 })),
];
const TAGS: TagDef[] = [
  { name: 'id', type: 'INT8', length: 64, primary: true, nullable: false },
  ...['hostname', 'region', 'datacenter'].map((name): TagDef => ({
    name,
    type: 'VARCHAR',
    length: 254,
    primary: false,
    nullable: false,
  })),
  ...['rack', 'os', 'arch', 'team', 'service', 'service_version', 'service_environment'].map(
    (name): TagDef => ({ name, type: 'VARCHAR', length: 254, primary: false, nullable: true }),
  ),
];

/** JSON.parse that keeps integers beyond 2^53 exact (as digit strings) so structures compare exactly. */
function exactParse(text: string): unknown {
  return JSON.parse(text.replace(/([:[,])(-?\d{16,})(?=[,}\]])/g, '$1"#$2"'));
}

/** The `benchmark` database when it is free, else a unique one (then the topic names that one). */
async function benchmarkDatabase(): Promise<TestDatabase> {
  const admin = new pg.Client({ connectionString: env().postgres.url });
  await admin.connect();
  const exists = (await admin.query("SELECT 1 FROM pg_database WHERE datname = 'benchmark'")).rowCount! > 0;
  if (!exists) await admin.query('CREATE DATABASE benchmark').catch(() => undefined);
  await admin.end();
  if (exists) return freshDatabase('benchmark');
  const url = new URL(env().postgres.url);
  url.pathname = '/benchmark';
  return {
    name: 'benchmark',
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: env().postgres.url });
      await c.connect();
      await c.query('DROP DATABASE IF EXISTS benchmark WITH (FORCE)');
      await c.end();
    },
  };
}

describe("the guide's source flow (built worker, real PostgreSQL and Kafka)", () => {
  const kafka = kafkaClient();
  const n = names('guide');
  let db: TestDatabase;
  let client: KwdbClient;
  let worker: WorkerHandle | undefined;
  let topic: string;

  beforeAll(async () => {
    db = await benchmarkDatabase();
    client = await connect(db.url);
    await client.ensureTable(batch('cpu_kaiwudb_tb', COLUMNS, TAGS, [], 'ms'));
    topic = `kw-${db.name}-cpu_kaiwudb_tb`;
  });

  afterAll(async () => {
    worker?.kill('SIGKILL');
    await client?.close();
    await db?.drop();
  });

  it("emits the guide's message on the guide's topic, INT8 exact; status, health and metrics; drains on SIGTERM", async () => {
    // Records already on the topic (from an earlier run) are ignored: only offsets after `start` count.
    const admin = kafka.admin();
    await admin.connect();
    const existing = (await admin.listTopics()).includes(topic) ? await admin.fetchTopicOffsets(topic) : [];
    await admin.disconnect();
    const start = new Map(existing.map((p) => [p.partition, BigInt(p.high)]));

    worker = startWorker({
      name: n.name,
      offsetsTopic: n.offsetsTopic,
      statusTopic: n.statusTopic,
      config: sourceConfig(n.name, db.name, db.url, {
        'topic.prefix': 'kw',
        'query.interval.ms': '1000',
        'poll.interval.ms': '5000',
      }),
    });
    const url = await worker.url();
    await waitFor('readyz', async () => (await fetch(`${url}/readyz`)).status === 200, 60_000);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    // The guide's INSERT.
    const inserted = Date.now();
    await client.write(
      batch('cpu_kaiwudb_tb', COLUMNS, TAGS, [
        {
          k_timestamp: 1705962142224n * 1_000_000n,
          ...Object.fromEntries(USAGE.map((c, i) => [c, BigInt(i + 1)])),
          id: 647470401348904608n,
          hostname: 'locahost',
          region: 'beijing',
          datacenter: 'center',
        },
      ]),
    );

    const seen = await collect(kafka, [topic]);
    await waitFor(
      'the message',
      () => seen.records.some((r) => BigInt(r.offset) >= (start.get(r.partition) ?? 0n)),
      30_000,
    );
    await seen.stop();
    const fresh = seen.records.filter((r) => BigInt(r.offset) >= (start.get(r.partition) ?? 0n));
    expect(fresh).toHaveLength(1);
    const record = fresh[0]!;
    expect(record.value).toContain('"id":647470401348904608');
    expect(exactParse(record.value)).toEqual(exactParse(GUIDE_MESSAGE));
    // record.timestamp=produce_time (issue 10 point 2): the record is stamped when produced, not
    // with the row's 2024 time, so the topic's 7-day retention does not delete it at once.
    expect(Number(record.timestamp)).toBeGreaterThanOrEqual(inserted);
    expect(Number(record.timestamp)).toBeLessThanOrEqual(Date.now());
    expect(record.key).toBe('["cpu_kaiwudb_tb","647470401348904608"]');

    // A consumer can see the record before the task has handled the broker's acknowledgement (and
    // stored the cursor after it), which is when the produced counter moves: wait for it.
    const produced = new RegExp(
      `kwdb_connect_source_records_produced_total\\{[^}]*topic="${topic}"[^}]*\\} 1`,
    );
    await waitFor('the produced counter', async () =>
      produced.test(await (await fetch(`${url}/metrics`)).text()),
    );
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/kwdb_connect_source_rows_polled_total\{[^}]*table="cpu_kaiwudb_tb"[^}]*\} 1/);
    expect(metrics).toMatch(produced);
    expect(metrics).toMatch(/kwdb_connect_source_tables_owned\{[^}]*\} 1/);
    expect(metrics).toMatch(/kwdb_connect_source_lag_seconds\{[^}]*table="cpu_kaiwudb_tb"[^}]*\} \d/);
    expect(metrics).toMatch(/kwdb_connect_task_state\{[^}]*state="RUNNING"[^}]*\} 1/);
    expect(metrics).toMatch(/kwdb_connect_source_query_duration_seconds_count\{[^}]*\} [1-9]/);

    const running = await readStatus(kafka, n.statusTopic);
    expect(JSON.parse(running.get(`status-task-${n.name}-0`)!).state).toBe('RUNNING');

    worker.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    const after = await readStatus(kafka, n.statusTopic);
    expect(JSON.parse(after.get(`status-task-${n.name}-0`)!).state).toBe('UNASSIGNED');
  }, 120_000);
});
