// Issue 15: the dashboards and alerts proven against the test environment's real Prometheus
// (Debian's package) scraping a real config-api in local mode and its real workers, found through
// config-api's HTTP service discovery (GET /prometheus/targets). The guide's sink and source flows,
// a bulk load on both, a dead-letter sink, a poisoned sink and a sink whose own PostgreSQL is
// stopped and started run side by side; then every panel query of both dashboards (variables
// substituted) must return at least one series, the lag must rise during the outage and fall after,
// the poisoned task must show FAILED 1, and the chart's alert rules, loaded into the same
// Prometheus, must fire for the failed task and the dead letters.
// With KWDB_CONNECT_RENDER_DASHBOARDS=1 (`npx nx run config-api:render-dashboards`) the dashboard
// images of this run are written to docs/dashboards.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_TASK_LIMITS } from '@kwdb-connect/connector-config';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ALERTS,
  CHART_DASHBOARDS,
  DASHBOARDS,
  DOCS_DASHBOARDS,
  PrometheusClient,
  dashboardImage,
  panelQueries,
  regexLiteral,
  withoutRows,
  writeImage,
  type GrafanaDashboard,
  type RowKind,
  type Variables,
} from '@kwdb-connect/monitoring';
import {
  loadTestEnv,
  startThrowawayPostgres,
  testPrometheus,
  uniqueName,
  type ThrowawayPostgres,
} from '@kwdb-connect/testing';
import pg from 'pg';
import {
  createSinkTopic,
  createSourceTable,
  databaseUrl,
  ensureDatabase,
  firstRecord,
  insertGuideRow,
  kafkaOf,
  sinkRows,
} from '../src/demo/guide-flow';
import { startConfigApi, type RunningConfigApi } from '../src/server';
import { client, eventually, example, EXAMPLES } from './helpers';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';

type Json = Record<string, unknown>;

const env = loadTestEnv('kafka', 'postgres', 'prometheus');
const ROOT = join(import.meta.dirname, '..', '..', '..');
const SINK_WORKER = join(ROOT, 'dist', 'apps', 'sink-worker', 'main.js');
const SOURCE_WORKER = join(ROOT, 'dist', 'apps', 'source-worker', 'main.js');
const RENDER = process.env['KWDB_CONNECT_RENDER_DASHBOARDS'] === '1';

const suffix = randomBytes(4).toString('hex');
/** The namespace label the scrape job adds, as prometheus-operator adds the Pod's namespace. */
const NAMESPACE = `kwdb-test-${suffix}`;
const tsdb = `mon_tsdb_${suffix}`;
const benchmark = `mon_bench_${suffix}`;
const deadLetterDb = `mon_dlq_${suffix}`;
const names = {
  sink: uniqueName('mon-sink'),
  source: uniqueName('mon-source'),
  deadLetter: uniqueName('mon-dlq'),
  poisoned: uniqueName('mon-poisoned'),
  outage: uniqueName('mon-outage'),
};
const topics = {
  sink: uniqueName('mon-kw-tsdb'),
  deadLetterIn: uniqueName('mon-dlq-in'),
  deadLetterOut: uniqueName('mon-dlq-out'),
  poisoned: uniqueName('mon-poisoned-in'),
  outage: uniqueName('mon-outage-in'),
};
const BULK_MESSAGES = 2000; // x 5 rows each
const BULK_SOURCE_ROWS = 5000;
const jobName = `kwdb-connect-${suffix}`;

const kafka = kafkaOf(env.kafka.brokers);
const testProm = testPrometheus(env);
const prometheus = new PrometheusClient(testProm.url);
let dataDir: string;
let api: RunningConfigApi;
let outageDb: ThrowawayPostgres;
let startedAt = 0;
const call = client(() => api.url);
const guideData = readFileSync(join(EXAMPLES, 'kw-json-kaiwudb-data.txt'), 'utf8').trim();

/** The guide's message with its five timestamps replaced by fresh, distinct ones (new rows). */
function freshGuideMessage(baseMs: number): string {
  let i = 0;
  return guideData.replace(/"ts":\d+/g, () => `"ts":${baseMs + i++}`);
}

async function produce(topic: string, values: string[]): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let i = 0; i < values.length; i += 500) {
      await producer.send({
        topic,
        acks: -1,
        messages: values.slice(i, i + 500).map((value) => ({ value })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

async function sinkConnector(name: string, topic: string, url: string, extra: Json = {}): Promise<void> {
  const guide = example('local/kw-json-kaiwudb-sink.json') as { config: Json };
  const created = await call('POST', '/connectors', {
    name,
    config: {
      ...guide.config,
      topics: topic,
      'connection.url': url,
      'connection.database': tsdb,
      'tasks.max': '1',
      ...extra,
    },
  });
  expect(created.status).toBe(201);
}

async function tasksRunning(name: string): Promise<void> {
  await eventually(
    async () => {
      const s = (await call('GET', `/connectors/${name}/status`)).body as { tasks: { state: string }[] };
      return s.tasks.length > 0 && s.tasks.every((t) => t.state === 'RUNNING') ? true : undefined;
    },
    `${name} tasks RUNNING`,
    90_000,
  );
}

async function rowCount(url: string, table = 'ts_json_kaiwudb_tb'): Promise<number> {
  return (await sinkRows(url, tsdb, table)).length;
}

/** The value of a one-series query (a sum), or undefined while it has no series. */
async function scalar(expr: string): Promise<number | undefined> {
  const result = await prometheus.query(expr);
  return result.length === 0 ? undefined : Number(result[0]!.value[1]);
}

const localPostgres = `postgres://${env.postgres.host}:${env.postgres.port}`;

beforeAll(async () => {
  for (const bundle of [SINK_WORKER, SOURCE_WORKER]) {
    if (!existsSync(bundle))
      throw new Error(`${bundle} is missing: run \`npx nx run-many -t build -p sink-worker source-worker\``);
  }
  startedAt = Date.now() / 1000;
  dataDir = await mkdtemp(join(tmpdir(), 'cfgapi-monitoring-'));
  outageDb = await startThrowawayPostgres({ timezone: 'UTC' });
  await ensureDatabase(env.postgres.url, tsdb);
  await ensureDatabase(env.postgres.url, benchmark);
  await ensureDatabase(env.postgres.url, deadLetterDb);
  await ensureDatabase(outageDb.url, tsdb);
  for (const topic of Object.values(topics)) await createSinkTopic(kafka, topic);
  api = await startConfigApi({
    host: '127.0.0.1',
    port: 0,
    advertisedHost: undefined,
    kafkaBrokers: env.kafka.brokers,
    dataDir,
    statusTopic: uniqueName('mon-status'),
    offsetsTopic: uniqueName('mon-offsets'),
    runtime: 'local',
    sinkWorker: SINK_WORKER,
    sourceWorker: SOURCE_WORKER,
    workerHttpHost: '127.0.0.1',
    workerBasePort: 0,
    logLevel: 'warn',
    taskLimits: DEFAULT_TASK_LIMITS,
  });
  // One job finds config-api and every worker through config-api's service discovery.
  await testProm.addScrapeJob({
    job_name: jobName,
    honor_labels: true,
    http_sd_configs: [{ url: `${api.url}/prometheus/targets`, refresh_interval: '1s' }],
    relabel_configs: [{ target_label: 'namespace', replacement: NAMESPACE }],
  });
  await testProm.addRuleFile(`alerts-${suffix}`, readFileSync(ALERTS, 'utf8'));

  // The guide's sink flow (2 tasks), then a bulk load on the same topic.
  await sinkConnector(names.sink, topics.sink, localPostgres, { 'tasks.max': '2' });
  await tasksRunning(names.sink);
  await produce(topics.sink, [guideData]);
  await eventually(
    async () => ((await rowCount(env.postgres.url)) === 5 ? true : undefined),
    'the guide rows',
    60_000,
  );
  const base = Date.now() - 3_600_000;
  await produce(
    topics.sink,
    Array.from({ length: BULK_MESSAGES }, (_, m) => freshGuideMessage(base + m * 5)),
  );

  // The guide's source flow, then a bulk insert into the source table.
  await createSourceTable(env.postgres.url, benchmark);
  const guideSource = example('local/kw-json-kaiwudb-source.json') as { config: Json };
  expect(
    (
      await call('POST', '/connectors', {
        name: names.source,
        config: {
          ...guideSource.config,
          'connection.url': localPostgres,
          'connection.database': benchmark,
          'poll.interval.ms': 1000,
        },
      })
    ).status,
  ).toBe(201);
  await tasksRunning(names.source);
  await insertGuideRow(env.postgres.url, benchmark);
  const sourceTopic = `kw-${benchmark}-cpu_kaiwudb_tb`;
  await firstRecord(kafka, sourceTopic, (v) => v.includes('647470401348904608'), 90_000);
  const db = new pg.Client({ connectionString: databaseUrl(env.postgres.url, benchmark) });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO cpu_kaiwudb_tb (k_timestamp, usage_user, usage_system, usage_idle, usage_nice, usage_iowait,
         usage_irq, usage_softirq, usage_steal, usage_guest, usage_guest_nice, id, hostname, region, datacenter)
       SELECT now() - make_interval(secs => g), g, g, g, g, g, g, g, g, g, g, 1000 + g % 10, 'host_' || (g % 10), 'beijing', 'center'
       FROM generate_series(1, ${BULK_SOURCE_ROWS}) g`,
    );
  } finally {
    await db.end();
  }

  // A sink that dead-letters bad records (errors.tolerance=all), and is restarted once.
  await sinkConnector(names.deadLetter, topics.deadLetterIn, localPostgres, {
    'connection.database': deadLetterDb,
    'errors.tolerance': 'all',
    'errors.deadletterqueue.topic.name': topics.deadLetterOut,
    'errors.deadletterqueue.topic.replication.factor': '1',
  });
  await tasksRunning(names.deadLetter);
  // Restarted first (the restarts panels), then fed: the running process holds the dead letters.
  const pidOf = (): number | undefined =>
    api.supervisor!.snapshot().find((t) => t.connector === names.deadLetter && t.phase === 'running')?.pid;
  const before = pidOf();
  expect((await call('POST', `/connectors/${names.deadLetter}/restart?includeTasks=true`)).status).toBe(202);
  await eventually(
    async () => (pidOf() !== undefined && pidOf() !== before ? true : undefined),
    'a new process',
  );
  await produce(topics.deadLetterIn, ['not json at all', '{"table": [1, 2', freshGuideMessage(Date.now())]);

  // The sink whose database (a throwaway PostgreSQL) the lag scenario stops and starts.
  await sinkConnector(names.outage, topics.outage, `postgres://127.0.0.1:${outageDb.port}`, {
    'max.retries': '1000',
    'retry.backoff.ms': '1000',
  });
  await tasksRunning(names.outage);
  await produce(topics.outage, [freshGuideMessage(Date.now())]);
  await eventually(
    async () => ((await rowCount(outageDb.url)) === 5 ? true : undefined),
    'the outage sink rows',
    60_000,
  );

  // Every row of the bulk loads arrived.
  await eventually(
    async () => ((await rowCount(env.postgres.url)) === 5 + BULK_MESSAGES * 5 ? true : undefined),
    'the sink bulk load',
    180_000,
  );
}, 420_000);

afterAll(async () => {
  await testProm.removeScrapeJob(jobName).catch(() => undefined);
  await testProm.removeRuleFile(`alerts-${suffix}`).catch(() => undefined);
  await api?.close();
  await outageDb?.destroy();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 120_000);

describe('Prometheus scraping config-api and its workers (local runtime)', () => {
  it('finds config-api and every task through GET /prometheus/targets, all up', async () => {
    const groups = (await call('GET', '/prometheus/targets')).body as {
      targets: string[];
      labels: Record<string, string>;
    }[];
    expect(groups[0]!.labels).toEqual({ component: 'config-api' });
    const tasks = groups.slice(1).map((g) => `${g.labels['connector']}/${g.labels['task']}`);
    expect(tasks).toEqual(
      expect.arrayContaining([
        `${names.sink}/0`,
        `${names.sink}/1`,
        `${names.source}/0`,
        `${names.deadLetter}/0`,
        `${names.outage}/0`,
      ]),
    );
    const up = await eventually(
      async () => {
        const targets = (await prometheus.targets()).filter((t) => t.labels['job'] === jobName);
        return targets.length === groups.length && targets.every((t) => t.health === 'up')
          ? targets
          : undefined;
      },
      'every target up in Prometheus',
      60_000,
    );
    expect(up.every((t) => t.labels['namespace'] === NAMESPACE)).toBe(true);
  }, 90_000);

  it.each(DASHBOARDS.map((d) => ({ file: d.file, spec: d.spec })))(
    'every panel query of $file returns at least one series from the live Prometheus',
    async ({ file, spec }) => {
      const dashboard = JSON.parse(readFileSync(join(CHART_DASHBOARDS, file), 'utf8')) as GrafanaDashboard;
      const kindOfRow = new Map(spec.rows.map((r) => [r.title, r.kind]));
      // Overview: All connectors. Per-connector view: the sink for sink rows, the source for
      // source rows, and each of both for the rows that apply to any connector.
      const connectorsFor = (kind: RowKind): string[] =>
        spec.allConnectors
          ? ['.*']
          : kind === 'sink'
            ? [names.sink]
            : kind === 'source'
              ? [names.source]
              : [names.sink, names.source];
      const runs = [...kindOfRow.entries()].flatMap(([row, kind]) =>
        connectorsFor(kind).flatMap((connector) => {
          const vars: Variables = {
            namespace: regexLiteral(NAMESPACE),
            connector: connector === '.*' ? '.*' : regexLiteral(connector),
            rateInterval: '30s',
          };
          return panelQueries(dashboard as never, vars)
            .filter((q) => q.row === row)
            .map((q) => ({ ...q, connector }));
        }),
      );
      expect(runs.length).toBeGreaterThan(15);
      const empty = async (): Promise<string[]> => {
        const out: string[] = [];
        for (const q of runs) {
          if ((await prometheus.query(q.expr)).length === 0)
            out.push(`${q.row} / ${q.panel} [${q.refId}] (${q.connector}): ${q.expr}`);
        }
        return out;
      };
      // Rates and histograms need a few scrapes after the flows: wait until every query answers.
      let last: string[] = [];
      await eventually(
        async () => {
          last = await empty();
          return last.length === 0 ? true : undefined;
        },
        'a series for every panel query',
        90_000,
      ).catch(() => undefined);
      expect(last).toEqual([]);
    },
    180_000,
  );
});

describe('scenarios that move the metrics', () => {
  const lagOf = `sum(kwdb_connect_consumer_lag_records{namespace="${NAMESPACE}", connector="${names.outage}"})`;

  it('consumer lag rises while the database is stopped and falls back to 0 after it is started', async () => {
    await eventually(
      async () => ((await scalar(lagOf)) === 0 ? true : undefined),
      'lag 0 before the outage',
      60_000,
    );
    await outageDb.stop('fast');
    await produce(
      topics.outage,
      Array.from({ length: 200 }, (_, m) => freshGuideMessage(Date.now() + m * 10)),
    );
    const peak = await eventually(
      async () => {
        const lag = await scalar(lagOf);
        return lag !== undefined && lag >= 150 ? lag : undefined;
      },
      'the lag to rise while PostgreSQL is down',
      60_000,
    );
    expect(peak).toBeGreaterThanOrEqual(150);
    const retried = await scalar(
      `sum(kwdb_connect_errors_total{namespace="${NAMESPACE}", connector="${names.outage}", kind="transient"})`,
    );
    expect(retried).toBeGreaterThan(0);
    await outageDb.start();
    await eventually(
      async () => ((await scalar(lagOf)) === 0 ? true : undefined),
      'the lag to fall to 0',
      120_000,
    );
    await eventually(
      async () => ((await rowCount(outageDb.url)) === 5 + 200 * 5 ? true : undefined),
      'every row',
      60_000,
    );
  }, 300_000);

  it('a poisoned record makes the task FAILED: task_status FAILED 1, and the TaskFailed alert fires', async () => {
    await sinkConnector(names.poisoned, topics.poisoned, localPostgres); // errors.tolerance=none
    await tasksRunning(names.poisoned);
    await produce(topics.poisoned, ['{"table": "poison", "columns": [}']);
    const failed = `kwdb_connect_task_status{namespace="${NAMESPACE}", connector="${names.poisoned}", task="0", state="FAILED"}`;
    await eventually(
      async () => ((await scalar(failed)) === 1 ? true : undefined),
      'task_status FAILED = 1',
      60_000,
    );
    const running = `kwdb_connect_task_status{namespace="${NAMESPACE}", connector="${names.poisoned}", task="0", state="RUNNING"}`;
    expect(await scalar(running)).toBe(0);
    // The chart's rule (for: 1m) evaluated by this Prometheus on the live series.
    const alert = `ALERTS{alertname="KwdbConnectTaskFailed", alertstate="firing", namespace="${NAMESPACE}", connector="${names.poisoned}", task="0"}`;
    await eventually(
      async () => ((await scalar(alert)) === 1 ? true : undefined),
      'KwdbConnectTaskFailed firing',
      120_000,
    );
  }, 240_000);

  it('the dead letters of the errors.tolerance=all sink are counted and fire KwdbConnectDeadLetters', async () => {
    const dead = `sum(kwdb_connect_dead_letter_records_total{namespace="${NAMESPACE}", connector="${names.deadLetter}"})`;
    await eventually(async () => ((await scalar(dead)) === 2 ? true : undefined), 'two dead letters', 60_000);
    const alert = `ALERTS{alertname="KwdbConnectDeadLetters", alertstate="firing", namespace="${NAMESPACE}", connector="${names.deadLetter}"}`;
    await eventually(
      async () => ((await scalar(alert)) === 1 ? true : undefined),
      'KwdbConnectDeadLetters firing',
      60_000,
    );
  }, 90_000);
});

describe('dashboard images', () => {
  it('renders each dashboard from this run (written to docs/dashboards with KWDB_CONNECT_RENDER_DASHBOARDS=1)', async () => {
    const outDir = RENDER ? DOCS_DASHBOARDS : await mkdtemp(join(tmpdir(), 'dashboards-'));
    const end = Math.floor(Date.now() / 1000);
    const window = {
      start: Math.floor(startedAt),
      end,
      step: Math.max(2, Math.ceil((end - startedAt) / 300)),
    };
    // The per-connector view is drawn once per kind, without the rows of the other kind.
    const images: [string, string, string, RowKind | undefined][] = [
      ['kwdb-connect-overview.json', '.*', 'kwdb-connect-overview', undefined],
      ['kwdb-connect-connector.json', names.sink, 'kwdb-connect-connector-sink', 'source'],
      ['kwdb-connect-connector.json', names.source, 'kwdb-connect-connector-source', 'sink'],
    ];
    for (const [file, connector, image, otherKind] of images) {
      const spec = DASHBOARDS.find((d) => d.file === file)!.spec;
      const skip = new Set(spec.rows.filter((r) => r.kind === otherKind).map((r) => r.title));
      const dashboard = withoutRows(
        JSON.parse(readFileSync(join(CHART_DASHBOARDS, file), 'utf8')) as GrafanaDashboard,
        skip,
      );
      const vars = {
        namespace: regexLiteral(NAMESPACE),
        connector: connector === '.*' ? '.*' : regexLiteral(connector),
        rateInterval: '30s',
      };
      const subtitle = `namespace=${NAMESPACE}  connector=${connector === '.*' ? 'All' : connector}  ${new Date(window.start * 1000).toISOString()} .. ${new Date(end * 1000).toISOString()}  (rendered from a test run: npx nx run config-api:render-dashboards)`;
      const svg = await dashboardImage(prometheus, dashboard, vars, window, subtitle);
      for (const panel of dashboard.panels.filter((p) => p.type !== 'row'))
        expect(svg).toContain(panel.title.replace(/&/g, '&amp;'));
      expect(svg).not.toContain('No data');
      const written = await writeImage(svg, outDir, image);
      for (const path of written) expect(existsSync(path)).toBe(true);
    }
    if (RENDER)
      for (const { file } of DASHBOARDS)
        copyFileSync(join(CHART_DASHBOARDS, file), join(DOCS_DASHBOARDS, file));
    else await rm(outDir, { recursive: true, force: true });
  }, 120_000);
});
