// Public API of @kwdb-connect/runtime: what every process (sink-worker, source-worker,
// config-api) shares. Logging, metrics + health HTTP server, graceful shutdown, and the
// Kafka-backed task status and source-offset stores.
export {
  RUNTIME_ERROR_CODES,
  RuntimeError,
  StatusRecordError,
  OffsetRecordError,
  TopicMisconfiguredError,
  CatchUpTimeoutError,
  NotStartedError,
  HttpListenError,
  HighWatermarkUnavailableError,
  TopicNotReadyError,
} from './errors';
export type { RuntimeErrorCode } from './errors';

export { createLogger, childLogger, REDACT_PATHS } from './logger/create-logger';
export type { CreateLoggerOptions, LogFields, Logger } from './logger/create-logger';
export { scrubSecrets, REDACTED } from './logger/scrub-secrets';
export {
  LoggerRegistry,
  ROOT_LOGGER,
  CONNECT_LOG_LEVELS,
  pinoLevelOf,
  connectLevelOf,
} from './logger/logger-registry';
export type { LoggerLevel } from './logger/logger-registry';
export {
  watchWorkerControl,
  workerControlOf,
  controlChanges,
  logLevelSettingsOf,
  NO_CONTROL,
} from './control/worker-control';
export type { WorkerControl, LogLevelSetting, WorkerControlHandlers } from './control/worker-control';

export {
  createMetrics,
  setTaskState,
  METRIC_PREFIX,
  DURATION_BUCKETS,
  LATENCY_BUCKETS,
} from './metrics/metrics';
export type { Metrics, CreateMetricsOptions } from './metrics/metrics';

export { startHttpServer, createHttpApp } from './http/http-server';
export type { HttpServerOptions, RunningHttpServer } from './http/http-server';

export { onShutdown, SHUTDOWN_SIGNALS } from './shutdown/on-shutdown';
export { SINK_WORKER_HEAP_MB, workerNodeArgs } from './process/worker-node-args';
export type { WorkerKind } from './process/worker-node-args';
export { resolveTaskIdFile, parseTaskIdText, TASK_ID_FILE_VAR } from './process/task-id-file';
export type { TaskIdFileOptions } from './process/task-id-file';
export { exitWorker, ON_FAILURE_VAR } from './process/exit-worker';
export type { ExitProcess } from './process/exit-worker';
export type {
  ShutdownEvent,
  ShutdownOptions,
  ShutdownProcess,
  ShutdownRegistration,
  ShutdownSignal,
} from './shutdown/on-shutdown';

export { ensureTopic, waitForTopicLeaders } from './kafka/ensure-topic';
export type { EnsureTopicOptions } from './kafka/ensure-topic';
export {
  CompactedTopicReader,
  isCaughtUp,
  DEFAULT_CATCH_UP_TIMEOUT_MS,
} from './kafka/compacted-topic-reader';
export type { CompactedTopicReaderOptions, TopicRecord } from './kafka/compacted-topic-reader';

export {
  STATUS_STATES,
  connectorStatusKey,
  taskStatusKey,
  topicStatusKey,
  parseStatusKey,
  encodeStatusValue,
  parseStatusValue,
  encodeTopicStatusValue,
  parseTopicStatusValue,
} from './status/status-record';
export type { StatusKey, StatusState, StatusValue, TopicStatusValue } from './status/status-record';
export { StatusTable } from './status/status-table';
export type { ApplyResult, ConnectorStatus, TaskStatus } from './status/status-table';
export { StatusPublisher, errorTrace } from './status/status-publisher';
export type { StatusPublisherOptions } from './status/status-publisher';
export { StatusReader } from './status/status-reader';
export { ActiveTopicsRecorder } from './status/active-topics';
export type { ActiveTopicsOptions } from './status/active-topics';
export type { StatusReaderOptions } from './status/status-reader';

export {
  encodeOffsetKey,
  parseOffsetKey,
  encodeOffsetValue,
  parseOffsetValue,
} from './offsets/offset-record';
export type { JsonValue, OffsetKey, SourceOffset } from './offsets/offset-record';
export { OffsetTable } from './offsets/offset-table';
export type { OffsetApplyResult } from './offsets/offset-table';
export { OffsetStore } from './offsets/offset-store';
export type { OffsetStoreOptions, WriteOffsetOptions } from './offsets/offset-store';
