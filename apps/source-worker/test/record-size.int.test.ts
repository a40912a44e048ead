// A record larger than its topic's max.message.bytes (built worker, real Kafka and PostgreSQL):
// with errors.tolerance=none the task FAILS naming table, row, key, size and limit, and nothing
// of the page is lost (after raising the limit every row arrives); with `all` that record alone
// is skipped and logged, the rest arrive.
import { afterAll, describe, expect, it } from '@jest/globals';
import type { Admin, ConfigResourceTypes } from 'kafkajs';
import type { ColumnDef, Row } from '@kwdb-connect/formats';
import { ensureTopic } from '@kwdb-connect/runtime';
import {
  batch,
  collect,
  kafkaClient,
  names,
  readStatus,
  rowIds,
  SMALL_TAGS,
  sourceConfig,
  TestResources,
  waitFor,
} from './support';

const kafka = kafkaClient();
const started = new TestResources();
afterAll(() => started.release());

const TOPIC_RESOURCE = 2 as ConfigResourceTypes;
const LIMIT = 2048;
const TABLE = 'big_rows';
const COLUMNS: ColumnDef[] = [
  { name: 'ts', type: 'TIMESTAMPTZ', length: 64 },
  { name: 'v', type: 'INT8', length: 64 },
  { name: 'note', type: 'VARCHAR', length: 5000 },
];
const T0 = 1_700_000_000_000n;
/** Rows 0-2 and 4-5 are small (one record ~300 B); row 3 carries a 4000-byte string. */
const BIG = 3;
const ROWS: Row[] = Array.from({ length: 6 }, (_, i) => ({
  ts: (T0 + BigInt(i)) * 1_000_000n,
  v: BigInt(i),
  note: i === BIG ? 'x'.repeat(4000) : 'small',
  id: BigInt(i),
  site: 's',
}));
const idOf = (row: Row): string => `${TABLE}|${(row['ts'] as bigint) / 1_000_000n}|${String(row['id'])}`;
const BIG_TS = String(ROWS[BIG]!['ts']);

async function setMaxMessageBytes(admin: Admin, topic: string, bytes: number): Promise<void> {
  await admin.alterConfigs({
    validateOnly: false,
    resources: [
      {
        type: TOPIC_RESOURCE,
        name: topic,
        configEntries: [{ name: 'max.message.bytes', value: String(bytes) }],
      },
    ],
  });
  await waitFor(`max.message.bytes ${bytes} on ${topic}`, async () => {
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: TOPIC_RESOURCE, name: topic, configNames: ['max.message.bytes'] }],
    });
    return described.resources[0]?.configEntries[0]?.configValue === String(bytes);
  });
}

/** A database with the table, and its topic created beforehand with max.message.bytes = LIMIT. */
async function setup(prefix: string) {
  const { db, client } = await started.database(prefix);
  await client.write(batch(TABLE, COLUMNS, SMALL_TAGS, ROWS));
  const n = names(prefix);
  const topic = `${n.name}-${db.name}-${TABLE}`;
  const admin = kafka.admin();
  await admin.connect();
  started.onRelease(() => admin.disconnect());
  await ensureTopic(admin, topic, { compacted: false, partitions: 1 });
  await setMaxMessageBytes(admin, topic, LIMIT);
  return { db, n, topic, admin };
}

describe('records larger than the topic max.message.bytes', () => {
  it('errors.tolerance=none: the task FAILS naming the record; after raising the limit every row arrives', async () => {
    const { db, n, topic, admin } = await setup('toolarge');
    const config = sourceConfig(n.name, db.name, db.url, { 'fetch.max.rows': '100' });
    const w1 = started.startWorker({ ...n, config });
    expect(await w1.exited).toBe(2);

    const failed = w1.logs.find((l) => l.includes('task FAILED'));
    expect(failed).toBeDefined();
    for (const text of ['RECORD_TOO_LARGE', `table ${TABLE}`, `topic ${topic}`, `${LIMIT} bytes`, BIG_TS]) {
      expect(failed).toContain(text);
    }
    const status = await readStatus(kafka, n.statusTopic);
    const value = JSON.parse(status.get(`status-task-${n.name}-0`)!) as { state: string; trace: string };
    expect(value.state).toBe('FAILED');
    for (const text of ['RECORD_TOO_LARGE', `table ${TABLE}`, `${LIMIT} bytes`, 'max.message.bytes']) {
      expect(value.trace).toContain(text);
    }

    // Nothing of the page was produced and its cursor was not stored: once the limit is raised,
    // a new task sends every row, the small ones before the big one included. (At-least-once: a
    // claims rebalance at start may re-send a page, so rows are compared as a set.)
    const seen = await collect(kafka, [topic]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(seen.records).toHaveLength(0);
    await setMaxMessageBytes(admin, topic, 1_048_588);
    const w2 = started.startWorker({ ...n, config });
    await waitFor('all 6 rows', () => seen.records.length >= 6, 60_000);
    await new Promise((r) => setTimeout(r, 1500)); // nothing more may come
    await seen.stop();
    expect(new Set(rowIds(seen.records))).toEqual(new Set(ROWS.map(idOf)));
    w2.kill('SIGTERM');
    expect(await w2.exited).toBe(0);
  }, 150_000);

  it('errors.tolerance=all: that record is skipped and logged, the other rows arrive', async () => {
    const { db, n, topic } = await setup('toolargeall');
    const w = started.startWorker({
      ...n,
      config: sourceConfig(n.name, db.name, db.url, { 'fetch.max.rows': '100', 'errors.tolerance': 'all' }),
    });
    const seen = await collect(kafka, [topic]);
    await waitFor('the 5 small rows', () => seen.records.length >= 5, 60_000);
    await new Promise((r) => setTimeout(r, 1500)); // nothing more may come
    await seen.stop();
    // Every row but the big one, the rows after it included: the cursor moved past it. (A claims
    // rebalance at start may re-send the page, at-least-once: compared as a set.)
    expect(new Set(rowIds(seen.records))).toEqual(new Set(ROWS.filter((_, i) => i !== BIG).map(idOf)));

    // Logged with the facts once per time the page was read (once, or again after a rebalance).
    const skipped = w.logs.filter((l) => l.includes('record skipped'));
    expect(skipped.length).toBeGreaterThanOrEqual(1);
    for (const line of skipped) {
      expect(JSON.parse(line)).toMatchObject({
        level: 'warn',
        table: TABLE,
        topic,
        rowTs: BIG_TS,
        key: JSON.stringify([TABLE, String(ROWS[BIG]!['id'])]),
        maxMessageBytes: LIMIT,
      });
      expect((JSON.parse(line) as { bytes: number }).bytes).toBeGreaterThan(4000);
    }
    const metrics = await (await fetch(`${await w.url()}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`kwdb_connect_errors_total\\{[^}]*kind="encode"[^}]*\\} ${skipped.length}\n`),
    );
    w.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  }, 150_000);
});
