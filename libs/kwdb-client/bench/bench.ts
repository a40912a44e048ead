// Write-path benchmark (not a test): rows/s into the local PostgreSQL for a
// 10-column row (timestamptz, 2 text tags, 5 float8, int4, text; the shape of
// reference/performance.md 2.4), and the kwdb literal-SQL builder (pure). Each method also
// reports the CPU seconds per million rows of this process (client) and of the PostgreSQL server
// (its postmaster and all children, from /proc: the server must run on this host).
//   npx nx run kwdb-client:bench        (BENCH_ROWS=200000 by default)
// The database: BENCH_PG_URL, else the test environment's PostgreSQL.

import type { Batch, Row } from '@kwdb-connect/formats';
import { loadTestEnv, parentPid, processTreeCpuSeconds } from '@kwdb-connect/testing';
import { execSync } from 'node:child_process';
import { cpus } from 'node:os';
import pg from 'pg';
import { KwdbClient } from '../src/client';
import { insertSql } from '../src/dialects/kwdb/sql';
import { pgArrayLiteral, toPgText, unnestInsertSql, unnestParams } from '../src/dialects/postgres/sql';
import { allColumns, prepareRows } from '../src/schema/check';
import { tableFromBatch } from '../src/schema/definition';
import type { PreparedRow, TableSchema } from '../src/types';

const TOTAL = Number(process.env['BENCH_ROWS'] ?? 200_000);
const NAIVE_ROWS = Number(process.env['BENCH_NAIVE_ROWS'] ?? 5_000);

const batchOf = (table: string, rows: Row[]): Batch => ({
  table,
  columns: [
    { name: 'ts', type: 'TIMESTAMPTZ' },
    { name: 'f1', type: 'FLOAT8' },
    { name: 'f2', type: 'FLOAT8' },
    { name: 'f3', type: 'FLOAT8' },
    { name: 'f4', type: 'FLOAT8' },
    { name: 'f5', type: 'FLOAT8' },
    { name: 'n', type: 'INT4' },
    { name: 'note', type: 'VARCHAR', length: 64 },
  ],
  tags: [
    { name: 'host', type: 'VARCHAR', length: 32, primary: true, nullable: false },
    { name: 'region', type: 'VARCHAR', length: 32, primary: false, nullable: true },
  ],
  rows,
  precision: 'ms',
  canCreateTable: true,
});

function makeRows(n: number, offset = 0): Row[] {
  const base = 1_700_000_000_000n;
  return Array.from({ length: n }, (_, k) => {
    const i = k + offset;
    return {
      ts: (base + BigInt(Math.floor(i / 10))) * 1_000_000n,
      host: `host_${i % 10}`,
      region: i % 2 ? 'eu-west' : 'us-east',
      f1: i * 0.5,
      f2: i / 3,
      f3: 1.25,
      f4: -i,
      f5: Math.sqrt(i),
      n: i % 100_000,
      note: `note ${i}`,
    };
  });
}

interface Result {
  method: string;
  batch: string;
  rows: number;
  seconds: number;
  /** CPU seconds per million rows: this process, and the database server (undefined: no server). */
  clientCpu: number;
  serverCpu: number | undefined;
}
const rate = (r: Result): number => Math.round(r.rows / r.seconds);

/** The PostgreSQL server's postmaster (set in main; undefined for the methods without a database). */
let postmaster: number | undefined;

const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function timed(
  method: string,
  batch: string,
  rows: number,
  run: () => Promise<void>,
  server = true,
): Promise<Result> {
  const serverBefore = server && postmaster !== undefined ? processTreeCpuSeconds(postmaster) : undefined;
  const clientBefore = cpuSeconds();
  const start = process.hrtime.bigint();
  await run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const perMillion = (cpu: number): number => Math.round((cpu / rows) * 1e8) / 100;
  const result = {
    method,
    batch,
    rows,
    seconds,
    clientCpu: perMillion(cpuSeconds() - clientBefore),
    serverCpu:
      serverBefore === undefined ? undefined : perMillion(processTreeCpuSeconds(postmaster!) - serverBefore),
  };
  console.error(`${method} (batch ${batch}): ${rate(result)} rows/s`);
  return result;
}

/** Plain table for the baselines: the same columns, primary key (ts, host). */
const PLAIN_DDL = (t: string): string =>
  `CREATE TABLE ${t} (ts timestamptz(3) NOT NULL, f1 float8, f2 float8, f3 float8, f4 float8, f5 float8, n int4, note text, ` +
  `host text NOT NULL, region text, PRIMARY KEY (ts, host))`;
const PLAIN_COLS = 'ts, f1, f2, f3, f4, f5, n, note, host, region';

function plainValues(row: Row): unknown[] {
  const ms = Number((row['ts'] as bigint) / 1_000_000n);
  return [
    new Date(ms),
    row['f1'],
    row['f2'],
    row['f3'],
    row['f4'],
    row['f5'],
    row['n'],
    row['note'],
    row['host'],
    row['region'],
  ];
}

async function main(): Promise<void> {
  const adminUrl = process.env['BENCH_PG_URL'] ?? loadTestEnv('postgres').postgres.url;
  const dbName = `kwc_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const results: Result[] = [];
  const raw = new pg.Client({ connectionString: url.toString() });
  await raw.connect();
  postmaster = parentPid(Number((await raw.query('SELECT pg_backend_pid() AS pid')).rows[0].pid));
  try {
    // 1. naive: one parameterized INSERT per row, autocommit.
    await raw.query(PLAIN_DDL('naive'));
    const naiveRows = makeRows(NAIVE_ROWS);
    results.push(
      await timed('naive single-row INSERT ($n params, autocommit)', '1', NAIVE_ROWS, async () => {
        for (const row of naiveRows) {
          await raw.query({
            name: 'naive',
            text: `INSERT INTO naive (${PLAIN_COLS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
            values: plainValues(row),
          });
        }
      }),
    );

    // 2. plain multi-row INSERT ... VALUES with bind parameters.
    for (const size of [1000, 5000]) {
      const table = `multi_${size}`;
      await raw.query(PLAIN_DDL(table));
      const rows = makeRows(TOTAL);
      results.push(
        await timed('plain multi-row INSERT VALUES ($n params)', String(size), TOTAL, async () => {
          for (let i = 0; i < rows.length; i += size) {
            const part = rows.slice(i, i + size);
            const values: unknown[] = [];
            const tuples = part.map((row) => {
              const start = values.length;
              values.push(...plainValues(row));
              return `(${Array.from({ length: 10 }, (_, c) => `$${start + c + 1}`).join(',')})`;
            });
            await raw.query(`INSERT INTO ${table} (${PLAIN_COLS}) VALUES ${tuples.join(',')}`, values);
          }
        }),
      );
    }

    // 3. this library: client.write (checks, unnest arrays, ON CONFLICT DO UPDATE), fresh table and replay.
    for (const size of [1000, 5000]) {
      const client = await KwdbClient.connect({ url: url.toString(), batchSize: size, attempts: 1 });
      const table = `kwc_${size}`;
      const rows = makeRows(TOTAL);
      await client.ensureTable(batchOf(table, rows.slice(0, 1)));
      // The sink writes what one Kafka poll decoded: pass batches of batch.size rows.
      const batches: Batch[] = [];
      for (let i = 0; i < rows.length; i += size) batches.push(batchOf(table, rows.slice(i, i + size)));
      results.push(
        await timed('kwdb-client write: binary COPY (new rows)', String(size), TOTAL, async () => {
          for (const b of batches) {
            const r = await client.write(b);
            if (r.rejected.length) throw new Error(`rejected ${r.rejected.length}`);
          }
        }),
      );
      results.push(
        await timed(
          'kwdb-client write: replay of the same rows (COPY refused, then the upsert)',
          String(size),
          TOTAL,
          async () => {
            for (const b of batches) await client.write(b);
          },
        ),
      );
      await client.close();
    }

    // 3b. The former postgres writes, each the upsert statement on new rows (docs/adr/0002-postgres-
    // dialect.md, item 5): every column a text array literal (before issue 17's binary arrays), and
    // binary arrays for numbers and timestamps (before the binary COPY that writes first now).
    {
      const size = 1000;
      const bare = new Set(['INT2', 'INT4', 'INT8', 'FLOAT4', 'FLOAT8', 'BOOL']);
      const formerWrites: Array<{
        method: string;
        table: string;
        params: (schema: TableSchema, rows: PreparedRow[]) => Array<string | Buffer>;
      }> = [
        {
          method: 'unnest of text array literals (the write before binary arrays)',
          table: 'text_arrays',
          params: (schema, rows) =>
            allColumns(schema).map((c, k) =>
              pgArrayLiteral(
                rows.map((r) => toPgText(r[k], c.type, schema.precision)),
                !bare.has(c.type),
              ),
            ),
        },
        {
          method: 'unnest of binary arrays (the write before COPY first)',
          table: 'binary_arrays',
          params: (schema, rows) => unnestParams(schema, rows),
        },
      ];
      for (const former of formerWrites) {
        const client = await KwdbClient.connect({ url: url.toString(), batchSize: size, attempts: 1 });
        const table = `${former.table}_${size}`;
        const rows = makeRows(TOTAL);
        await client.ensureTable(batchOf(table, rows.slice(0, 1)));
        await client.close();
        const schema = tableFromBatch(batchOf(table, rows.slice(0, 1)), 'postgres');
        const text = unnestInsertSql(schema);
        results.push(
          await timed(former.method, String(size), TOTAL, async () => {
            for (let i = 0; i < rows.length; i += size) {
              const prepared = prepareRows(batchOf(table, rows.slice(i, i + size)), schema, () => null);
              const values = former.params(
                schema,
                prepared.rows.map((r) => r.values),
              );
              await raw.query({ name: former.table, text, values });
            }
          }),
        );
      }
    }

    // 4. kwdb literal SQL builder, pure (check + escape + join), no database.
    for (const size of [1000, 5000]) {
      const rows = makeRows(TOTAL);
      const schema = tableFromBatch(batchOf('bench', rows.slice(0, 1)), 'kwdb');
      let bytes = 0;
      results.push(
        await timed(
          'kwdb literal INSERT builder (pure, no DB)',
          String(size),
          TOTAL,
          async () => {
            for (let i = 0; i < rows.length; i += size) {
              const prepared = prepareRows(batchOf('bench', rows.slice(i, i + size)), schema, () => null);
              bytes += insertSql(
                schema,
                prepared.rows.map((r) => r.values),
              ).length;
            }
          },
          false,
        ),
      );
      console.error(`  (${Math.round(bytes / (TOTAL / size) / 1024)} KiB of SQL per statement)`);
    }
  } finally {
    await raw.end();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }

  const cpu = execSync("lscpu | grep 'Model name' || true")
    .toString()
    .replace(/Model name:\s*/, '')
    .trim();
  const serverVersion = await (async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    const r = await c.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    await c.end();
    return r.rows[0]?.v ?? '?';
  })();
  console.log(
    `Machine: ${cpu} (${cpus().length} cores), Node ${process.version}, PostgreSQL ${serverVersion} (local, loopback TCP)`,
  );
  console.log('');
  console.log(
    '| Method | batch | rows | seconds | rows/s | client CPU-s / 1M rows | server CPU-s / 1M rows |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const r of results)
    console.log(
      `| ${r.method} | ${r.batch} | ${r.rows} | ${r.seconds.toFixed(2)} | ${rate(r).toLocaleString('en-US')} | ` +
        `${r.clientCpu.toFixed(2)} | ${r.serverCpu === undefined ? '-' : r.serverCpu.toFixed(2)} |`,
    );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
