// The one-command demo's driver (scripts/demo.sh starts Kafka, PostgreSQL and config-api first):
// the guide's sink and source flows through the REST API, printing each step.
import { join } from 'node:path';
import {
  createSinkTopic,
  createSourceTable,
  ensureDatabase,
  firstRecord,
  http,
  insertGuideRow,
  kafkaOf,
  produceSampleData,
  resetDemoState,
  readExample,
  sinkRows,
  SINK_TOPIC,
  SOURCE_TOPIC,
  waitFor,
} from './guide-flow';

const env = process.env;
const apiUrl = env['DEMO_API_URL'] ?? 'http://127.0.0.1:8083';
const brokers = (env['KAFKA_BOOTSTRAP_SERVERS'] ?? '127.0.0.1:19092').split(',');
const postgresUrl = env['DEMO_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:15432/postgres';

/** The examples name the default local PostgreSQL port; a run on another port (PG_PORT) points them there. */
function withLocalDatabase(example: unknown): unknown {
  const { host } = new URL(postgresUrl);
  const { name, config } = example as { name: string; config: Record<string, unknown> };
  return { name, config: { ...config, 'connection.url': `postgres://${host}` } };
}
const examplesDir = env['DEMO_EXAMPLES_DIR'] ?? join(process.cwd(), 'examples');
let stepNo = 0;
const step = (text: string): void => {
  stepNo += 1;
  process.stdout.write(`\n\x1b[1m[demo ${stepNo}] ${text}\x1b[0m\n`);
};
const show = (value: unknown): void => {
  process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);
};

async function main(): Promise<void> {
  const kafka = kafkaOf(brokers);
  if (process.argv.includes('--reset')) {
    // Before config-api starts: a re-run begins from the guide's empty state.
    const topics = [
      SINK_TOPIC,
      SOURCE_TOPIC,
      ...(env['DEMO_INTERNAL_TOPICS'] ?? '').split(',').filter((t) => t !== ''),
    ];
    await resetDemoState(kafka, postgresUrl, topics, ['connect-KwdbSinkConnector']);
    process.stdout.write(`reset: dropped databases tsdb, benchmark; deleted topics ${topics.join(', ')}\n`);
    return;
  }

  step(`curl ${apiUrl}/connectors   (the guide: "you should see an empty array")`);
  show((await http('GET', `${apiUrl}/connectors`)).body);

  step('Prerequisites: databases tsdb and benchmark; topic kw-tsdb-ts_json_kaiwudb_tb with 5 partitions');
  await ensureDatabase(postgresUrl, 'tsdb');
  await ensureDatabase(postgresUrl, 'benchmark');
  await createSinkTopic(kafka, SINK_TOPIC);
  show('ok');

  step("POST examples/local/kw-json-kaiwudb-sink.json (the guide's sink JSON, connection values changed)");
  const sink = withLocalDatabase(readExample(examplesDir, 'local/kw-json-kaiwudb-sink.json'));
  const created = await http('POST', `${apiUrl}/connectors`, sink);
  if (created.status !== 201 && created.status !== 409)
    throw new Error(`POST sink: ${created.status} ${JSON.stringify(created.body)}`);
  show(`${created.status} ${created.status === 409 ? '(already there from an earlier run)' : ''}`);
  show(created.body);

  step('Waiting for the 5 sink tasks to be RUNNING (GET /connectors/KwdbSinkConnector/status)');
  const status = await waitFor(
    async () => {
      const s = (await http('GET', `${apiUrl}/connectors/KwdbSinkConnector/status`)).body as {
        tasks: { state: string }[];
      };
      return s.tasks.length > 0 && s.tasks.every((t) => t.state === 'RUNNING') ? s : undefined;
    },
    'sink tasks RUNNING',
    120_000,
  );
  show(status);

  step("Producing the guide's sample data (examples/kw-json-kaiwudb-data.txt) with kafkajs");
  const count = await produceSampleData(kafka, SINK_TOPIC, join(examplesDir, 'kw-json-kaiwudb-data.txt'));
  show(`${count} message(s) sent to ${SINK_TOPIC}`);

  step('SELECT * FROM tsdb.ts_json_kaiwudb_tb');
  const rows = await waitFor(
    async () => {
      const r = await sinkRows(postgresUrl);
      return r.length >= 5 ? r : undefined;
    },
    'the five rows in tsdb.ts_json_kaiwudb_tb',
    120_000,
  );
  console.table(
    rows.map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : String(v)]),
      ),
    ),
  );

  step("Source prerequisite: table benchmark.cpu_kaiwudb_tb (columns and tags of the guide's source record)");
  await createSourceTable(postgresUrl);
  show('ok');

  step(
    "POST examples/local/kw-json-kaiwudb-source.json (the guide's source JSON, connection values changed)",
  );
  const source = withLocalDatabase(readExample(examplesDir, 'local/kw-json-kaiwudb-source.json'));
  const createdSource = await http('POST', `${apiUrl}/connectors`, source);
  if (createdSource.status !== 201 && createdSource.status !== 409) {
    throw new Error(`POST source: ${createdSource.status} ${JSON.stringify(createdSource.body)}`);
  }
  show(`${createdSource.status}`);

  step("INSERT the guide's row into benchmark.cpu_kaiwudb_tb");
  await insertGuideRow(postgresUrl);
  show('1 row inserted');

  step(`The record on topic ${SOURCE_TOPIC}`);
  const record = await firstRecord(kafka, SOURCE_TOPIC, (v) => v.includes('647470401348904608'), 120_000);
  show(record);

  step("Done: the guide's sink and source flows ran end to end");
}

main().catch((error: unknown) => {
  process.stderr.write(`\n[demo] FAILED: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
