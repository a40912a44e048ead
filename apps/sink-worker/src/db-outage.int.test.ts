// Issue 5 point 3: PostgreSQL unavailable for 10 s mid-stream, then back: nothing lost, nothing
// committed while it is down. The shared test PostgreSQL is never touched: this test runs its own
// throwaway server (initdb + pg_ctl as the postgres user, as scripts/testenv/postgres.sh does).
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniqueName } from '@kwdb-connect/testing';
import type { Admin, Kafka } from 'kafkajs';
import { jsonKaiwudbMessage, keySum } from './test-support/data';
import {
  committedOffsets,
  createTopic,
  kafkaClient,
  killAllWorkers,
  produce,
  sinkConfig,
  startWorker,
  testEnv,
  waitFor,
  withPg,
} from './test-support/harness';

const env = testEnv();
const PG_BIN = '/usr/lib/postgresql/15/bin';
let kafka: Kafka;
let admin: Admin;
let dir: string;
let port: number;

function asPostgres(command: string, args: string[]): void {
  const root = process.getuid?.() === 0;
  const [file, argv] = root ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  execFileSync(file, argv, { stdio: 'pipe' });
}

function pgCtl(action: 'start' | 'stop'): void {
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c timezone=UTC`;
  if (action === 'start') {
    asPostgres(join(PG_BIN, 'pg_ctl'), [
      '-D',
      join(dir, 'data'),
      '-l',
      join(dir, 'log'),
      '-w',
      '-t',
      '60',
      '-o',
      options,
      'start',
    ]);
  } else {
    asPostgres(join(PG_BIN, 'pg_ctl'), ['-D', join(dir, 'data'), '-m', 'fast', '-w', '-t', '60', 'stop']);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      server.close(() => resolve(address.port));
    });
  });
}

beforeAll(async () => {
  kafka = kafkaClient(env);
  admin = kafka.admin();
  await admin.connect();
  dir = mkdtempSync(join(tmpdir(), 'sink-outage-pg-'));
  chmodSync(dir, 0o700);
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  port = await freePort();
  asPostgres(join(PG_BIN, 'initdb'), [
    '-D',
    join(dir, 'data'),
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  pgCtl('start');
}, 120_000);

afterAll(async () => {
  await killAllWorkers();
  await admin.disconnect();
  try {
    pgCtl('stop');
  } catch {
    // already stopped
  }
  rmSync(dir, { recursive: true, force: true });
});

it('PostgreSQL down for 10 s mid-stream: retries, commits nothing while down, loses nothing', async () => {
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const topic = uniqueName('sink-outage');
  const table = uniqueName('outage').replace(/-/g, '_');
  const connector = uniqueName('sink-outage');
  await createTopic(admin, topic, 2);
  const message = (m: number): { value: string; partition: number } => ({
    value: jsonKaiwudbMessage(table, m, 5),
    partition: m % 2,
  });
  await produce(
    kafka,
    topic,
    Array.from({ length: 1000 }, (_, m) => message(m)),
  );

  const worker = startWorker({
    name: connector,
    statusTopic: uniqueName('sink-status'),
    brokers: env.kafka.brokers,
    config: sinkConfig({
      topics: topic,
      'connection.url': `postgres://127.0.0.1:${port}`,
      'connection.database': 'postgres',
      'protocol.type': 'json_kaiwudb',
      'timestamp.precision': 'ms',
      'max.retries': 30,
      'retry.backoff.ms': 1000,
    }),
  });
  const count = (): Promise<number> =>
    withPg(
      url,
      async (c) => (await c.query(`SELECT count(*)::int AS n FROM "${table}"`)).rows[0]!.n as number,
    );
  await waitFor('the first 5000 rows', async () => (await count()) === 5000);

  pgCtl('stop');
  const downAt = Date.now();
  const committedWhenDown = await committedOffsets(admin, connector, topic);
  await produce(
    kafka,
    topic,
    Array.from({ length: 1000 }, (_, m) => message(1000 + m)),
  );
  await worker.waitForLog((l) => l.msg === 'transient database error; retrying', 20_000);
  await new Promise((r) => setTimeout(r, Math.max(0, 10_000 - (Date.now() - downAt))));
  expect(await committedOffsets(admin, connector, topic)).toEqual(committedWhenDown);
  expect(worker.exited).toBe(false);
  pgCtl('start');

  await waitFor('all 10000 rows', async () => (await count()) === 10_000, 60_000);
  const check = await withPg(
    url,
    async (c) => (await c.query(`SELECT sum(k)::text AS s FROM "${table}"`)).rows[0]!.s,
  );
  expect(check).toBe(keySum(10_000));
  await waitFor('both partitions committed to 1000', async () => {
    const offsets = await committedOffsets(admin, connector, topic);
    return offsets.get(0) === '1000' && offsets.get(1) === '1000';
  });
  const url2 = await worker.url();
  expect((await fetch(`${url2}/healthz`)).status).toBe(200);
  worker.kill('SIGTERM');
  expect((await worker.exit).code).toBe(0);
}, 150_000);
