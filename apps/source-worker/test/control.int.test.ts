// docs/worker-contract.md: invalid config -> every problem by key, FAILED on the status topic,
// exit 2; targetState PAUSED stops polling and publishes PAUSED, RUNNING resumes.
import { afterAll, describe, expect, it } from '@jest/globals';
import type { KwdbClient } from '@kwdb-connect/kwdb-client';
import {
  batch,
  collect,
  connect,
  freshDatabase,
  kafkaClient,
  names,
  readStatus,
  smallRow,
  SMALL_COLUMNS,
  SMALL_TAGS,
  sourceConfig,
  startWorker,
  waitFor,
  type TestDatabase,
  type WorkerHandle,
} from './support';

const kafka = kafkaClient();
const workers: WorkerHandle[] = [];
let db: TestDatabase | undefined;
let client: KwdbClient | undefined;

afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  await client?.close();
  await db?.drop();
});

describe('control', () => {
  it('invalid config: every problem named by key, FAILED published, exit 2', async () => {
    const n = names('invalid');
    const w = startWorker({
      ...n,
      config: sourceConfig(n.name, 'nodb', 'postgres://127.0.0.1:1/x', {
        'fetch.max.rows': 'lots',
        'out.format': 'xml',
      }),
    });
    workers.push(w);
    expect(await w.exited).toBe(2);
    const status = await readStatus(kafka, n.statusTopic);
    const value = JSON.parse(status.get(`status-task-${n.name}-0`)!) as { state: string; trace: string };
    expect(value.state).toBe('FAILED');
    expect(value.trace).toContain('fetch.max.rows');
    expect(value.trace).toContain('out.format');
  }, 60_000);

  it('targetState PAUSED stops polling and publishes PAUSED; RUNNING resumes', async () => {
    db = await freshDatabase('pause');
    client = await connect(db.url);
    const n = names('pause');
    await client.write(batch('p', SMALL_COLUMNS, SMALL_TAGS, [smallRow(1_700_000_000_000n, 1n, 1n)]));
    const w = startWorker({ ...n, config: sourceConfig(n.name, db.name, db.url) });
    workers.push(w);
    const seen = await collect(kafka, [`${n.name}-${db.name}-p`]);
    await waitFor('first row', () => seen.records.length >= 1);
    w.setTargetState('PAUSED');
    await waitFor('PAUSED', async () => {
      const s = await readStatus(kafka, n.statusTopic);
      return JSON.parse(s.get(`status-task-${n.name}-0`) ?? '{}').state === 'PAUSED';
    });
    await client.write(batch('p', SMALL_COLUMNS, SMALL_TAGS, [smallRow(1_700_000_000_001n, 1n, 2n)]));
    await new Promise((r) => setTimeout(r, 2500));
    expect(seen.records).toHaveLength(1);
    expect((await fetch(`${await w.url()}/readyz`)).status).toBe(200);
    w.setTargetState('RUNNING');
    await waitFor('row after resume', () => seen.records.length >= 2, 30_000);
    await seen.stop();
    w.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  }, 120_000);
});
