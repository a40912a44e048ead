// @kwdb-connect/connector-config: the one connector configuration schema shared by config-api,
// sink-worker and source-worker. Pure: no I/O.
export { Secret, HIDDEN } from './secret';
export { ConfigError, type ConfigProblem } from './errors';
export {
  CONNECTOR_CLASSES,
  CONNECTOR_CLASS_ALIASES,
  CONNECTOR_PLUGIN_VERSION,
  resolveConnectorClass,
  type ConnectorKind,
} from './connector-class';
export { STRING_CONVERTER } from './checks';
export {
  CONFIG_KEYS,
  GROUPS,
  MESSAGE_FORMATS,
  TIMESTAMP_PRECISIONS,
  PRECISIONS_BY_FORMAT,
  SSL_MODES,
  DIALECTS,
  ERRORS_TOLERANCES,
  findKeyDef,
  keysFor,
  documentationFor,
  type ConfigKeyDef,
  type ConfigType,
  type ConfigValue,
  type Importance,
  type AppliesTo,
  type MessageFormat,
  type TimestampPrecision,
  type SslMode,
  type Dialect,
  type ErrorsTolerance,
} from './definitions';
export type {
  ConnectorConfig,
  SinkConfig,
  SourceConfig,
  ConnectionConfig,
  ErrorsConfig,
  SinkErrorsConfig,
} from './types';
export {
  parseConnectorConfig,
  parseConnectorConfigOrThrow,
  configWarnings,
  connectorKindOf,
  isConnectorRequest,
  toFlatConfig,
  KNOWN_KEYS,
  type ParseResult,
  type RawConfig,
} from './parse';
export {
  redactConfig,
  splitSecrets,
  mergeSecrets,
  isSecretKey,
  PASSWORD_KEY,
  type SplitSecrets,
} from './redact';
export {
  describeConfigKeys,
  validateForRest,
  type ConfigKeyInfo,
  type ConfigValueInfo,
  type ConfigInfo,
  type ConfigInfos,
} from './rest';
export {
  parseWorkerEnv,
  parseWorkerEnvOrThrow,
  WORKER_ENV_DEFAULTS,
  WORKER_ENV_VARS,
  LOG_LEVELS,
  type WorkerEnv,
  type WorkerEnvResult,
  type PasswordSource,
  type LogLevel,
} from './worker-env';
export { renderConfigurationDoc } from './docs';
export { DEFAULT_TASK_LIMITS, runnableTasks, tasksMaxProblem } from './task-limits';
export type { RunnableTasks, TaskLimits } from './task-limits';
export { connectorNameProblem, MAX_CONNECTOR_NAME_LENGTH } from './connector-name';
