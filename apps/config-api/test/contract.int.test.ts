// Contract tests: every endpoint of config-api against the real server (port 0, in-process), the
// real Kafka of the test environment (status topic, consumer-group offsets, source offsets topic),
// and the local supervisor running small fake workers (test/fake-worker.mjs, which follow
// docs/worker-contract.md and publish their task states to the real status topic).
import { DEFAULT_TASK_LIMITS } from '@kwdb-connect/connector-config';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { ensureTopic, StatusPublisher } from '@kwdb-connect/runtime';
import { loadTestEnv, uniqueName } from '@kwdb-connect/testing';
import type { ApiConfig } from '../src/config';
import { documentedOperations } from '../src/openapi';
import { startConfigApi, type RunningConfigApi } from '../src/server';
import { freePort } from '../src/supervisor/local-supervisor';
import { capturingLogger, client, eventually, example, FAKE_WORKER } from './helpers';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';

type Json = Record<string, unknown>;
type Status = {
  connector: { state: string; worker_id: string };
  tasks: { id: number; state: string; worker_id: string; trace?: string }[];
};

const env = loadTestEnv('kafka');
const GUIDE_PASSWORD = '<password>';

describe('config-api REST contract (real server, real Kafka)', () => {
  let dataDir: string;
  let api: RunningConfigApi;
  let config: ApiConfig;
  let admin: Admin;
  const captured = capturingLogger();
  const call = client(() => api.url);
  const statusTopic = uniqueName('cfgapi-status');
  const offsetsTopic = uniqueName('cfgapi-offsets');
  const guideSink = example('kw-json-kaiwudb-sink.json');
  // The guide's sink on a topic of its own that does not exist: its 5 tasks all run (a sink runs no
  // more tasks than its topics' partitions, and the guide's topic may exist with 1 partition).
  const sinkJson = {
    ...guideSink,
    config: { ...(guideSink['config'] as Json), topics: uniqueName('cfgapi-guide-topic') },
  };
  const sourceJson = example('kw-json-kaiwudb-source.json');
  const startsLog = (): string => join(dataDir, 'fake-starts.log');
  const starts = async (name: string): Promise<Json[]> => {
    const text = await readFile(startsLog(), 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Json)
      .filter((s) => s['name'] === name);
  };
  const status = async (name: string): Promise<Status> =>
    (await call('GET', `/connectors/${name}/status`)).body as Status;
  const allTasks = (name: string, state: string) =>
    eventually(async () => {
      const s = await status(name);
      return s.tasks.length > 0 && s.tasks.every((t) => t.state === state) ? s : undefined;
    }, `${name} tasks ${state}`);
  const running = (name: string) =>
    api.supervisor!.snapshot().filter((t) => t.connector === name && t.phase === 'running');
  const fake = (name: string, over: Json = {}): Json => ({
    name,
    config: {
      ...(sinkJson['config'] as Json),
      'tasks.max': '2',
      topics: uniqueName('cfgapi-topic'),
      ...over,
    },
  });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cfgapi-contract-'));
    config = {
      host: '127.0.0.1',
      port: 0,
      advertisedHost: undefined,
      kafkaBrokers: env.kafka.brokers,
      dataDir,
      statusTopic,
      offsetsTopic,
      runtime: 'local',
      sinkWorker: FAKE_WORKER,
      sourceWorker: FAKE_WORKER,
      workerHttpHost: '127.0.0.1',
      workerBasePort: 0,
      logLevel: 'debug',
      taskLimits: DEFAULT_TASK_LIMITS,
    };
    api = await startConfigApi(config, {
      logger: captured.logger,
      commit: 'test',
      workerEnv: { FAKE_WORKER_LOG: join(dataDir, 'fake-starts.log') },
      backoff: { initialMs: 200, maxMs: 1000, stableMs: 60_000 },
    });
    admin = new Kafka({
      clientId: 'cfgapi-test',
      brokers: env.kafka.brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await api?.close();
    await admin?.disconnect();
    await rm(dataDir, { recursive: true, force: true });
  });

  describe('root', () => {
    it('GET / gives the Connect REST version (4.1), the product version in commit, and the real Kafka cluster id', async () => {
      const reply = await call('GET', '/');
      const cluster = await admin.describeCluster();
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        version: '4.1.0',
        commit: 'kwdb-connect-0.1.0-test',
        kafka_cluster_id: cluster.clusterId,
      });
      expect(cluster.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/); // a KRaft cluster id, not a placeholder
    });

    it("GET /health is 200 with Kafka Connect's healthy body", async () => {
      const reply = await call('GET', '/health');
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        status: 'healthy',
        message: 'Worker has completed startup and is ready to handle requests.',
      });
    });

    it('while config-api starts, GET /health is 503 {"status":"starting"} and other requests 503 in the error shape', async () => {
      const port = await freePort('127.0.0.1');
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const startingDir = await mkdtemp(join(tmpdir(), 'cfgapi-starting-'));
      const started = startConfigApi(
        { ...config, port, dataDir: startingDir, runtime: 'none' },
        { logger: captured.logger, startupGate: gate },
      );
      const base = `http://127.0.0.1:${port}`;
      const health = await eventually(async () => {
        const res = await fetch(`${base}/health`).catch(() => undefined);
        return res === undefined ? undefined : { status: res.status, body: (await res.json()) as Json };
      }, 'config-api listening');
      expect(health.status).toBe(503);
      expect(health.body).toEqual({
        status: 'starting',
        message: 'Worker is still starting up. Current stage: connecting to Kafka.',
      });
      const other = await fetch(`${base}/connectors`);
      expect(other.status).toBe(503);
      expect(await other.json()).toEqual({
        error_code: 503,
        message: expect.stringContaining('starting up'),
      });
      release();
      const second = await started;
      try {
        const ready = await fetch(`${base}/health`);
        expect(ready.status).toBe(200);
      } finally {
        await second.close();
        await rm(startingDir, { recursive: true, force: true });
      }
    });

    it("GET /connectors on a fresh store is [] (the guide's first check)", async () => {
      const reply = await call('GET', '/connectors');
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual([]);
    });

    it.each([
      {
        name: 'DELETE /connectors',
        method: 'DELETE',
        path: '/connectors',
        allow: 'GET, HEAD, OPTIONS, POST',
      },
      {
        name: 'PUT /connectors/{name}',
        method: 'PUT',
        path: '/connectors/x',
        allow: 'DELETE, GET, HEAD, OPTIONS',
      },
      { name: 'GET .../pause', method: 'GET', path: '/connectors/x/pause', allow: 'OPTIONS, PUT' },
      {
        name: 'POST /connector-plugins',
        method: 'POST',
        path: '/connector-plugins',
        allow: 'GET, HEAD, OPTIONS',
      },
    ])('$name is 405 in the error shape with Allow, as Kafka Connect', async ({ method, path, allow }) => {
      const reply = await call(method, path);
      expect(reply.status).toBe(405);
      expect(reply.body).toEqual({ error_code: 405, message: 'HTTP 405 Method Not Allowed' });
      expect(reply.headers.get('allow')).toBe(allow);
    });

    it.each([
      { name: 'the connector list', path: '/connectors', allow: 'GET, HEAD, OPTIONS, POST' },
      { name: 'a connector (known or not)', path: '/connectors/x', allow: 'DELETE, GET, HEAD, OPTIONS' },
      { name: 'topics reset', path: '/connectors/x/topics/reset', allow: 'OPTIONS, PUT' },
      { name: 'a logger', path: '/admin/loggers/root', allow: 'GET, HEAD, OPTIONS, PUT' },
      { name: 'the server info', path: '/', allow: 'GET, HEAD, OPTIONS' },
    ])('OPTIONS on $name is 200 with Allow and no body, as Jersey', async ({ path, allow }) => {
      const reply = await fetch(`${api.url}${path}`, { method: 'OPTIONS' });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('allow')).toBe(allow);
      expect(await reply.text()).toBe('');
    });

    it('OPTIONS on an unknown path is 404 in the error shape', async () => {
      const reply = await call('OPTIONS', '/nope');
      expect(reply.status).toBe(404);
      expect(reply.body).toEqual({ error_code: 404, message: 'HTTP 404 Not Found: OPTIONS /nope' });
    });

    it('unknown paths are 404 in the error shape', async () => {
      const reply = await call('GET', '/nope');
      expect(reply.status).toBe(404);
      expect(reply.body).toEqual({ error_code: 404, message: 'HTTP 404 Not Found: GET /nope' });
    });
  });

  describe("the guide's sink connector", () => {
    it("When the guide's sink JSON is POSTed as written, Then 201 with Location and ConnectorInfo, password hidden", async () => {
      const reply = await call('POST', '/connectors', sinkJson);
      expect(reply.status).toBe(201);
      expect(reply.headers.get('location')).toBe('/connectors/KwdbSinkConnector');
      const body = reply.body as Json;
      expect(body['name']).toBe('KwdbSinkConnector');
      expect(body['type']).toBe('sink');
      expect(body['tasks']).toEqual(
        [0, 1, 2, 3, 4].map((task) => ({ connector: 'KwdbSinkConnector', task })),
      );
      expect((body['config'] as Json)['connection.password']).toBe('[hidden]');
      expect((body['config'] as Json)['connection.attempts']).toBe('3');
      expect(reply.text).not.toContain(GUIDE_PASSWORD);
    });

    it('When the same name is POSTed again, Then 409', async () => {
      const reply = await call('POST', '/connectors', sinkJson);
      expect(reply.status).toBe(409);
      expect(reply.body).toEqual({ error_code: 409, message: 'Connector KwdbSinkConnector already exists' });
    });

    it('GET /connectors/{name} and GET .../config show the config with the password as [hidden]', async () => {
      const info = await call('GET', '/connectors/KwdbSinkConnector');
      expect(info.status).toBe(200);
      expect((info.body as Json)['type']).toBe('sink');
      const cfg = await call('GET', '/connectors/KwdbSinkConnector/config');
      expect(cfg.status).toBe(200);
      expect(cfg.body).toMatchObject({
        'connection.password': '[hidden]',
        'tasks.max': '5',
        name: 'KwdbSinkConnector',
      });
      expect(cfg.text).not.toContain(GUIDE_PASSWORD);
    });

    it('the password is kept apart: not in the connector file, in a 0600 secrets file handed to workers by path', async () => {
      const main = await readFile(join(dataDir, 'connectors', 'KwdbSinkConnector.json'), 'utf8');
      expect(main).not.toContain(GUIDE_PASSWORD);
      expect(main).not.toContain('connection.password');
      expect(await readFile(api.fileStore!.passwordFile('KwdbSinkConnector'), 'utf8')).toBe(GUIDE_PASSWORD);
      const launched = await eventually(async () => {
        const s = await starts('KwdbSinkConnector');
        return s.length >= 5 ? s : undefined;
      }, 'five sink tasks started');
      expect(launched.every((s) => s['hasPassword'] === true && (s['argv'] as unknown[]).length === 0)).toBe(
        true,
      );
      const workerFile = JSON.parse(
        await readFile(join(dataDir, 'workers', 'KwdbSinkConnector', 'config.json'), 'utf8'),
      ) as Json;
      expect(workerFile['targetState']).toBe('RUNNING');
      expect(JSON.stringify(workerFile)).not.toContain('connection.password');
    });

    it('GET .../status shows the connector RUNNING on config-api and every task RUNNING with its worker id', async () => {
      const s = await allTasks('KwdbSinkConnector', 'RUNNING');
      expect(s.connector).toEqual({ state: 'RUNNING', worker_id: api.workerId, version: '0.1.0' });
      for (const t of s.tasks) expect(t).toMatchObject({ version: '0.1.0' }); // Kafka Connect 4.1's version
      expect(s.tasks.map((t) => t.id)).toEqual([0, 1, 2, 3, 4]);
      for (const t of s.tasks) expect(t.worker_id).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(new Set(s.tasks.map((t) => t.worker_id)).size).toBe(5);
    });

    it('GET .../tasks and .../tasks/{id}/status; an unknown task is 404', async () => {
      const tasks = await call('GET', '/connectors/KwdbSinkConnector/tasks');
      expect(tasks.status).toBe(200);
      const list = tasks.body as { id: Json; config: Json }[];
      expect(list).toHaveLength(5);
      expect(list[0]?.id).toEqual({ connector: 'KwdbSinkConnector', task: 0 });
      expect(list[0]?.config['connection.password']).toBe('[hidden]');
      const one = await call('GET', '/connectors/KwdbSinkConnector/tasks/3/status');
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ id: 3, state: 'RUNNING' });
      const missing = await call('GET', '/connectors/KwdbSinkConnector/tasks/9/status');
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ error_code: 404, message: 'Task KwdbSinkConnector-9 not found' });
    });

    it('PUT .../pause is 202 and the running tasks report PAUSED; PUT .../resume is 202 and they report RUNNING', async () => {
      const pids = running('KwdbSinkConnector').map((t) => t.pid);
      const pause = await call('PUT', '/connectors/KwdbSinkConnector/pause');
      expect(pause.status).toBe(202);
      const paused = await allTasks('KwdbSinkConnector', 'PAUSED');
      expect(paused.connector.state).toBe('PAUSED');
      expect(running('KwdbSinkConnector').map((t) => t.pid)).toEqual(pids); // same processes, paused in place
      const resume = await call('PUT', '/connectors/KwdbSinkConnector/resume');
      expect(resume.status).toBe(202);
      const resumed = await allTasks('KwdbSinkConnector', 'RUNNING');
      expect(resumed.connector.state).toBe('RUNNING');
    });

    it('PUT .../stop is 204: no processes, connector STOPPED, no tasks; resume starts them again', async () => {
      const stop = await call('PUT', '/connectors/KwdbSinkConnector/stop');
      expect(stop.status).toBe(204);
      expect(running('KwdbSinkConnector')).toEqual([]);
      const s = await status('KwdbSinkConnector');
      expect(s.connector.state).toBe('STOPPED');
      expect(s.tasks).toEqual([]);
      expect((await call('GET', '/connectors/KwdbSinkConnector')).body).toMatchObject({ tasks: [] });
      expect((await call('PUT', '/connectors/KwdbSinkConnector/resume')).status).toBe(202);
      await allTasks('KwdbSinkConnector', 'RUNNING');
      expect(running('KwdbSinkConnector')).toHaveLength(5);
    });

    it('DELETE is 204, stops its tasks, and the connector is gone (404)', async () => {
      const reply = await call('DELETE', '/connectors/KwdbSinkConnector');
      expect(reply.status).toBe(204);
      expect(running('KwdbSinkConnector')).toEqual([]);
      const after = await call('GET', '/connectors/KwdbSinkConnector');
      expect(after.status).toBe(404);
      expect(after.body).toEqual({ error_code: 404, message: 'Connector KwdbSinkConnector not found' });
      expect((await call('DELETE', '/connectors/KwdbSinkConnector')).status).toBe(404);
    });
  });

  describe('tasks.max limits (issue 10 point 3)', () => {
    const over = (name: string): Json => fake(name, { 'tasks.max': '100000' });
    it('validate, POST and PUT answer 400 naming tasks.max and the per-connector limit', async () => {
      const replies = [
        await call('PUT', '/connector-plugins/KwdbSinkConnector/config/validate', over('v')['config']),
        await call('POST', '/connectors', over('too-many')),
        await call('PUT', '/connectors/too-many/config', over('too-many')['config']),
      ];
      for (const reply of replies) {
        expect(reply.status).toBe(400);
        expect(reply.body).toEqual({
          error_code: 400,
          message: expect.stringContaining('tasks.max: 100000 is above the limit of 32 tasks per connector'),
        });
      }
      expect((await call('GET', '/connectors/too-many')).status).toBe(404);
      expect(running('too-many')).toEqual([]);
    });

    it('a sink runs no more tasks than its topics have partitions', async () => {
      const topic = uniqueName('cfgapi-two-partitions');
      await ensureTopic(admin, topic, { compacted: false, partitions: 2 });
      const reply = await call('POST', '/connectors', fake('capped', { 'tasks.max': '4', topics: topic }));
      expect(reply.status).toBe(201);
      await eventually(async () => running('capped').length === 2 || undefined, 'two capped tasks running');
      expect(
        running('capped')
          .map((t) => t.task)
          .sort(),
      ).toEqual([0, 1]);
      expect(api.supervisor!.snapshot().filter((t) => t.connector === 'capped')).toHaveLength(2);
      expect((await call('DELETE', '/connectors/capped')).status).toBe(204);
    });
  });

  describe('connector names (issue 10 point 4)', () => {
    it('a name of 250 characters is 400 {error_code, message} from POST and PUT, never 500', async () => {
      const long = 'a'.repeat(250);
      const replies = [
        await call('POST', '/connectors', fake(long)),
        await call('PUT', `/connectors/${long}/config`, fake(long)['config']),
      ];
      for (const reply of replies) {
        expect(reply.status).toBe(400);
        expect(reply.body).toEqual({
          error_code: 400,
          message: 'Connector name is 250 characters long; the limit is 249',
        });
      }
      expect((await call('GET', `/connectors/${long}`)).status).toBe(404);
    });

    it.each([
      { name: '50 times é', connector: 'é'.repeat(50) },
      { name: '249 ASCII characters', connector: 'b'.repeat(249) },
    ])('$name: created, listed, read, stopped and deleted', async ({ connector }) => {
      const path = `/connectors/${encodeURIComponent(connector)}`;
      expect((await call('POST', '/connectors', fake(connector, { 'tasks.max': '1' }))).status).toBe(201);
      expect((await call('GET', '/connectors')).body).toContain(connector);
      expect(((await call('GET', path)).body as Json)['name']).toBe(connector);
      expect((await call('PUT', `${path}/stop`)).status).toBe(204);
      expect((await call('DELETE', path)).status).toBe(204);
      expect((await call('GET', path)).status).toBe(404);
    });
  });

  describe('invalid requests', () => {
    it('an invalid config is 400 and the message lists every problem', async () => {
      const reply = await call('POST', '/connectors', {
        name: 'bad',
        config: {
          'connector.class': 'KwdbSinkConnector',
          'tasks.max': 'zero',
          'batch.size': -1,
          'protocol.type': 'csv',
        },
      });
      expect(reply.status).toBe(400);
      const message = (reply.body as Json)['message'] as string;
      expect(reply.body).toEqual({ error_code: 400, message: expect.any(String) });
      for (const key of ['tasks.max', 'batch.size', 'protocol.type', 'connection.url', 'topics']) {
        expect(message).toContain(`\n${key}:`);
      }
      const count = Number(/following (\d+) error/.exec(message)?.[1]);
      expect(message.split('\n').filter((l) => /^[a-z.]+: /.test(l))).toHaveLength(count);
      expect(message).toContain('/connector-plugins/KwdbSinkConnector/config/validate');
    });

    it.each([
      { name: 'malformed JSON is 400', raw: '{"name": ', status: 400 },
      {
        name: 'a body over 1 MB is 413',
        raw: JSON.stringify({ name: 'x', config: { pad: 'x'.repeat(1_100_000) } }),
        status: 413,
      },
      { name: 'no name is 400', raw: JSON.stringify({ config: {} }), status: 400 },
      {
        name: 'a bad initial_state is 400',
        raw: JSON.stringify({ ...fake('init-bad'), initial_state: 'SLEEPING' }),
        status: 400,
      },
      {
        name: 'a nested config value is 400',
        raw: JSON.stringify({ name: 'n', config: { a: { b: 1 } } }),
        status: 400,
      },
    ])('POST /connectors: $name', async ({ raw, status: code }) => {
      const reply = await call('POST', '/connectors', undefined, raw);
      expect(reply.status).toBe(code);
      expect(reply.body).toEqual({ error_code: code, message: expect.any(String) });
    });

    it.each([
      { name: 'GET info', method: 'GET', path: '/connectors/nope' },
      { name: 'GET config', method: 'GET', path: '/connectors/nope/config' },
      { name: 'PATCH config', method: 'PATCH', path: '/connectors/nope/config', body: { a: '1' } },
      { name: 'GET status', method: 'GET', path: '/connectors/nope/status' },
      { name: 'GET tasks', method: 'GET', path: '/connectors/nope/tasks' },
      { name: 'GET task status', method: 'GET', path: '/connectors/nope/tasks/0/status' },
      { name: 'restart', method: 'POST', path: '/connectors/nope/restart' },
      { name: 'task restart', method: 'POST', path: '/connectors/nope/tasks/0/restart' },
      { name: 'pause', method: 'PUT', path: '/connectors/nope/pause' },
      { name: 'resume', method: 'PUT', path: '/connectors/nope/resume' },
      { name: 'stop', method: 'PUT', path: '/connectors/nope/stop' },
      { name: 'DELETE', method: 'DELETE', path: '/connectors/nope' },
      { name: 'GET offsets', method: 'GET', path: '/connectors/nope/offsets' },
      { name: 'PATCH offsets', method: 'PATCH', path: '/connectors/nope/offsets', body: { offsets: [] } },
      { name: 'DELETE offsets', method: 'DELETE', path: '/connectors/nope/offsets' },
    ])('unknown connector: $name is 404 "Connector nope not found"', async ({ method, path, body }) => {
      const reply = await call(method, path, body);
      expect(reply.status).toBe(404);
      expect(reply.body).toEqual({ error_code: 404, message: 'Connector nope not found' });
    });
  });

  describe('config: PUT and PATCH', () => {
    it('PUT .../config creates (201 + Location), then updates (200); worker processes restart on a config change', async () => {
      const body = { ...(fake('put-conn')['config'] as Json) };
      const created = await call('PUT', '/connectors/put-conn/config', body);
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe('/connectors/put-conn');
      expect(created.body).toMatchObject({ name: 'put-conn', type: 'sink' });
      await allTasks('put-conn', 'RUNNING');
      const before = running('put-conn').map((t) => t.pid);
      const updated = await call('PUT', '/connectors/put-conn/config', { ...body, 'batch.size': '10' });
      expect(updated.status).toBe(200);
      expect((updated.body as { config: Json }).config['batch.size']).toBe('10');
      await eventually(async () => {
        const now = running('put-conn').map((t) => t.pid);
        return now.length === 2 && now.every((pid) => !before.includes(pid)) ? now : undefined;
      }, 'new processes after the config change');
    });

    it('PUT .../config with a different name is 400; an invalid config is 400', async () => {
      const mismatch = await call('PUT', '/connectors/put-conn/config', {
        ...(fake('other')['config'] as Json),
        name: 'other',
      });
      expect(mismatch.status).toBe(400);
      expect((mismatch.body as Json)['message']).toContain("doesn't match connector name in the URL");
      const invalid = await call('PUT', '/connectors/put-conn/config', {
        'connector.class': 'KwdbSinkConnector',
      });
      expect(invalid.status).toBe(400);
    });

    it('PATCH .../config merges, null removes a key, the password is kept', async () => {
      const reply = await call('PATCH', '/connectors/put-conn/config', {
        'batch.size': 20,
        'retry.backoff.ms': null,
      });
      expect(reply.status).toBe(200);
      const cfg = (reply.body as { config: Json }).config;
      expect(cfg['batch.size']).toBe('20');
      expect(cfg).not.toHaveProperty('retry.backoff.ms');
      expect(cfg['connection.password']).toBe('[hidden]');
      expect(await readFile(api.fileStore!.passwordFile('put-conn'), 'utf8')).toBe(GUIDE_PASSWORD);
      const invalid = await call('PATCH', '/connectors/put-conn/config', { 'batch.size': 'many' });
      expect(invalid.status).toBe(400);
      expect((await call('DELETE', '/connectors/put-conn')).status).toBe(204);
    });
  });

  describe('restart and failures', () => {
    it('a FAILED task shows its trace and is not restarted until POST .../restart?includeTasks=true&onlyFailed=true (202, RESTARTING)', async () => {
      expect(
        (await call('POST', '/connectors', fake('fails', { 'tasks.max': '1', 'fake.behaviour': 'fail' })))
          .status,
      ).toBe(201);
      const failed = await allTasks('fails', 'FAILED');
      expect(failed.tasks[0]?.trace).toContain('fake failure for tests');
      await new Promise((resolve) => setTimeout(resolve, 1500)); // longer than the backoff
      expect(await starts('fails')).toHaveLength(1);
      const reply = await call('POST', '/connectors/fails/restart?includeTasks=true&onlyFailed=true');
      expect(reply.status).toBe(202);
      expect(reply.body).toMatchObject({
        name: 'fails',
        connector: { state: 'RUNNING', version: '0.1.0' },
        tasks: [{ id: 0, state: 'RESTARTING', version: '0.1.0' }],
        type: 'sink',
      });
      await eventually(async () => ((await starts('fails')).length === 2 ? true : undefined), 'second start');
      expect((await call('DELETE', '/connectors/fails')).status).toBe(204);
    });

    it('a crashing task (exit 1) is restarted with backoff', async () => {
      expect(
        (await call('POST', '/connectors', fake('crashes', { 'tasks.max': '1', 'fake.behaviour': 'crash' })))
          .status,
      ).toBe(201);
      await eventually(
        async () => ((await starts('crashes')).length >= 3 ? true : undefined),
        'three starts',
      );
      expect((await call('DELETE', '/connectors/crashes')).status).toBe(204);
      const count = (await starts('crashes')).length;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await starts('crashes')).length).toBe(count); // deleted: no more restarts
    });

    it('POST .../restart without flags is 204; POST .../tasks/{id}/restart is 204 and starts a new process; unknown task 404', async () => {
      expect((await call('POST', '/connectors', fake('restarts'))).status).toBe(201);
      await allTasks('restarts', 'RUNNING');
      const plain = await call('POST', '/connectors/restarts/restart');
      expect(plain.status).toBe(204);
      expect(plain.text).toBe('');
      const before = (await starts('restarts')).filter((s) => s['task'] === 1).length;
      const one = await call('POST', '/connectors/restarts/tasks/1/restart');
      expect(one.status).toBe(204);
      await eventually(
        async () =>
          (await starts('restarts')).filter((s) => s['task'] === 1).length === before + 1 ? true : undefined,
        'task 1 started again',
      );
      expect((await call('POST', '/connectors/restarts/tasks/7/restart')).status).toBe(404);
    });

    it('POST .../restart?includeTasks=true restarts every task (202, all RESTARTING)', async () => {
      const before = (await starts('restarts')).length;
      const reply = await call('POST', '/connectors/restarts/restart?includeTasks=true');
      expect(reply.status).toBe(202);
      const body = reply.body as Status;
      expect(body.connector.state).toBe('RESTARTING');
      expect(body.tasks.map((t) => t.state)).toEqual(['RESTARTING', 'RESTARTING']);
      await eventually(
        async () => ((await starts('restarts')).length === before + 2 ? true : undefined),
        'both restarted',
      );
    });
  });

  describe('expand', () => {
    it.each([
      { name: 'status', query: '?expand=status', keys: ['status'] },
      { name: 'info', query: '?expand=info', keys: ['info'] },
      { name: 'both', query: '?expand=status&expand=info', keys: ['info', 'status'] },
      { name: 'an unknown value (ignored, as Kafka Connect)', query: '?expand=nope', keys: [] },
      { name: 'an unknown value next to status', query: '?expand=nope&expand=status', keys: ['status'] },
      { name: 'an empty value', query: '?expand=', keys: [] },
    ])('GET /connectors$query gives {name: {$name}}', async ({ query, keys }) => {
      const reply = await call('GET', `/connectors${query}`);
      expect(reply.status).toBe(200);
      const entry = (reply.body as Record<string, Json>)['restarts'];
      expect(Object.keys(entry ?? {}).sort()).toEqual(keys);
      if (entry?.['status']) expect((entry['status'] as Json)['name']).toBe('restarts');
      if (entry?.['info']) expect((entry['info'] as Json)['type']).toBe('sink');
    });
  });

  describe('initial_state', () => {
    it.each([
      { name: 'PAUSED', state: 'PAUSED' },
      { name: 'STOPPED', state: 'STOPPED' },
    ])(
      'POST with initial_state $name: no task configs (no tasks, no processes) until it runs, as Kafka Connect',
      async ({ state }) => {
        const name = `init-${state.toLowerCase()}`;
        const reply = await call('POST', '/connectors', { ...fake(name), initial_state: state });
        expect(reply.status).toBe(201);
        expect((reply.body as Json)['tasks']).toEqual([]);
        const created = await status(name);
        expect(created.connector.state).toBe(state);
        expect(created.tasks).toEqual([]);
        expect(running(name)).toEqual([]);
        expect((await call('GET', `/connectors/${name}/tasks`)).body).toEqual([]);
        expect((await call('PUT', `/connectors/${name}/resume`)).status).toBe(202);
        await allTasks(name, 'RUNNING');
        expect((await call('GET', `/connectors/${name}`)).body).toMatchObject({
          tasks: [
            { connector: name, task: 0 },
            { connector: name, task: 1 },
          ],
        });
        expect((await call('DELETE', `/connectors/${name}`)).status).toBe(204);
      },
    );

    it('a running connector paused keeps its tasks (PAUSED); stopped and then paused it has none', async () => {
      const name = 'init-cycle';
      expect((await call('POST', '/connectors', fake(name))).status).toBe(201);
      await allTasks(name, 'RUNNING');
      expect((await call('PUT', `/connectors/${name}/pause`)).status).toBe(202);
      await allTasks(name, 'PAUSED');
      expect(running(name)).toHaveLength(2);
      expect((await call('PUT', `/connectors/${name}/stop`)).status).toBe(204);
      expect((await call('PUT', `/connectors/${name}/pause`)).status).toBe(202);
      const paused = await status(name);
      expect(paused.connector.state).toBe('PAUSED');
      expect(paused.tasks).toEqual([]);
      expect(running(name)).toEqual([]);
      expect((await call('DELETE', `/connectors/${name}`)).status).toBe(204);
    });
  });

  describe('offsets', () => {
    it('sink: GET lists the consumer group connect-<name>; PATCH/DELETE need STOPPED (400); then alter and reset real offsets', async () => {
      const name = uniqueName('cfgapi-sink-offsets');
      const topic = uniqueName('cfgapi-offsets-topic');
      await ensureTopic(admin, topic, { compacted: false, partitions: 2 });
      expect(
        (await call('POST', '/connectors', fake(name, { topics: topic, 'tasks.max': '1' }))).status,
      ).toBe(201);
      expect((await call('GET', `/connectors/${name}/offsets`)).body).toEqual({ offsets: [] });
      const offsets = {
        offsets: [
          { partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 0 } },
          { partition: { kafka_topic: topic, kafka_partition: 1 }, offset: { kafka_offset: 0 } },
        ],
      };
      const notStopped = await call('PATCH', `/connectors/${name}/offsets`, offsets);
      expect(notStopped.status).toBe(400);
      expect((notStopped.body as Json)['message']).toContain('STOPPED');
      expect((await call('DELETE', `/connectors/${name}/offsets`)).status).toBe(400);
      expect((await call('PUT', `/connectors/${name}/stop`)).status).toBe(204);
      expect((await call('PATCH', `/connectors/${name}/offsets`, { offsets: [] })).status).toBe(400);
      const altered = await call('PATCH', `/connectors/${name}/offsets`, offsets);
      expect(altered.status).toBe(200);
      expect((altered.body as Json)['message']).toContain('altered successfully');
      const listed = await call('GET', `/connectors/${name}/offsets`);
      expect(listed.body).toEqual(offsets);
      const committed = await admin.fetchOffsets({ groupId: `connect-${name}`, topics: [topic] });
      expect(committed[0]?.partitions.map((p) => p.offset).sort()).toEqual(['0', '0']);
      const reset = await call('DELETE', `/connectors/${name}/offsets`);
      expect(reset.status).toBe(200);
      expect((reset.body as Json)['message']).toContain('reset successfully');
      expect((await call('GET', `/connectors/${name}/offsets`)).body).toEqual({ offsets: [] });
      expect((await call('DELETE', `/connectors/${name}`)).status).toBe(204);
    });

    it('source: the cursors in the offsets topic are listed, altered and reset', async () => {
      const name = uniqueName('cfgapi-source-offsets');
      const body = { name, config: { ...(sourceJson['config'] as Json) } };
      expect((await call('POST', '/connectors', { ...body, initial_state: 'STOPPED' })).status).toBe(201);
      expect((await call('GET', `/connectors/${name}/offsets`)).body).toEqual({ offsets: [] });
      const offsets = {
        offsets: [
          { partition: { table: 'benchmark.cpu_kaiwudb_tb' }, offset: { ts: '1705962142224000000' } },
          { partition: { table: 'benchmark.mem_kaiwudb_tb' }, offset: { ts: '1' } },
        ],
      };
      const altered = await call('PATCH', `/connectors/${name}/offsets`, offsets);
      expect(altered.status).toBe(200);
      expect((await call('GET', `/connectors/${name}/offsets`)).body).toEqual(offsets);
      const one = await call('PATCH', `/connectors/${name}/offsets`, {
        offsets: [{ partition: { table: 'benchmark.mem_kaiwudb_tb' }, offset: null }],
      });
      expect(one.status).toBe(200);
      expect((await call('GET', `/connectors/${name}/offsets`)).body).toEqual({
        offsets: [offsets.offsets[0]],
      });
      const bad = await call('PATCH', `/connectors/${name}/offsets`, {
        offsets: [{ partition: { kafka_topic: 'x' }, offset: {} }],
      });
      expect(bad.status).toBe(400);
      expect((await call('DELETE', `/connectors/${name}/offsets`)).status).toBe(200);
      expect((await call('GET', `/connectors/${name}/offsets`)).body).toEqual({ offsets: [] });
      expect((await call('DELETE', `/connectors/${name}`)).status).toBe(204);
    });
  });

  describe('connector plugins', () => {
    it.each([
      { name: 'without connectorsOnly', query: '', converter: false },
      { name: 'connectorsOnly=true', query: '?connectorsOnly=true', converter: false },
      { name: 'connectorsOnly=false', query: '?connectorsOnly=false', converter: true },
    ])('GET /connector-plugins $name', async ({ query, converter }) => {
      const reply = await call('GET', `/connector-plugins${query}`);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual([
        { class: 'com.kaiwudb.kafka.connect.sink.KwdbSinkConnector', type: 'sink', version: '0.1.0' },
        { class: 'com.kaiwudb.kafka.connect.source.KwdbSourceConnector', type: 'source', version: '0.1.0' },
        ...(converter
          ? [
              {
                class: 'org.apache.kafka.connect.storage.StringConverter',
                type: 'converter',
                version: '4.1.0',
              },
            ]
          : []),
      ]);
    });

    it.each([
      {
        name: 'full class name',
        plugin: 'com.kaiwudb.kafka.connect.sink.KwdbSinkConnector',
        key: 'protocol.type',
      },
      { name: 'alias', plugin: 'KwdbSourceConnector', key: 'out.format' },
    ])('GET /connector-plugins/{plugin}/config by $name lists ConfigKeyInfo', async ({ plugin, key }) => {
      const reply = await call('GET', `/connector-plugins/${plugin}/config`);
      expect(reply.status).toBe(200);
      const keys = reply.body as Json[];
      const entry = keys.find((k) => k['name'] === key);
      expect(entry).toMatchObject({
        name: key,
        required: expect.any(Boolean),
        importance: expect.any(String),
        order: expect.any(Number), // Kafka Connect 4.x's field name
      });
      expect(entry).not.toHaveProperty('order_in_group');
      expect(keys.find((k) => k['name'] === 'connection.password')?.['type']).toBe('PASSWORD');
    });

    it('unknown plugin is 404', async () => {
      const reply = await call('GET', '/connector-plugins/org.example.Nope/config');
      expect(reply.status).toBe(404);
      expect(reply.body).toEqual({ error_code: 404, message: 'Unknown plugin org.example.Nope.' });
    });

    it.each([
      {
        name: "the guide's sink config is valid",
        plugin: 'KwdbSinkConnector',
        body: sinkJson['config'],
        errors: 0,
      },
      {
        name: 'an invalid config is still 200, with error_count',
        plugin: 'KwdbSinkConnector',
        body: { 'batch.size': 'x' },
        errors: 'some',
      },
      {
        name: "the guide's source config is valid",
        plugin: 'KwdbSourceConnector',
        body: { ...(sourceJson['config'] as Json), name: 's' },
        errors: 0,
      },
    ])('PUT .../config/validate: $name', async ({ plugin, body, errors }) => {
      const reply = await call('PUT', `/connector-plugins/${plugin}/config/validate`, {
        name: 'v',
        ...(body as Json),
      });
      expect(reply.status).toBe(200);
      const infos = reply.body as {
        error_count: number;
        configs: { value: { name: string; value: unknown } }[];
      };
      if (errors === 0) expect(infos.error_count).toBe(0);
      else expect(infos.error_count).toBeGreaterThan(0);
      const pw = infos.configs.find((c) => c.value.name === 'connection.password');
      if (pw && (body as Json)['connection.password'] !== undefined) expect(pw.value.value).toBe('[hidden]');
      expect(reply.text).not.toContain(GUIDE_PASSWORD);
    });

    it('PUT .../config/validate with a connector.class of the other plugin is 400', async () => {
      const reply = await call(
        'PUT',
        '/connector-plugins/KwdbSinkConnector/config/validate',
        sourceJson['config'],
      );
      expect(reply.status).toBe(400);
      expect((reply.body as Json)['message']).toContain('does not match request type');
    });
  });

  describe('topics (KIP-558)', () => {
    const name = 'topics-conn';
    let publisher: StatusPublisher;

    beforeAll(async () => {
      const kafka = new Kafka({
        clientId: 'cfgapi-topics',
        brokers: env.kafka.brokers,
        logLevel: logLevel.NOTHING,
      });
      publisher = new StatusPublisher({ kafka, topic: statusTopic, workerId: 'test-worker:1' });
      await publisher.connect();
    });

    afterAll(async () => {
      await publisher?.disconnect();
    });

    it('GET .../topics of a connector that used none is {"<name>": {"topics": []}}; unknown connector 404', async () => {
      expect((await call('POST', '/connectors', fake(name, { 'tasks.max': '1' }))).status).toBe(201);
      const reply = await call('GET', `/connectors/${name}/topics`);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ [name]: { topics: [] } });
      for (const [method, path] of [
        ['GET', '/connectors/nope/topics'],
        ['PUT', '/connectors/nope/topics/reset'],
      ] as const) {
        const missing = await call(method, path);
        expect(missing.status).toBe(404);
        expect(missing.body).toEqual({ error_code: 404, message: 'Connector nope not found' });
      }
    });

    it('the topics tasks record in the status topic (as the workers do) are listed, sorted; PUT .../topics/reset is 202 and clears them', async () => {
      // What sink-worker and source-worker write through ActiveTopicsRecorder: Kafka Connect's record.
      await publisher.publishTopic(name, 'metrics-b', 0);
      await publisher.publishTopic(name, 'metrics-a', 0);
      await publisher.publishTopic('other-connector', 'metrics-c', 0);
      expect((await call('GET', `/connectors/${name}/topics`)).body).toEqual({
        [name]: { topics: ['metrics-a', 'metrics-b'] },
      });
      const reset = await call('PUT', `/connectors/${name}/topics/reset`);
      expect(reset.status).toBe(202);
      expect(reset.text).toBe('');
      expect((await call('GET', `/connectors/${name}/topics`)).body).toEqual({ [name]: { topics: [] } });
    });

    it('a reset while the connector runs (Kafka Connect allows it) tells its running tasks through the worker config file', async () => {
      await allTasks(name, 'RUNNING');
      const before = Date.now();
      expect((await call('PUT', `/connectors/${name}/topics/reset`)).status).toBe(202);
      const file = JSON.parse(await readFile(join(dataDir, 'workers', name, 'config.json'), 'utf8')) as Json;
      expect(file['activeTopicsResetAt']).toBeGreaterThanOrEqual(before);
    });

    it('the recorded topics live in the status topic: they outlive config-api (checked after its restart below); DELETE forgets them', async () => {
      await publisher.publishTopic(name, 'metrics-kept', 0);
      expect((await call('GET', `/connectors/${name}/topics`)).body).toEqual({
        [name]: { topics: ['metrics-kept'] },
      });
    });
  });

  describe('topic.tracking.enable and topic.tracking.allow.reset (KIP-558 worker settings)', () => {
    // A second config-api on the same Kafka with each setting, answering as Connect's ConnectorsResource.
    const startWith = async (
      topicTracking: { enable: boolean; allowReset: boolean },
      dir: string,
    ): Promise<RunningConfigApi> =>
      startConfigApi(
        {
          ...config,
          dataDir: dir,
          statusTopic: uniqueName('cfgapi-tracking-status'),
          offsetsTopic: uniqueName('cfgapi-tracking-offsets'),
          topicTracking,
        },
        {
          logger: capturingLogger().logger,
          commit: 'test',
          workerEnv: { FAKE_WORKER_LOG: join(dir, 'fake-starts.log') },
        },
      );

    it('When topic tracking is off, Then GET .../topics and PUT .../topics/reset are 403 "Topic tracking is disabled." (checked before the connector is looked up), and workers are told not to record', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'cfgapi-tracking-off-'));
      const off = await startWith({ enable: false, allowReset: true }, dir);
      try {
        const callOff = client(() => off.url);
        expect((await callOff('POST', '/connectors', fake('untracked', { 'tasks.max': '1' }))).status).toBe(
          201,
        );
        for (const [method, path] of [
          ['GET', '/connectors/untracked/topics'],
          ['PUT', '/connectors/untracked/topics/reset'],
          ['GET', '/connectors/nope/topics'],
          ['PUT', '/connectors/nope/topics/reset'],
        ] as const) {
          const reply = await callOff(method, path);
          expect({ method, path, status: reply.status, body: reply.body }).toEqual({
            method,
            path,
            status: 403,
            body: { error_code: 403, message: 'Topic tracking is disabled.' },
          });
        }
        // The worker process of the connector got topic.tracking.enable=false (it records nothing).
        const starts = await eventually(async () => {
          const text = await readFile(join(dir, 'fake-starts.log'), 'utf8').catch(() => '');
          return text === ''
            ? undefined
            : text
                .trim()
                .split('\n')
                .map((l) => JSON.parse(l) as Json);
        }, 'the worker started');
        expect(starts[0]).toMatchObject({ name: 'untracked', topicTracking: 'false' });
        expect((await callOff('DELETE', '/connectors/untracked')).status).toBe(204);
      } finally {
        await off.close();
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('When topics reset is not allowed, Then GET .../topics answers as usual and PUT .../topics/reset is 403 "Topic tracking reset is disabled."', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'cfgapi-no-reset-'));
      const noReset = await startWith({ enable: true, allowReset: false }, dir);
      try {
        const callNoReset = client(() => noReset.url);
        expect((await callNoReset('POST', '/connectors', fake('kept', { 'tasks.max': '1' }))).status).toBe(
          201,
        );
        const topics = await callNoReset('GET', '/connectors/kept/topics');
        expect(topics.status).toBe(200);
        expect(topics.body).toEqual({ kept: { topics: [] } });
        expect((await callNoReset('GET', '/connectors/nope/topics')).status).toBe(404);
        for (const path of ['/connectors/kept/topics/reset', '/connectors/nope/topics/reset']) {
          const reply = await callNoReset('PUT', path);
          expect({ path, status: reply.status, body: reply.body }).toEqual({
            path,
            status: 403,
            body: { error_code: 403, message: 'Topic tracking reset is disabled.' },
          });
        }
        expect((await callNoReset('DELETE', '/connectors/kept')).status).toBe(204);
      } finally {
        await noReset.close();
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe('/admin/loggers (KIP-495, KIP-976)', () => {
    const configApiLoggers = ['config-api', 'config-api.http', 'config-api.kafka', 'config-api.supervisor'];

    it("GET /admin/loggers lists root and config-api's named loggers with their levels", async () => {
      const reply = await call('GET', '/admin/loggers');
      expect(reply.status).toBe(200);
      const body = reply.body as Record<string, { level: string; last_modified: number | null }>;
      expect(Object.keys(body).sort()).toEqual(expect.arrayContaining(['root', ...configApiLoggers]));
      expect(body['root']).toEqual({ level: 'DEBUG', last_modified: null });
      const one = await call('GET', '/admin/loggers/config-api.supervisor');
      expect(one.status).toBe(200);
      expect(one.body).toEqual({ level: 'DEBUG', last_modified: null });
      const missing = await call('GET', '/admin/loggers/org.example.Nope');
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ error_code: 404, message: 'Logger org.example.Nope not found.' });
    });

    it('PUT (worker scope) sets the namespace and every logger under it, answers their names, and really filters lines', async () => {
      const before = Date.now();
      const reply = await call('PUT', '/admin/loggers/config-api', { level: 'warn' });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual(configApiLoggers);
      const level = (await call('GET', '/admin/loggers/config-api.http')).body as Json;
      expect(level['level']).toBe('WARN');
      expect(level['last_modified']).toBeGreaterThanOrEqual(before);
      // config-api.http logs refused requests at debug: none now.
      const lines = captured.lines.length;
      expect((await call('GET', '/connectors/refused-while-warn')).status).toBe(404);
      expect(captured.lines.slice(lines).join('')).not.toContain('request refused');
      expect((await call('PUT', '/admin/loggers/config-api', { level: 'DEBUG' })).status).toBe(200);
      expect((await call('GET', '/connectors/refused-while-debug')).status).toBe(404);
      expect(captured.lines.slice(lines).join('')).toContain('refused-while-debug');
    });

    it('PUT of a logger that does not exist yet creates it (as Kafka Connect), other scope values mean worker', async () => {
      const reply = await call('PUT', '/admin/loggers/org.example.new?scope=nonsense', { level: 'ERROR' });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual(['org.example.new']);
      expect((await call('GET', '/admin/loggers/org.example.new')).body).toMatchObject({ level: 'ERROR' });
    });

    it.each([
      {
        name: 'no level',
        body: { lvl: 'DEBUG' },
        status: 400,
        message: "Desired 'level' parameter was not specified in request.",
      },
      {
        name: 'a body that is not an object',
        body: ['DEBUG'],
        status: 400,
        message: expect.stringContaining('JSON object'),
      },
      {
        name: 'an unknown level (404, as Kafka Connect)',
        body: { level: 'LOUD' },
        status: 404,
        message: "invalid log level 'LOUD'.",
      },
    ])('PUT with $name is $status', async ({ body, status: code, message }) => {
      const reply = await call('PUT', '/admin/loggers/config-api', body);
      expect(reply.status).toBe(code);
      expect(reply.body).toEqual({ error_code: code, message });
    });

    it("PUT ?scope=cluster is 204, sets config-api's logger and hands the level to every worker through its config file", async () => {
      const reply = await call('PUT', '/admin/loggers/sink-worker?scope=cluster', { level: 'debug' });
      expect(reply.status).toBe(204);
      expect((await call('GET', '/admin/loggers/sink-worker')).body).toMatchObject({ level: 'DEBUG' });
      const file = JSON.parse(
        await readFile(join(dataDir, 'workers', 'topics-conn', 'config.json'), 'utf8'),
      ) as Json;
      expect(file['logLevels']).toEqual([{ logger: 'sink-worker', level: 'DEBUG' }]);
    });
  });

  describe('metrics, OpenAPI, logs, restart of config-api', () => {
    it('/metrics has requests by route and status and connectors by state', async () => {
      await call('GET', '/connectors/restarts');
      const reply = await call('GET', '/metrics');
      expect(reply.status).toBe(200);
      expect(reply.text).toMatch(
        /kwdb_connect_api_requests_total\{method="GET",route="\/connectors\/:name",status="200"\} \d+/,
      );
      expect(reply.text).toMatch(
        /kwdb_connect_api_requests_total\{method="POST",route="\/connectors",status="409"\} 1/,
      );
      expect(reply.text).toMatch(/kwdb_connect_connectors\{state="RUNNING"\} 2/); // restarts, topics-conn
    });

    it('/openapi.json describes every endpoint', async () => {
      const reply = await call('GET', '/openapi.json');
      expect(reply.status).toBe(200);
      expect((reply.body as Json)['openapi']).toBe('3.0.3');
      const ops = documentedOperations(reply.body as Json);
      for (const op of [
        'GET /',
        'GET /health',
        'GET /connectors',
        'POST /connectors',
        'GET /connectors/{name}',
        'DELETE /connectors/{name}',
        'GET /connectors/{name}/config',
        'PUT /connectors/{name}/config',
        'PATCH /connectors/{name}/config',
        'GET /connectors/{name}/status',
        'GET /connectors/{name}/tasks',
        'GET /connectors/{name}/tasks/{id}/status',
        'POST /connectors/{name}/restart',
        'POST /connectors/{name}/tasks/{id}/restart',
        'PUT /connectors/{name}/pause',
        'PUT /connectors/{name}/resume',
        'PUT /connectors/{name}/stop',
        'GET /connectors/{name}/offsets',
        'PATCH /connectors/{name}/offsets',
        'DELETE /connectors/{name}/offsets',
        'GET /connector-plugins',
        'GET /connector-plugins/{plugin}/config',
        'PUT /connector-plugins/{plugin}/config/validate',
        'GET /connectors/{name}/topics',
        'PUT /connectors/{name}/topics/reset',
        'GET /admin/loggers',
        'GET /admin/loggers/{logger}',
        'PUT /admin/loggers/{logger}',
      ]) {
        expect(ops).toContain(op);
      }
    });

    it('no log line contains the password', () => {
      const all = captured.lines.join('');
      expect(all).toContain('connector created');
      expect(all).not.toContain(GUIDE_PASSWORD);
    });

    it('When config-api restarts on the same data dir, Then its connectors and their tasks come back', async () => {
      const names = (await call('GET', '/connectors')).body;
      await api.close();
      api = await startConfigApi(config, {
        logger: captured.logger,
        commit: 'test',
        workerEnv: { FAKE_WORKER_LOG: join(dataDir, 'fake-starts.log') },
      });
      expect((await call('GET', '/connectors')).body).toEqual(names);
      await allTasks('restarts', 'RUNNING');
      expect(running('restarts')).toHaveLength(2);
      // The recorded topics come from the status topic, not from config-api's memory.
      expect((await call('GET', '/connectors/topics-conn/topics')).body).toEqual({
        'topics-conn': { topics: ['metrics-kept'] },
      });
      // DELETE forgets them: a new connector of the same name starts with none.
      expect((await call('DELETE', '/connectors/topics-conn')).status).toBe(204);
      expect(
        (await call('PUT', '/connectors/topics-conn/config', fake('topics-conn')['config'])).status,
      ).toBe(201);
      expect((await call('GET', '/connectors/topics-conn/topics')).body).toEqual({
        'topics-conn': { topics: [] },
      });
      expect((await call('DELETE', '/connectors/topics-conn')).status).toBe(204);
    });
  });
});
