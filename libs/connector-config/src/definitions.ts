// The connector configuration schema: one declarative table, like Kafka's ConfigDef. Everything else
// (parsing, REST descriptions, docs/configuration.md) is derived from it. See docs/adr/0004-config-schema.md.
import {
  STRING_CONVERTER,
  checkConnectionUrl,
  checkConnectorClass,
  checkConnectorName,
  checkConverter,
  checkOptionalTopicName,
  checkRegex,
  checkTimestampInitial,
  checkTopicName,
  checkTopicPart,
} from './checks';
import type { ConnectorKind } from './connector-class';

/** Value types. `enum` is a string restricted to `values`; Kafka Connect reports it as STRING. */
export type ConfigType = 'string' | 'int' | 'long' | 'boolean' | 'list' | 'password' | 'enum';
export type Importance = 'HIGH' | 'MEDIUM' | 'LOW';
/** Which connectors a key belongs to. */
export type AppliesTo = ConnectorKind | 'both';
/** A parsed value: strings (also enum and password before wrapping), numbers, booleans, lists. */
export type ConfigValue = string | number | boolean | readonly string[];

export interface ConfigKeyDef {
  readonly name: string;
  readonly type: ConfigType;
  /** Required keys have no default; a missing one is an error. */
  readonly required: boolean;
  /** Applied when the key is absent; undefined for required keys and for optional keys without default. */
  readonly default?: ConfigValue;
  /** Inclusive bounds for int and long. */
  readonly min?: number;
  readonly max?: number;
  /** The allowed values of an enum, in the order shown to users. */
  readonly values?: readonly string[];
  /** Extra check of a string value; returns the problem text (without the key) or undefined. */
  readonly check?: (value: string) => string | undefined;
  /** Extra check of each entry of a list value, likewise. */
  readonly checkEach?: (item: string) => string | undefined;
  readonly importance: Importance;
  /** One text, or one per connector kind when the key means something different for each. */
  readonly documentation: string | Readonly<Record<ConnectorKind, string>>;
  readonly group: string;
  readonly appliesTo: AppliesTo;
  /** Keys whose valid values depend on this one (Kafka Connect's `dependents`). */
  readonly dependents?: readonly string[];
}

/** The four message formats of libs/formats. */
export const MESSAGE_FORMATS = ['json_kaiwudb', 'json_opentsdb', 'line_opentsdb', 'line_influxdb'] as const;
export type MessageFormat = (typeof MESSAGE_FORMATS)[number];

export const TIMESTAMP_PRECISIONS = ['s', 'ms', 'us', 'ns'] as const;
export type TimestampPrecision = (typeof TIMESTAMP_PRECISIONS)[number];

/** The timestamp precisions each format supports (the guide's `timestamp.precision` row). */
export const PRECISIONS_BY_FORMAT: Readonly<Record<MessageFormat, readonly TimestampPrecision[]>> = {
  json_kaiwudb: ['ms', 'us', 'ns'],
  json_opentsdb: ['s', 'ms'],
  line_opentsdb: ['s', 'ms'],
  line_influxdb: ['ms', 'us', 'ns'],
};

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export const DIALECTS = ['auto', 'kwdb', 'postgres'] as const;
export type Dialect = (typeof DIALECTS)[number];

export const ERRORS_TOLERANCES = ['none', 'all'] as const;
export type ErrorsTolerance = (typeof ERRORS_TOLERANCES)[number];

/** The groups, in the order Kafka Connect's REST API and the docs list them. */
export const GROUPS = ['Common', 'Connection', 'Format', 'Sink', 'Source', 'Error Handling'] as const;

const INT_MAX = 2_147_483_647;

/** Every key, grouped; within a group the order is the order users see. */
/** key.converter and value.converter: accepted for the guide's files, StringConverter only. */
function converterKey(name: 'key.converter' | 'value.converter'): ConfigKeyDef {
  const only = `Only \`${STRING_CONVERTER}\` is accepted (it is what the connector does anyway).`;
  return {
    name,
    type: 'string',
    required: false,
    check: checkConverter,
    importance: 'LOW',
    documentation: {
      sink: `Converter class for transforming between Kafka Connect format and the serialization format read from Kafka. ${only}`,
      source: `Converter class for transforming between Kafka Connect format and the serialization format written to Kafka. ${only}`,
    },
    group: 'Common',
    appliesTo: 'both',
  };
}

export const CONFIG_KEYS: readonly ConfigKeyDef[] = [
  // --- Common ---------------------------------------------------------------------------------
  {
    name: 'name',
    type: 'string',
    required: true,
    check: checkConnectorName,
    importance: 'HIGH',
    documentation: 'Name of the connector. Unique per cluster; sink tasks consume in group `connect-<name>`.',
    group: 'Common',
    appliesTo: 'both',
  },
  {
    name: 'connector.class',
    type: 'string',
    required: true,
    check: checkConnectorClass,
    importance: 'HIGH',
    documentation: {
      sink:
        'Class name of the connector: `com.kaiwudb.kafka.connect.sink.KwdbSinkConnector` ' +
        '(also accepted: `KwdbSinkConnector`, `KwdbSink`).',
      source:
        'Class name of the connector: `com.kaiwudb.kafka.connect.source.KwdbSourceConnector` ' +
        '(also accepted: `KwdbSourceConnector`, `KwdbSource`).',
    },
    group: 'Common',
    appliesTo: 'both',
  },
  {
    name: 'tasks.max',
    type: 'int',
    required: false,
    default: 1,
    min: 1,
    max: INT_MAX,
    importance: 'HIGH',
    documentation:
      'Maximum number of tasks that the connector can run (one worker process, or Kubernetes replica, per task).',
    group: 'Common',
    appliesTo: 'both',
  },
  {
    name: 'topics',
    type: 'list',
    required: false,
    checkEach: checkTopicName,
    importance: 'HIGH',
    documentation:
      'Kafka topics to consume data from. Separate multiple topics with commas (`,`). ' +
      'Set exactly one of `topics` and `topics.regex`.',
    group: 'Common',
    appliesTo: 'sink',
  },
  {
    name: 'topics.regex',
    type: 'string',
    required: false,
    check: checkRegex,
    importance: 'HIGH',
    documentation:
      'Regular expression of the Kafka topics to consume (Kafka Connect option), an alternative to `topics`. ' +
      'Set exactly one of `topics` and `topics.regex`.',
    group: 'Common',
    appliesTo: 'sink',
  },
  converterKey('key.converter'),
  converterKey('value.converter'),

  // --- Connection -----------------------------------------------------------------------------
  {
    name: 'connection.url',
    type: 'string',
    required: true,
    check: checkConnectionUrl,
    importance: 'HIGH',
    documentation:
      'JDBC connection URL used to connect to KWDB: `jdbc:kaiwudb://host:port[/database][?params]`, or ' +
      '`postgres://host:port[/database][?params]` (also `postgresql://`). It must not contain a password.',
    group: 'Connection',
    appliesTo: 'both',
  },
  {
    name: 'connection.user',
    type: 'string',
    required: false,
    importance: 'HIGH',
    documentation: 'Username used for the KWDB JDBC connection.',
    group: 'Connection',
    appliesTo: 'both',
  },
  {
    name: 'connection.password',
    type: 'password',
    required: false,
    importance: 'HIGH',
    documentation:
      'Password used for the KWDB JDBC connection. Shown as `[hidden]` in REST responses and logs, and kept ' +
      'apart from the rest of the configuration.',
    group: 'Connection',
    appliesTo: 'both',
  },
  {
    name: 'connection.database',
    type: 'string',
    required: true,
    importance: 'HIGH',
    documentation: { sink: 'KWDB database to write data into.', source: 'KWDB database to read data from.' },
    group: 'Connection',
    appliesTo: 'both',
  },
  {
    name: 'connection.attempts',
    type: 'int',
    required: false,
    default: 3,
    min: 1,
    max: INT_MAX,
    importance: 'LOW',
    documentation: 'Maximum number of attempts for JDBC connection. Must be a positive integer.',
    group: 'Connection',
    appliesTo: 'both',
  },
  {
    name: 'connection.backoff.ms',
    type: 'int',
    required: false,
    default: 5000,
    min: 0,
    max: INT_MAX,
    importance: 'LOW',
    documentation: 'Backoff time between connection attempts (in milliseconds).',
    group: 'Connection',
    appliesTo: 'both',
  },
  {
    name: 'connection.sslmode',
    type: 'enum',
    required: false,
    default: 'disable',
    values: SSL_MODES,
    importance: 'MEDIUM',
    documentation: 'TLS mode of the database connection, as libpq `sslmode`.',
    group: 'Connection',
    appliesTo: 'both',
  },
  {
    name: 'connection.sslrootcert',
    type: 'string',
    required: false,
    importance: 'LOW',
    documentation: 'Path of the CA certificate file that verifies the server (`verify-ca`, `verify-full`).',
    group: 'Connection',
    appliesTo: 'both',
  },
  {
    name: 'connection.sslcert',
    type: 'string',
    required: false,
    importance: 'LOW',
    documentation: 'Path of the client certificate file, for certificate authentication.',
    group: 'Connection',
    appliesTo: 'both',
  },
  {
    name: 'connection.sslkey',
    type: 'string',
    required: false,
    importance: 'LOW',
    documentation: 'Path of the client private key file, for certificate authentication.',
    group: 'Connection',
    appliesTo: 'both',
  },
  {
    name: 'connection.pool.max',
    type: 'int',
    required: false,
    default: 4,
    min: 1,
    max: 1000,
    importance: 'LOW',
    documentation: 'Maximum number of database connections one task keeps open.',
    group: 'Connection',
    appliesTo: 'both',
  },
  {
    name: 'dialect',
    type: 'enum',
    required: false,
    default: 'auto',
    values: DIALECTS,
    importance: 'LOW',
    documentation:
      'SQL dialect: `kwdb` (KWDB time-series tables), `postgres` (plain PostgreSQL tables), or `auto` ' +
      '(detected from the server when connecting).',
    group: 'Connection',
    appliesTo: 'both',
  },

  // --- Format ---------------------------------------------------------------------------------
  {
    name: 'protocol.type',
    type: 'enum',
    required: true,
    values: MESSAGE_FORMATS,
    importance: 'HIGH',
    documentation:
      'Data format to write into KWDB. Supported values: `json_kaiwudb`, `json_opentsdb`, `line_opentsdb`, ' +
      '`line_influxdb`.',
    group: 'Format',
    appliesTo: 'sink',
    dependents: ['timestamp.precision'],
  },
  {
    name: 'out.format',
    type: 'enum',
    required: true,
    values: MESSAGE_FORMATS,
    importance: 'HIGH',
    documentation:
      'Output format. Supported formats: `json_kaiwudb`, `json_opentsdb`, `line_opentsdb`, `line_influxdb`.',
    group: 'Format',
    appliesTo: 'source',
    dependents: ['timestamp.precision'],
  },
  {
    name: 'timestamp.precision',
    type: 'enum',
    required: false,
    default: 'ms',
    values: TIMESTAMP_PRECISIONS,
    importance: 'MEDIUM',
    documentation: {
      sink:
        'Precision of timestamps written to KWDB: `json_kaiwudb` and `line_influxdb` support `ms`, `us`, `ns`; ' +
        '`json_opentsdb` and `line_opentsdb` support `s`, `ms`.',
      source:
        'Precision of the epoch timestamps in the emitted messages: `json_kaiwudb` and `line_influxdb` support ' +
        '`ms`, `us`, `ns`; `json_opentsdb` and `line_opentsdb` support `s`, `ms`.',
    },
    group: 'Format',
    appliesTo: 'both',
  },

  // --- Sink -----------------------------------------------------------------------------------
  {
    name: 'max.retries',
    type: 'int',
    required: false,
    default: 3,
    min: 0,
    max: INT_MAX,
    importance: 'MEDIUM',
    documentation: 'Maximum number of retries before a task fails.',
    group: 'Sink',
    appliesTo: 'sink',
  },
  {
    name: 'retry.backoff.ms',
    type: 'int',
    required: false,
    default: 3,
    min: 0,
    max: INT_MAX,
    importance: 'MEDIUM',
    documentation:
      "Wait time before retrying after an error (in milliseconds). The default of 3 is the guide's table value; " +
      "the guide's example sets 3000, which suits most deployments.",
    group: 'Sink',
    appliesTo: 'sink',
  },
  {
    name: 'batch.size',
    type: 'int',
    required: false,
    default: 1000,
    min: 1,
    max: INT_MAX,
    importance: 'MEDIUM',
    documentation: 'Maximum number of records to insert in one batch operation.',
    group: 'Sink',
    appliesTo: 'sink',
  },

  // --- Source ---------------------------------------------------------------------------------
  {
    name: 'topic.prefix',
    type: 'string',
    required: false,
    default: '',
    check: checkTopicPart,
    importance: 'HIGH',
    documentation:
      'Prefix for Kafka topic names, which are built as `[prefix][delimiter][database][delimiter][table]` ' +
      '(e.g. `kw-benchmark-cpu_kaiwudb_tb`). The guide shows no default; here it defaults to the empty string ' +
      '(no prefix).',
    group: 'Source',
    appliesTo: 'source',
  },
  {
    name: 'topic.delimiter',
    type: 'string',
    required: false,
    default: '-',
    check: checkTopicPart,
    importance: 'LOW',
    documentation: 'Delimiter for topic names. Default is hyphen.',
    group: 'Source',
    appliesTo: 'source',
  },
  {
    name: 'topic.per.stable',
    type: 'boolean',
    required: false,
    default: true,
    importance: 'LOW',
    documentation: 'Whether to create a separate topic for each table.',
    group: 'Source',
    appliesTo: 'source',
  },
  {
    name: 'topic.ignore.db',
    type: 'boolean',
    required: false,
    default: false,
    importance: 'LOW',
    documentation:
      'Whether to ignore the database name when naming the topic. It is recommended to keep the default ' +
      'value `false`.',
    group: 'Source',
    appliesTo: 'source',
  },
  {
    name: 'timestamp.initial',
    type: 'string',
    required: false,
    check: checkTimestampInitial,
    importance: 'MEDIUM',
    documentation:
      'Initial timestamp for queries. Format: `yyyy-MM-dd HH:mm:ss`. If unspecified, all data in the table will ' +
      'be retrieved.',
    group: 'Source',
    appliesTo: 'source',
  },
  {
    name: 'poll.interval.ms',
    type: 'int',
    required: false,
    default: 5000,
    min: 1,
    max: INT_MAX,
    importance: 'MEDIUM',
    documentation: 'Frequency to poll for new or dropped tables (in milliseconds).',
    group: 'Source',
    appliesTo: 'source',
  },
  {
    name: 'fetch.max.rows',
    type: 'int',
    required: false,
    default: 100,
    min: 1,
    max: INT_MAX,
    importance: 'MEDIUM',
    documentation:
      'Maximum number of rows to fetch per polling for new data. Limits the internal cache size of the connector.',
    group: 'Source',
    appliesTo: 'source',
  },
  {
    name: 'query.interval.ms',
    type: 'int',
    required: false,
    default: 1000,
    min: 1,
    max: INT_MAX,
    importance: 'MEDIUM',
    documentation: 'Time interval between consecutive queries (in milliseconds).',
    group: 'Source',
    appliesTo: 'source',
  },
  {
    name: 'read.method',
    type: 'enum',
    required: false,
    default: 'query',
    values: ['query'],
    importance: 'LOW',
    documentation: 'Method to fetch data. Currently, only `query` is supported.',
    group: 'Source',
    appliesTo: 'source',
  },
  {
    name: 'timestamp.delay.interval.ms',
    type: 'long',
    required: false,
    default: 0,
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    importance: 'MEDIUM',
    documentation:
      'How long to wait for late rows (in milliseconds): only rows with a timestamp older than now minus this ' +
      'delay are read, as in the Confluent JDBC source connector. 0 reads up to the newest row.',
    group: 'Source',
    appliesTo: 'source',
  },
  {
    name: 'exactly.once.source.support',
    type: 'enum',
    required: false,
    default: 'disabled',
    values: ['enabled', 'disabled'],
    importance: 'MEDIUM',
    documentation:
      '`enabled`: records and the table cursor are written in one Kafka transaction, so each row is delivered ' +
      'exactly once. `disabled`: at-least-once delivery (after a crash, rows since the last stored cursor are ' +
      'sent again).',
    group: 'Source',
    appliesTo: 'source',
  },
  {
    name: 'record.timestamp',
    type: 'enum',
    required: false,
    default: 'produce_time',
    values: ['produce_time', 'row_time'],
    importance: 'LOW',
    documentation:
      'The Kafka timestamp of a source record. `produce_time`: when the record is produced, as Kafka Connect ' +
      "does for a source record without a timestamp (the row's time stays in the value). `row_time`: the row's " +
      'timestamp in ms. Retention (`retention.ms`, 7 days by default) counts from the record timestamp, so with ' +
      '`row_time` rows older than the retention are deleted by the broker right after they are produced; the ' +
      "task warns when a table's rows are older than its topic's retention.",
    group: 'Source',
    appliesTo: 'source',
  },

  // --- Error Handling (Kafka Connect's errors.* options) ----------------------------------------
  {
    name: 'errors.tolerance',
    type: 'enum',
    required: false,
    default: 'none',
    values: ERRORS_TOLERANCES,
    importance: 'MEDIUM',
    documentation:
      'Behavior for tolerating errors in records: `none` fails the task on the first bad record; `all` skips ' +
      'bad records (a sink sends them to the dead letter queue topic if one is set).',
    group: 'Error Handling',
    appliesTo: 'both',
  },
  {
    name: 'errors.retry.timeout',
    type: 'long',
    required: false,
    default: 0,
    min: -1,
    max: Number.MAX_SAFE_INTEGER,
    importance: 'MEDIUM',
    documentation:
      'Maximum duration in milliseconds that a failed operation is retried. 0 means no retries; -1 means ' +
      'infinite retries.',
    group: 'Error Handling',
    appliesTo: 'both',
  },
  {
    name: 'errors.retry.delay.max.ms',
    type: 'long',
    required: false,
    default: 60000,
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    importance: 'MEDIUM',
    documentation: 'Maximum duration in milliseconds between consecutive retry attempts.',
    group: 'Error Handling',
    appliesTo: 'both',
  },
  {
    name: 'errors.log.enable',
    type: 'boolean',
    required: false,
    default: false,
    importance: 'MEDIUM',
    documentation: 'If true, write each error and the details of the failed operation to the log.',
    group: 'Error Handling',
    appliesTo: 'both',
  },
  {
    name: 'errors.log.include.messages',
    type: 'boolean',
    required: false,
    default: false,
    importance: 'MEDIUM',
    documentation:
      'Whether to include in the log the Kafka record that caused a failure (topic, partition, offset and ' +
      'timestamp are always logged).',
    group: 'Error Handling',
    appliesTo: 'both',
  },
  {
    name: 'errors.deadletterqueue.topic.name',
    type: 'string',
    required: false,
    default: '',
    check: checkOptionalTopicName,
    importance: 'MEDIUM',
    documentation:
      'Name of the topic to be used as the dead letter queue for records that fail with `errors.tolerance=all`. ' +
      'Empty: no dead letter queue.',
    group: 'Error Handling',
    appliesTo: 'sink',
  },
  {
    name: 'errors.deadletterqueue.topic.replication.factor',
    type: 'int',
    required: false,
    default: 3,
    min: 1,
    max: 32767,
    importance: 'MEDIUM',
    documentation: 'Replication factor used to create the dead letter queue topic when it does not exist.',
    group: 'Error Handling',
    appliesTo: 'sink',
  },
  {
    name: 'errors.deadletterqueue.context.headers.enable',
    type: 'boolean',
    required: false,
    default: false,
    importance: 'MEDIUM',
    documentation:
      'If true, add `__connect.errors.*` headers with the error context (topic, partition, offset, exception, ' +
      'connector and task) to the records written to the dead letter queue.',
    group: 'Error Handling',
    appliesTo: 'sink',
  },
];

const BY_NAME: ReadonlyMap<string, ConfigKeyDef> = new Map(CONFIG_KEYS.map((def) => [def.name, def]));

/** The definition of a key, whatever connector it applies to. */
export function findKeyDef(name: string): ConfigKeyDef | undefined {
  return BY_NAME.get(name);
}

/** Whether a key belongs to a connector kind; `undefined` kind means "not known": only shared keys. */
export function appliesTo(def: ConfigKeyDef, kind: ConnectorKind | undefined): boolean {
  return def.appliesTo === 'both' || def.appliesTo === kind;
}

/** The keys of one connector kind, in table order. */
export function keysFor(kind: ConnectorKind | undefined): readonly ConfigKeyDef[] {
  return CONFIG_KEYS.filter((def) => appliesTo(def, kind));
}

/** A key's documentation for one kind. */
export function documentationFor(def: ConfigKeyDef, kind: ConnectorKind): string {
  return typeof def.documentation === 'string' ? def.documentation : def.documentation[kind];
}
