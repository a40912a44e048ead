// Issue 10 point 5: with the broker down, the endpoints that read or write Kafka answer 503 with a
// message naming Kafka, never 500; the ones that only read the store keep answering. A throwaway
// Kafka (libs/testing) is stopped, so the shared test Kafka is never touched. config-api runs as
// the built program in a child process: kafkajs clients whose broker vanished keep retry timers
// alive after disconnect, which would keep the test process from exiting.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startThrowawayKafka, type ThrowawayKafka } from '@kwdb-connect/testing';
import { client, eventually, example, FAKE_WORKER } from './helpers';

type Json = Record<string, unknown>;
const CONFIG_API = resolve(import.meta.dirname, '..', '..', '..', 'dist', 'apps', 'config-api', 'main.js');

describe('config-api while Kafka is down (throwaway broker, stopped)', () => {
  let kafka: ThrowawayKafka;
  let child: ChildProcess | undefined;
  let dataDir: string | undefined;
  let url = '';
  const call = client(() => url);
  const source = example('kw-json-kaiwudb-source.json');
  const name = source['name'] as string;

  beforeAll(async () => {
    if (!existsSync(CONFIG_API)) throw new Error(`${CONFIG_API} is missing: run npx nx run config-api:build`);
    kafka = await startThrowawayKafka();
    const output: string[] = [];
    dataDir = await mkdtemp(join(tmpdir(), 'cfgapi-kafka-down-'));
    child = spawn(process.execPath, [CONFIG_API], {
      env: {
        PATH: process.env['PATH'] ?? '',
        KAFKA_BOOTSTRAP_SERVERS: kafka.brokers.join(','),
        KWDB_CONNECT_REST_HOST: '127.0.0.1',
        KWDB_CONNECT_REST_PORT: '0',
        KWDB_CONNECT_DATA_DIR: dataDir,
        KWDB_CONNECT_RUNTIME: 'none',
        KWDB_CONNECT_SINK_WORKER: FAKE_WORKER,
        KWDB_CONNECT_SOURCE_WORKER: FAKE_WORKER,
        KWDB_CONNECT_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (d: Buffer): void => void output.push(d.toString());
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    url = await eventually(
      async () => /"url":"(http:[^"]+)"/.exec(output.join(''))?.[1],
      'config-api listening',
      60_000,
    );
    expect((await call('POST', '/connectors', source)).status).toBe(201);
    expect((await call('GET', `/connectors/${name}/status`)).status).toBe(200);
    await kafka.stop();
  }, 240_000);

  afterAll(async () => {
    child?.kill('SIGKILL');
    await kafka?.destroy();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 120_000);

  it.each([
    { what: 'connector status', method: 'GET', path: () => `/connectors/${name}/status` },
    { what: 'task status', method: 'GET', path: () => `/connectors/${name}/tasks/0/status` },
    { what: 'offsets', method: 'GET', path: () => `/connectors/${name}/offsets` },
    { what: 'expanded status', method: 'GET', path: () => '/connectors?expand=status' },
    { what: 'pause (publishes the state)', method: 'PUT', path: () => `/connectors/${name}/pause` },
  ])(
    '$what: 503 naming Kafka, never 500',
    async ({ method, path }) => {
      const reply = await call(method, path());
      expect(reply.status).toBe(503);
      expect(reply.body).toEqual({
        error_code: 503,
        message: expect.stringMatching(/^Kafka is not reachable/),
      });
    },
    120_000,
  );

  it('endpoints that only read the store still answer', async () => {
    expect((await call('GET', '/connectors')).body).toEqual([name]);
    expect(((await call('GET', `/connectors/${name}/config`)).body as Json)['connector.class']).toBe(
      'com.kaiwudb.kafka.connect.source.KwdbSourceConnector',
    );
  });
});
