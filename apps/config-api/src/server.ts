// Wires config-api together: the file store, Kafka (status topic, offsets), the supervisor, the
// service and the express app, and listens. main.ts calls this once; tests call it on port 0.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { Kafka, logLevel as KafkaLogLevel, type Admin } from 'kafkajs';
import { createLogger, LoggerRegistry, type Logger } from '@kwdb-connect/runtime';
import { DEFAULT_TOPIC_TRACKING, type ApiConfig } from './config';
import { createApiMetrics } from './http/api-metrics';
import { createApp } from './http/app';
import { hostPort, prometheusTargets, type TargetGroup } from './http/prometheus-targets';
import { KafkaOffsetsBackend } from './kafka/offsets-backend';
import { KafkaStatusBackend } from './kafka/status-backend';
import { CONNECTOR_VERSION, ConnectorService } from './services/connector-service';
import { KubeHttp } from './operator/kube-http';
import { KubernetesRuntime } from './operator/kubernetes-runtime';
import { KubernetesWorkerControl } from './operator/kubernetes-worker-control';
import { Operator } from './operator/operator';
import { hostNetworkScrapeHost, workerPodTargets, type ScrapablePod } from './operator/pod-targets';
import { LABELS } from './operator/resource';
import { DEFAULT_AUTO_RESTART, type AutoRestartPolicy } from './operator/status';
import { logLevelsConfigMapName } from './operator/worker-controls';
import { starting as startingBody } from './routes/root';
import { NO_RUNTIME, NO_WORKER_CONTROL, type ConnectorRuntime, type WorkerControl } from './services/ports';
import type { ConnectorStore } from './store/connector-store';
import { FileConnectorStore } from './store/file-connector-store';
import { KubernetesConnectorStore } from './store/kubernetes/kubernetes-connector-store';
import { LocalSupervisor } from './supervisor/local-supervisor';
import { CONNECT_REST_API_VERSION, serverCommit } from './version';

/** config-api's named loggers (GET /admin/loggers lists them with `root`). */
export const LOGGERS = {
  /** Connector changes, startup and shutdown. */
  main: 'config-api',
  /** The REST layer: refused requests (debug) and failed ones (error). */
  http: 'config-api.http',
  /** The Kafka clients: status and offsets topics, kafkajs's own messages (debug). */
  kafka: 'config-api.kafka',
  /** The local supervisor: worker processes started, stopped, exited. */
  supervisor: 'config-api.supervisor',
} as const;

/** Kafka Connect's default health check timeout (RestRequestTimeout). */
export const HEALTH_CHECK_TIMEOUT_MS = 10_000;

export interface RunningConfigApi {
  /** e.g. http://127.0.0.1:8083 */
  url: string;
  port: number;
  workerId: string;
  store: ConnectorStore;
  /** The file store (local and none runtimes). */
  fileStore: FileConnectorStore | undefined;
  supervisor: LocalSupervisor | undefined;
  /** The operator loop (kubernetes runtime). */
  operator: Operator | undefined;
  service: ConnectorService;
  /** Where cluster log levels and topic resets go (the supervisor, Kubernetes, or nowhere). */
  workers: WorkerControl;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  commit?: string;
  /** Extra environment for worker processes (tests). */
  workerEnv?: Record<string, string>;
  /** /health's time limit for a no-op through the change queue; default 10 s (Kafka Connect's). */
  healthCheckTimeoutMs?: number;
  /** Awaited after listening, before connecting to Kafka (tests observe the starting phase). */
  startupGate?: Promise<void>;
  /** Faster backoff in tests. */
  backoff?: { initialMs: number; maxMs: number; stableMs: number };
  /** Kubernetes runtime: faster lease, polling and auto-restart timings in tests. */
  operatorTimings?: { leaseRetryMs?: number; pollMs?: number; autoRestart?: AutoRestartPolicy };
}

export async function startConfigApi(
  config: ApiConfig,
  options: StartOptions = {},
): Promise<RunningConfigApi> {
  const rootLogger = options.logger ?? createLogger({ level: config.logLevel, base: { app: 'config-api' } });
  // Named loggers whose levels /admin/loggers changes at run time (docs/config-api.md lists them).
  const loggers = new LoggerRegistry(rootLogger);
  const logger = loggers.logger(LOGGERS.main);
  const kafkaLogger = loggers.logger(LOGGERS.kafka);
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
  const kafka = new Kafka({
    clientId: 'kwdb-connect-config-api',
    brokers: config.kafkaBrokers,
    logLevel: KafkaLogLevel.WARN,
    logCreator: () => (entry) => kafkaLogger.debug({ kafkajs: entry.label, ...entry.log }, 'kafkajs'),
  });

  let fileStore: FileConnectorStore | undefined;
  let kubeStore: KubernetesConnectorStore | undefined;
  let kubeHttp: KubeHttp | undefined;
  if (config.runtime === 'kubernetes' && config.kubernetes) {
    kubeHttp = KubeHttp.load(config.kubernetes.kubeconfig);
    kubeStore = new KubernetesConnectorStore(kubeHttp, config.kubernetes.namespace);
  } else {
    fileStore = new FileConnectorStore(config.dataDir);
    await fileStore.init();
  }
  const store: ConnectorStore = (kubeStore ?? fileStore)!;

  // Listen first (port 0 needs the real port for the worker id). Until everything is ready, /health
  // answers 503 {"status":"starting"} as Kafka Connect does, and every other request 503 in the
  // error shape (Kafka Connect would hold it until its herder has started).
  let stage = 'connecting to Kafka';
  const whileStarting = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    const body =
      path === '/health'
        ? startingBody(`Current stage: ${stage}.`)
        : { error_code: 503, message: `config-api is still starting up (${stage}); retry shortly` };
    res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '1' });
    res.end(JSON.stringify(body));
  };
  const server = createServer(whileStarting);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const advertised =
    config.advertisedHost ?? (config.host === '0.0.0.0' || config.host === '::' ? hostname() : config.host);
  const workerId = `${advertised}:${port}`;

  const cleanups: (() => Promise<void>)[] = [];
  try {
    await options.startupGate;
    const admin = kafka.admin();
    await admin.connect();
    const cluster = await admin.describeCluster().finally(() => admin.disconnect());

    const status = new KafkaStatusBackend({
      kafka,
      topic: config.statusTopic,
      workerId,
      version: CONNECTOR_VERSION,
      logger: kafkaLogger,
    });
    stage = 'reading the status topic';
    await status.start();
    cleanups.push(() => status.close());
    const offsets = new KafkaOffsetsBackend({ kafka, topic: config.offsetsTopic, logger: kafkaLogger });
    stage = 'reading the offsets topic';
    await offsets.start();
    cleanups.push(() => offsets.close());

    // The closures read `service` only at scrape time, after it exists.
    const metrics = createApiMetrics({
      countByState: () => service.countByState(),
      targetStates: () => service.targetStates(),
      taskStates: () => service.taskStates(),
    });
    let supervisor: LocalSupervisor | undefined;
    let operator: Operator | undefined;
    let runtime: ConnectorRuntime = NO_RUNTIME;
    let workers: WorkerControl = NO_WORKER_CONTROL;
    // topic.tracking.enable=false: workers record no topics either (as Kafka Connect's workers).
    const topicTracking = config.topicTracking ?? DEFAULT_TOPIC_TRACKING;
    const workerEnv = {
      ...(topicTracking.enable ? {} : { KWDB_CONNECT_TOPIC_TRACKING_ENABLE: 'false' }),
      ...options.workerEnv,
    };
    // Partition counts of sink topics: a sink runs no more tasks than its topics have partitions.
    const partitionsAdmin = kafka.admin();
    await partitionsAdmin.connect();
    cleanups.push(() => partitionsAdmin.disconnect());
    const partitionsOf = (topics: readonly string[]) => topicPartitions(partitionsAdmin, topics);
    if (kubeStore && kubeHttp && config.kubernetes) {
      const k = config.kubernetes;
      operator = new Operator({
        http: kubeHttp,
        namespace: k.namespace,
        identity: k.identity ?? workerId,
        leaseName: k.leaseName,
        leaseDurationSeconds: k.leaseDurationSeconds,
        leaseRetryMs:
          options.operatorTimings?.leaseRetryMs ?? Math.max(1000, (k.leaseDurationSeconds * 1000) / 3),
        resyncMs: k.resyncSeconds * 1000,
        pollMs: options.operatorTimings?.pollMs ?? 5000,
        logLevelsConfigMap: logLevelsConfigMapName(k.leaseName),
        autoRestart: options.operatorTimings?.autoRestart ?? DEFAULT_AUTO_RESTART,
        maxTasksPerConnector: config.taskLimits.perConnector,
        status,
        partitions: partitionsOf,
        settings: {
          image: k.workerImage,
          imagePullPolicy: k.workerImagePullPolicy,
          appDir: k.workerAppDir,
          nodeBinary: k.workerNode,
          kafkaBrokers: config.kafkaBrokers,
          statusTopic: config.statusTopic,
          offsetsTopic: config.offsetsTopic,
          logLevel: config.logLevel === 'silent' ? 'warn' : config.logLevel,
          httpPort: k.workerPort,
          metricsPortName: k.workerMetricsPortName,
          httpHost: config.workerHttpHost,
          hostNetwork: k.workerHostNetwork,
          extraEnv: workerEnv,
          ...(k.workerServiceAccount ? { serviceAccountName: k.workerServiceAccount } : {}),
          terminationGracePeriodSeconds: 30,
          scrapeAnnotations: k.workerScrapeAnnotations,
        },
        logger: logger.child({ component: 'operator' }),
        restarts: {
          restarted: (connector, task, reason, by) => metrics.taskRestarted(connector, task, reason, by),
          started: (connector, task) => metrics.taskStarted(connector, task),
          forgotten: (connector, task) => metrics.taskForgotten(connector, task),
        },
      });
      runtime = new KubernetesRuntime({ http: kubeHttp, store: kubeStore, operator });
      const leader = operator;
      const kubeWorkers = new KubernetesWorkerControl({
        http: kubeHttp,
        store: kubeStore,
        namespace: k.namespace,
        logLevelsConfigMap: logLevelsConfigMapName(k.leaseName),
        enqueue: (resourceName) => leader.enqueue(resourceName),
      });
      workers = kubeWorkers;
      // Cluster-scope levels set on any replica apply to this one's loggers too.
      const following = kubeWorkers.followLevels(
        loggers,
        options.operatorTimings?.pollMs ?? 5000,
        logger.child({ component: 'log-levels' }),
      );
      cleanups.push(async () => following.stop());
      cleanups.unshift(() => operator?.close() ?? Promise.resolve());
    } else if (config.runtime === 'local' && fileStore) {
      supervisor = new LocalSupervisor({
        store: fileStore,
        dataDir: config.dataDir,
        workers: { sink: config.sinkWorker, source: config.sourceWorker },
        kafkaBrokers: config.kafkaBrokers,
        statusTopic: config.statusTopic,
        offsetsTopic: config.offsetsTopic,
        workerHttpHost: config.workerHttpHost,
        workerBasePort: config.workerBasePort,
        logLevel: config.logLevel === 'silent' ? 'warn' : config.logLevel,
        logger: loggers.logger(LOGGERS.supervisor),
        status: {
          publishTask: (connector, task, state, trace) => status.publishTask(connector, task, state, trace),
        },
        onRestart: (connector, task, reason) => metrics.taskRestarted(connector, task, reason),
        onStart: (connector, task) => metrics.taskStarted(connector, task),
        onForget: (connector, task) => metrics.taskForgotten(connector, task),
        ...(options.backoff ? { backoff: options.backoff } : {}),
        extraEnv: workerEnv,
        topicPartitions: partitionsOf,
      });
      runtime = supervisor;
      workers = supervisor;
      cleanups.unshift(() => supervisor?.close() ?? Promise.resolve());
    }

    const service = new ConnectorService({
      store,
      status,
      offsets,
      runtime,
      workers,
      logger,
      taskLimits: config.taskLimits,
      topicTracking,
    });
    // config-api owns the connector instances: (re)publish their state at start.
    stage = 'starting the connectors';
    for (const name of await store.list()) {
      const definition = await store.get(name);
      if (definition) await status.publishConnector(name, definition.targetState);
    }
    await supervisor?.start();
    operator?.start();

    const app = createApp({
      service,
      metrics,
      logger: loggers.logger(LOGGERS.http),
      loggers,
      workers,
      info: {
        version: CONNECT_REST_API_VERSION,
        commit: serverCommit(options.commit),
        kafka_cluster_id: cluster.clusterId,
      },
      metricsTargets: async () =>
        prometheusTargets(
          hostPort(advertised, port),
          supervisor?.metricsTargets() ?? [],
          kubeHttp && config.kubernetes
            ? await annotatedWorkerPods(
                kubeHttp,
                config.kubernetes.namespace,
                hostNetworkScrapeHost(config.kubernetes.workerHostNetwork, config.workerHttpHost),
              )
            : [],
        ),
      healthCheck: () => service.healthCheck(options.healthCheckTimeoutMs ?? HEALTH_CHECK_TIMEOUT_MS),
    });
    server.off('request', whileStarting);
    server.on('request', app);
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
    logger.info(
      { url, workerId, dataDir: config.dataDir, runtime: config.runtime, kafkaClusterId: cluster.clusterId },
      'config-api listening',
    );
    return {
      url,
      port,
      workerId,
      store,
      fileStore,
      supervisor,
      operator,
      service,
      workers,
      close: async () => {
        await closeServer(server);
        for (const cleanup of cleanups) await cleanup();
      },
    };
  } catch (error) {
    await closeServer(server);
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    throw error;
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Kubernetes mode: the worker Pods' scrape targets (GET /prometheus/targets), from the apiserver. */
async function annotatedWorkerPods(
  http: KubeHttp,
  namespace: string,
  host: string | undefined,
): Promise<TargetGroup[]> {
  const list = await http.request<{ items: ScrapablePod[] }>('GET', `/api/v1/namespaces/${namespace}/pods`, {
    query: { labelSelector: `${LABELS.component}=worker` },
  });
  return workerPodTargets(list.items, host);
}

/** Total partitions of `topics`; undefined when one is missing or Kafka does not answer. */
async function topicPartitions(admin: Admin, topics: readonly string[]): Promise<number | undefined> {
  try {
    // Only existing topics: a metadata request for a missing one could auto-create it.
    const existing = new Set(await admin.listTopics());
    if (!topics.every((t) => existing.has(t))) return undefined;
    const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
    return metadata.topics.reduce((sum, t) => sum + t.partitions.length, 0);
  } catch {
    return undefined; // Kafka unreachable: tasks.max tasks
  }
}
