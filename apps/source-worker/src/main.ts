// source-worker: one process = one source task (docs/worker-contract.md, docs/source-worker.md).
// Thin: parse the environment, the worker config file and the password once, then run the task.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import process from 'node:process';
import {
  parseConnectorConfig,
  parseWorkerEnv,
  type SourceConfig,
  type WorkerEnv,
} from '@kwdb-connect/connector-config';
import {
  createLogger,
  LoggerRegistry,
  onShutdown,
  startHttpServer,
  watchWorkerControl,
} from '@kwdb-connect/runtime';
import { watchWorkerFile } from './control/watch';

/** The logger every line of a source worker goes through: `source-worker` in /admin/loggers. */
const WORKER_LOGGER = 'source-worker';
import { parseWorkerFile, type WorkerFile } from './control/worker-file';
import { SourceMetrics } from './metrics';
import { SourceTask } from './task';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';

function readPassword(env: WorkerEnv): string | undefined {
  if (env.password === undefined) return undefined;
  if (env.password.kind === 'env') return env.password.value.reveal();
  return readFileSync(env.password.path, 'utf8').replace(/\r?\n$/, '');
}

async function main(): Promise<void> {
  const envResult = parseWorkerEnv(process.env, { hostname: hostname() });
  if (!envResult.ok) {
    for (const p of envResult.errors) process.stderr.write(`${p.message}\n`);
    process.exit(2);
  }
  const env = envResult.env;
  const boot = createLogger({ level: env.logLevel, base: { component: 'source-worker', task: env.taskId } });
  for (const w of envResult.warnings) boot.warn({ key: w.key }, w.message);

  let file: WorkerFile;
  let password: string | undefined;
  try {
    if (env.configFile === undefined) throw new Error('KWDB_CONNECT_CONFIG_FILE: is required');
    file = parseWorkerFile(readFileSync(env.configFile, 'utf8'));
    password = readPassword(env);
  } catch (error) {
    boot.fatal({ err: error }, 'cannot read the worker configuration');
    process.exit(2);
  }
  // Named loggers whose levels config-api can change at run time (PUT /admin/loggers/...?scope=cluster).
  const loggers = new LoggerRegistry(
    createLogger({
      level: env.logLevel,
      base: { component: 'source-worker', connector: file.name, task: env.taskId },
      secretValues: password ? [password] : [],
    }),
  );
  const logger = loggers.logger(WORKER_LOGGER);

  const withPassword =
    password === undefined ? file.config : { ...file.config, 'connection.password': password };
  const parsed = parseConnectorConfig({ name: file.name, config: withPassword });
  let config: SourceConfig | undefined;
  let problems: string[] = [];
  if (!parsed.ok) problems = parsed.errors.map((p) => p.message);
  else if (parsed.config.kind !== 'source') problems = ['connector.class: must name the source connector'];
  else config = parsed.config;
  for (const message of problems) logger.error({ problem: message }, 'invalid connector configuration');

  const metrics = new SourceMetrics(file.name, String(env.taskId));
  const task = new SourceTask({
    env,
    connector: file.name,
    config,
    problems,
    precisionSet: file.config['timestamp.precision'] !== undefined,
    targetState: file.targetState,
    password,
    logger,
    metrics,
    exit: (code) => {
      shutdown.dispose();
      void http.close().finally(() => process.exit(code));
    },
  });
  const http = await startHttpServer({
    host: env.httpHost,
    port: env.httpPort,
    registry: metrics.registry,
    isReady: () => task.isReady(),
    isHealthy: () => !task.failed,
  });
  logger.info({ url: http.url }, 'metrics and health endpoints listening');
  const control = watchWorkerControl(env.configFile!, {
    loggers,
    logger,
    resetActiveTopics: () => task.resetActiveTopics(),
  });
  const shutdown = onShutdown(
    async () => {
      control.stop();
      await task.drain();
      await http.close();
    },
    { timeoutMs: 30_000, onEvent: (event) => logger.info({ event: event.kind }, 'shutdown') },
  );

  await task.start();
  if (task.failed) return;
  watchWorkerFile(env.configFile!, file, logger, (state) => void task.setTargetState(state));
}

void main().catch((error: unknown) => {
  createLogger().fatal({ err: error }, 'source-worker crashed');
  process.exit(1);
});
