// Issue 6: the database down for 10 s. A throwaway PostgreSQL of this test (never the shared
// one) is stopped and started again; the task retries with backoff, skips nothing, recovers.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { runCommand } from '@kwdb-connect/testing';
import type { KwdbClient } from '@kwdb-connect/kwdb-client';
import {
  batch,
  collect,
  connect,
  duplicates,
  kafkaClient,
  names,
  rowIds,
  smallRow,
  SMALL_COLUMNS,
  SMALL_TAGS,
  sourceConfig,
  startWorker,
  waitFor,
  type WorkerHandle,
} from './support';

const PGBIN = '/usr/lib/postgresql/15/bin';
const asPostgres = (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  process.getuid?.() === 0
    ? runCommand('runuser', ['-u', 'postgres', '--', ...args])
    : runCommand(args[0]!, args.slice(1));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

class ThrowawayPostgres {
  readonly dir = mkdtempSync(join(tmpdir(), 'sw-pg-'));
  constructor(readonly port: number) {}
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }
  async init(): Promise<void> {
    if (process.getuid?.() === 0) await runCommand('chown', ['postgres:postgres', this.dir]);
    const r = await asPostgres([
      `${PGBIN}/initdb`,
      '-D',
      join(this.dir, 'data'),
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    if (r.code !== 0) throw new Error(`initdb failed: ${r.stderr}`);
  }
  async start(): Promise<void> {
    const opts = `-c listen_addresses=127.0.0.1 -p ${this.port} -k ${this.dir} -c fsync=off -c timezone=UTC`;
    const r = await asPostgres([
      `${PGBIN}/pg_ctl`,
      '-D',
      join(this.dir, 'data'),
      '-l',
      join(this.dir, 'log'),
      '-w',
      '-o',
      opts,
      'start',
    ]);
    if (r.code !== 0) throw new Error(`pg_ctl start failed: ${r.stderr}${r.stdout}`);
  }
  async stop(): Promise<void> {
    await asPostgres([`${PGBIN}/pg_ctl`, '-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  }
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const kafka = kafkaClient();
let pgServer: ThrowawayPostgres | undefined;
let worker: WorkerHandle | undefined;
let client: KwdbClient | undefined;

afterAll(async () => {
  worker?.kill('SIGKILL');
  await client?.close().catch(() => undefined);
  await pgServer?.destroy();
});

describe('database outage', () => {
  it('the database down for 10 s: retried with backoff, nothing skipped, the task recovers by itself', async () => {
    pgServer = new ThrowawayPostgres(await freePort());
    await pgServer.init();
    await pgServer.start();
    client = await connect(pgServer.url);
    const n = names('outage');
    const rowsAt = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) =>
        smallRow(1_700_000_000_000n + BigInt(from + i), 1n, BigInt(from + i)),
      );
    await client.write(batch('m', SMALL_COLUMNS, SMALL_TAGS, rowsAt(0, 100)));
    worker = startWorker({
      ...n,
      config: sourceConfig(n.name, 'postgres', pgServer.url, { 'query.interval.ms': '200' }),
    });
    const seen = await collect(kafka, [`${n.name}-postgres-m`]);
    await waitFor('first 100 rows', () => seen.records.length >= 100, 60_000);

    await client.close();
    client = undefined;
    await pgServer.stop();
    await new Promise((r) => setTimeout(r, 10_000));
    expect(worker.child.exitCode).toBeNull();
    await pgServer.start();

    client = await connect(pgServer.url);
    await client.write(batch('m', SMALL_COLUMNS, SMALL_TAGS, rowsAt(100, 100)));
    await waitFor('rows after the outage', () => seen.records.length >= 200, 60_000);
    await new Promise((r) => setTimeout(r, 1000));
    await seen.stop();
    const ids = rowIds(seen.records);
    expect(ids).toHaveLength(200);
    expect(duplicates(ids)).toEqual([]);
    expect(worker.logs.some((l) => l.includes('transient query error; retrying'))).toBe(true);
    const metrics = await (await fetch(`${await worker.url()}/metrics`)).text();
    expect(metrics).toMatch(/kwdb_connect_errors_total\{[^}]*kind="query"\} [1-9]/);
    expect((await fetch(`${await worker.url()}/healthz`)).status).toBe(200);
    worker.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  }, 180_000);
});
