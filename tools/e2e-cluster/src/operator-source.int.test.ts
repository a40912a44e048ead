// The guide's source connector on the one-node cluster (issue 13, item 6): `kubectl apply -f
// k8s/examples/kw-json-kaiwudb-source.yaml` (its Secret included; PostgreSQL, database and user
// substituted into the YAML, the rest as committed) makes a source worker Pod through config-api's
// operator; the guide's INSERT then reaches the topic kw-<database>-cpu_kaiwudb_tb as exactly the
// record the guide shows (examples/kw-json-kaiwudb-source-record.txt), the INT8 id
// 647470401348904608 (above 2^53) included without rounding.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type pg from 'pg';
import { decode } from '@kwdb-connect/formats';
import { KwdbClient } from '@kwdb-connect/kwdb-client';
import { loadTestEnv, uniqueName, workspaceRoot } from '@kwdb-connect/testing';
import type { ConfigApiProcess } from './config-api-process';
import {
  connectionValues,
  createDatabase,
  exampleManifest,
  OperatorCluster,
  rest,
  withValues,
} from './operator-harness';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
jest.setTimeout(300_000);

const env = loadTestEnv('kafka', 'postgres', 'cluster');
const RESOURCE = 'kwdb-source-connector';
const CONNECTOR = 'KwdbSourceConnector';
/** The record the guide shows on the source topic; it also defines the source table. */
const GUIDE_RECORD = readFileSync(
  join(workspaceRoot(), 'examples', 'kw-json-kaiwudb-source-record.txt'),
  'utf8',
).trim();
/** The guide's INSERT (source "Testing and Verification", step 2), in the connector's database. */
const GUIDE_INSERT =
  'INSERT INTO cpu_kaiwudb_tb (k_timestamp, usage_user, usage_system, usage_idle, usage_nice, usage_iowait, ' +
  'usage_irq, usage_softirq, usage_steal, usage_guest, usage_guest_nice, id, hostname, region, datacenter) ' +
  "VALUES ('2024-01-22 22:22:22.224',1,2,3,4,5,6,7,8,9,10,647470401348904608,'locahost','beijing','center')";

/** JSON.parse that keeps integers beyond 2^53 exact (as digit strings), so records compare exactly. */
function exactParse(text: string): unknown {
  return JSON.parse(text.replace(/([:[,])(-?\d{16,})(?=[,}\]])/g, '$1"#$2"'));
}

describe("the operator on the one-node cluster: the guide's source applied with kubectl", () => {
  const database = `e2e_source_${uniqueName('x').slice(2).replace(/-/g, '_')}`;
  const kafka = new Kafka({
    clientId: 'e2e-operator-source',
    brokers: env.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  let cluster: OperatorCluster;
  let db: pg.Client;
  let api: ConfigApiProcess;

  beforeAll(async () => {
    cluster = await OperatorCluster.start(env, 'e2e-source');
    db = await createDatabase(env, database);
    // The table of the guide's record (its columns and tags), as the guide's prerequisites have it.
    const batch = decode('json_kaiwudb', GUIDE_RECORD, { precision: 'ms' }).batches[0];
    if (batch === undefined) throw new Error("the guide's source record does not decode");
    const url = new URL(env.postgres.url);
    url.pathname = `/${database}`;
    const client = await KwdbClient.connect({ url: url.toString(), database });
    await client.ensureTable(batch).finally(() => client.close());
    api = await cluster.startConfigApi('config-api-a');
  }, 600_000);

  afterAll(async () => {
    await cluster?.close();
    await db?.end();
  });

  it("a source worker Pod delivers the guide's row to Kafka as exactly the guide's record", async () => {
    const yaml = withValues(exampleManifest('kw-json-kaiwudb-source.yaml'), connectionValues(env, database));
    await cluster.k(['apply', '-f', '-'], yaml);
    await cluster.runningTasks(RESOURCE, 1, { ready: true });
    const status = await cluster.until(async () => {
      const answer = await rest(api.url, 'GET', `/connectors/${CONNECTOR}/status`);
      const body = answer.body as { tasks?: { state: string }[] } | undefined;
      return body?.tasks?.[0]?.state === 'RUNNING' ? body : undefined;
    }, 'the source task RUNNING');
    expect(status).toEqual(expect.objectContaining({ type: 'source' }));

    await db.query("SET TIME ZONE 'UTC'");
    await db.query(GUIDE_INSERT);
    // topic.prefix kw, topic.delimiter -, topic.per.stable true, topic.ignore.db false.
    const topic = `kw-${database}-cpu_kaiwudb_tb`;
    const records: { key: string; value: string }[] = [];
    const consumer = kafka.consumer({ groupId: uniqueName('e2e-source-reader') });
    await consumer.connect();
    try {
      await cluster.until(async () => {
        const admin = kafka.admin();
        await admin.connect();
        try {
          return (await admin.listTopics()).includes(topic) ? true : undefined;
        } finally {
          await admin.disconnect();
        }
      }, `topic ${topic}`);
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) =>
          void records.push({
            key: message.key?.toString('utf8') ?? '',
            value: message.value?.toString('utf8') ?? '',
          }),
      });
      await cluster.until(async () => (records.length > 0 ? true : undefined), `a record on ${topic}`);
    } finally {
      await consumer.disconnect();
    }
    const [record] = records;
    expect(record?.value).toContain('"id":647470401348904608'); // the INT8 unrounded
    expect(exactParse(record?.value ?? '')).toEqual(exactParse(GUIDE_RECORD));
    expect(record?.key).toBe('["cpu_kaiwudb_tb","647470401348904608"]');
  });
});
