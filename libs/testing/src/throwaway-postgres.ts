// A PostgreSQL server of a test's own, for tests that stop and start the database (outages,
// restarts) without touching the shared test server. Started the way scripts/testenv/postgres.sh
// starts the shared one: Debian's PostgreSQL 15 binaries, run as the `postgres` user when we are
// root (the server refuses to run as root), trust auth, loopback only, fsync off.
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from './run-command';

const PG_BIN = process.env['PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

export interface ThrowawayPostgres {
  readonly port: number;
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  readonly url: string;
  /** Starts the server again after stop(). */
  start(): Promise<void>;
  /** Stops the server: 'fast' disconnects clients cleanly, 'immediate' is a crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Stops the server (if running) and removes its data directory. */
  destroy(): Promise<void>;
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function asPostgresUser(program: string, args: string[]): Promise<void> {
  const root = process.getuid?.() === 0;
  const result = await runCommand(
    root ? 'runuser' : program,
    root ? ['-u', 'postgres', '--', program, ...args] : args,
    {
      timeoutMs: 90_000,
    },
  );
  if (result.code !== 0) {
    throw new Error(`${program} ${args.join(' ')} exited ${result.code}: ${result.stderr}${result.stdout}`);
  }
}

/**
 * Creates and starts a throwaway PostgreSQL on a free port.
 * @param settings extra server settings, e.g. `{ timezone: 'Asia/Shanghai' }`
 */
export async function startThrowawayPostgres(
  settings: Record<string, string> = {},
): Promise<ThrowawayPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'kwdb-connect-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) {
    const uid = Number((await runCommand('id', ['-u', 'postgres'])).stdout.trim());
    chownSync(dir, uid, 0);
  }
  const port = await freePort();
  await asPostgresUser(join(PG_BIN, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  const options = [
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir}`,
    '-c fsync=off -c synchronous_commit=off -c full_page_writes=off',
    ...Object.entries(settings).map(([key, value]) => `-c ${key}=${value}`),
  ].join(' ');
  let running = false;
  const server: ThrowawayPostgres = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      await asPostgresUser(join(PG_BIN, 'pg_ctl'), [
        '-D',
        data,
        '-l',
        join(dir, 'server.log'),
        '-w',
        '-t',
        '60',
        '-o',
        options,
        'start',
      ]);
      running = true;
    },
    async stop(mode = 'fast') {
      await asPostgresUser(join(PG_BIN, 'pg_ctl'), ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
      running = false;
    },
    async destroy() {
      if (running) await server.stop('immediate').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
