import { describe, expect, it } from '@jest/globals';
import {
  CONFIG_KEYS,
  ConfigError,
  Secret,
  configWarnings,
  findKeyDef,
  parseConnectorConfig,
  parseConnectorConfigOrThrow,
  type ConnectorConfig,
  type SinkConfig,
  type SourceConfig,
} from './index';
import { MIN_SINK, MIN_SOURCE, readTestdataJson } from './test-helpers';

function parseOk(raw: Record<string, unknown>): ConnectorConfig {
  const result = parseConnectorConfig(raw);
  if (!result.ok)
    throw new Error(`expected a valid config, got:\n${result.errors.map((e) => e.message).join('\n')}`);
  return result.config;
}

function sink(patch: Record<string, unknown> = {}): SinkConfig {
  const config = parseOk({ ...MIN_SINK, ...patch });
  if (config.kind !== 'sink') throw new Error('not a sink');
  return config;
}

function source(patch: Record<string, unknown> = {}): SourceConfig {
  const config = parseOk({ ...MIN_SOURCE, ...patch });
  if (config.kind !== 'source') throw new Error('not a source');
  return config;
}

function messages(raw: Record<string, unknown>): string[] {
  const result = parseConnectorConfig(raw);
  return result.ok ? [] : result.errors.map((e) => e.message);
}

describe("the guide's JSON files, verbatim", () => {
  it('accepts the sink file ("tasks.max": "5" as a string) with typed values and defaults', () => {
    const config = parseOk(readTestdataJson('guide-sink.json'));
    expect(config.kind).toBe('sink');
    if (config.kind !== 'sink') return;
    expect(config).toMatchObject({
      name: 'KwdbSinkConnector',
      connectorClass: 'com.kaiwudb.kafka.connect.sink.KwdbSinkConnector',
      tasksMax: 5,
      topics: ['kw-tsdb-ts_json_kaiwudb_tb'],
      topicsRegex: undefined,
      maxRetries: 3,
      retryBackoffMs: 3000,
      batchSize: 1000,
      protocolType: 'json_kaiwudb',
      timestampPrecision: 'ms',
      keyConverter: 'org.apache.kafka.connect.storage.StringConverter',
      valueConverter: 'org.apache.kafka.connect.storage.StringConverter',
      passthrough: {},
      errors: {
        tolerance: 'none',
        retryTimeoutMs: 0,
        retryDelayMaxMs: 60000,
        logEnable: false,
        logIncludeMessages: false,
        deadLetterQueueTopicName: '',
        deadLetterQueueTopicReplicationFactor: 3,
        deadLetterQueueContextHeadersEnable: false,
      },
    });
    expect(config.connection).toMatchObject({
      url: 'jdbc:kaiwudb://localhost:26257',
      user: 'test',
      database: 'tsdb',
      attempts: 3,
      backoffMs: 5000,
      sslMode: 'disable',
      poolMax: 4,
      dialect: 'auto',
    });
    expect(config.connection.password?.reveal()).toBe('<password>');
  });

  it('accepts the source file ("tasks.max": 1 as a number) with typed values and defaults', () => {
    const config = parseOk(readTestdataJson('guide-source.json'));
    expect(config.kind).toBe('source');
    if (config.kind !== 'source') return;
    expect(config).toMatchObject({
      name: 'KwdbSourceConnector',
      connectorClass: 'com.kaiwudb.kafka.connect.source.KwdbSourceConnector',
      tasksMax: 1,
      outFormat: 'json_kaiwudb',
      topicPrefix: 'kw',
      topicDelimiter: '-',
      topicPerStable: true,
      topicIgnoreDb: false,
      timestampInitial: undefined,
      pollIntervalMs: 5000,
      fetchMaxRows: 100,
      queryIntervalMs: 1000,
      readMethod: 'query',
      timestampPrecision: 'ms',
      timestampDelayIntervalMs: 0,
      exactlyOnceSourceSupport: 'disabled',
      recordTimestamp: 'produce_time',
      errors: { tolerance: 'none', retryTimeoutMs: 0, retryDelayMaxMs: 60000, logEnable: false },
    });
    expect(config.connection).toMatchObject({
      database: 'benchmark',
      user: 'test',
      attempts: 3,
      backoffMs: 5000,
    });
    expect(config.connection.password?.reveal()).toBe('<password>');
  });

  it.each(['guide-sink.json', 'guide-source.json'])('gives no warning for %s', (file) => {
    expect(configWarnings(readTestdataJson(file))).toEqual([]);
  });

  it('accepts the flat map of PUT /connectors/{name}/config as well', () => {
    const request = readTestdataJson('guide-sink.json');
    const flat = { ...(request['config'] as object), name: 'KwdbSinkConnector' };
    expect(parseOk(flat)).toEqual(parseOk(request));
  });
});

// Each key's default, read through the typed config. The last test checks that this table covers
// every key of the definition table.
const DEFAULTS: { key: string; kind: 'sink' | 'source'; get: (c: never) => unknown; expected: unknown }[] = [
  { key: 'tasks.max', kind: 'sink', get: (c: SinkConfig) => c.tasksMax, expected: 1 },
  { key: 'topics', kind: 'source', get: () => undefined, expected: undefined },
  { key: 'topics.regex', kind: 'sink', get: (c: SinkConfig) => c.topicsRegex, expected: undefined },
  { key: 'key.converter', kind: 'sink', get: (c: SinkConfig) => c.keyConverter, expected: undefined },
  { key: 'value.converter', kind: 'source', get: (c: SourceConfig) => c.valueConverter, expected: undefined },
  { key: 'connection.user', kind: 'sink', get: (c: SinkConfig) => c.connection.user, expected: undefined },
  {
    key: 'connection.password',
    kind: 'sink',
    get: (c: SinkConfig) => c.connection.password,
    expected: undefined,
  },
  { key: 'connection.attempts', kind: 'sink', get: (c: SinkConfig) => c.connection.attempts, expected: 3 },
  {
    key: 'connection.backoff.ms',
    kind: 'source',
    get: (c: SourceConfig) => c.connection.backoffMs,
    expected: 5000,
  },
  {
    key: 'connection.sslmode',
    kind: 'sink',
    get: (c: SinkConfig) => c.connection.sslMode,
    expected: 'disable',
  },
  {
    key: 'connection.sslrootcert',
    kind: 'sink',
    get: (c: SinkConfig) => c.connection.sslRootCert,
    expected: undefined,
  },
  {
    key: 'connection.sslcert',
    kind: 'sink',
    get: (c: SinkConfig) => c.connection.sslCert,
    expected: undefined,
  },
  {
    key: 'connection.sslkey',
    kind: 'sink',
    get: (c: SinkConfig) => c.connection.sslKey,
    expected: undefined,
  },
  { key: 'connection.pool.max', kind: 'source', get: (c: SourceConfig) => c.connection.poolMax, expected: 4 },
  { key: 'dialect', kind: 'sink', get: (c: SinkConfig) => c.connection.dialect, expected: 'auto' },
  { key: 'timestamp.precision', kind: 'sink', get: (c: SinkConfig) => c.timestampPrecision, expected: 'ms' },
  { key: 'max.retries', kind: 'sink', get: (c: SinkConfig) => c.maxRetries, expected: 3 },
  { key: 'retry.backoff.ms', kind: 'sink', get: (c: SinkConfig) => c.retryBackoffMs, expected: 3 },
  { key: 'batch.size', kind: 'sink', get: (c: SinkConfig) => c.batchSize, expected: 1000 },
  { key: 'topic.prefix', kind: 'source', get: (c: SourceConfig) => c.topicPrefix, expected: '' },
  { key: 'topic.delimiter', kind: 'source', get: (c: SourceConfig) => c.topicDelimiter, expected: '-' },
  { key: 'topic.per.stable', kind: 'source', get: (c: SourceConfig) => c.topicPerStable, expected: true },
  { key: 'topic.ignore.db', kind: 'source', get: (c: SourceConfig) => c.topicIgnoreDb, expected: false },
  {
    key: 'timestamp.initial',
    kind: 'source',
    get: (c: SourceConfig) => c.timestampInitial,
    expected: undefined,
  },
  { key: 'poll.interval.ms', kind: 'source', get: (c: SourceConfig) => c.pollIntervalMs, expected: 5000 },
  { key: 'fetch.max.rows', kind: 'source', get: (c: SourceConfig) => c.fetchMaxRows, expected: 100 },
  { key: 'query.interval.ms', kind: 'source', get: (c: SourceConfig) => c.queryIntervalMs, expected: 1000 },
  { key: 'read.method', kind: 'source', get: (c: SourceConfig) => c.readMethod, expected: 'query' },
  {
    key: 'timestamp.delay.interval.ms',
    kind: 'source',
    get: (c: SourceConfig) => c.timestampDelayIntervalMs,
    expected: 0,
  },
  {
    key: 'exactly.once.source.support',
    kind: 'source',
    get: (c: SourceConfig) => c.exactlyOnceSourceSupport,
    expected: 'disabled',
  },
  {
    key: 'record.timestamp',
    kind: 'source',
    get: (c: SourceConfig) => c.recordTimestamp,
    expected: 'produce_time',
  },
  { key: 'errors.tolerance', kind: 'sink', get: (c: SinkConfig) => c.errors.tolerance, expected: 'none' },
  {
    key: 'errors.retry.timeout',
    kind: 'source',
    get: (c: SourceConfig) => c.errors.retryTimeoutMs,
    expected: 0,
  },
  {
    key: 'errors.retry.delay.max.ms',
    kind: 'sink',
    get: (c: SinkConfig) => c.errors.retryDelayMaxMs,
    expected: 60000,
  },
  { key: 'errors.log.enable', kind: 'sink', get: (c: SinkConfig) => c.errors.logEnable, expected: false },
  {
    key: 'errors.log.include.messages',
    kind: 'source',
    get: (c: SourceConfig) => c.errors.logIncludeMessages,
    expected: false,
  },
  {
    key: 'errors.deadletterqueue.topic.name',
    kind: 'sink',
    get: (c: SinkConfig) => c.errors.deadLetterQueueTopicName,
    expected: '',
  },
  {
    key: 'errors.deadletterqueue.topic.replication.factor',
    kind: 'sink',
    get: (c: SinkConfig) => c.errors.deadLetterQueueTopicReplicationFactor,
    expected: 3,
  },
  {
    key: 'errors.deadletterqueue.context.headers.enable',
    kind: 'sink',
    get: (c: SinkConfig) => c.errors.deadLetterQueueContextHeadersEnable,
    expected: false,
  },
];

describe('defaults', () => {
  it.each(DEFAULTS)('$key defaults to $expected', ({ key, kind, get, expected }) => {
    const config = kind === 'sink' ? sink() : source();
    expect((get as (c: ConnectorConfig) => unknown)(config)).toEqual(expected);
    expect(findKeyDef(key)?.default).toEqual(expected);
  });

  it('the table above covers every optional key', () => {
    const covered = new Set(DEFAULTS.map((row) => row.key));
    const optional = CONFIG_KEYS.filter((def) => !def.required).map((def) => def.name);
    expect(optional.filter((key) => !covered.has(key))).toEqual([]);
  });
});

describe('accepted spellings', () => {
  it.each([
    {
      name: 'tasks.max as a string',
      patch: { 'tasks.max': '5' },
      get: (c: SinkConfig) => c.tasksMax,
      want: 5,
    },
    { name: 'tasks.max as a number', patch: { 'tasks.max': 5 }, get: (c: SinkConfig) => c.tasksMax, want: 5 },
    {
      name: 'an int with spaces',
      patch: { 'batch.size': ' 20 ' },
      get: (c: SinkConfig) => c.batchSize,
      want: 20,
    },
    {
      name: 'a boolean as a string, any case',
      patch: { 'errors.log.enable': 'TRUE' },
      get: (c: SinkConfig) => c.errors.logEnable,
      want: true,
    },
    {
      name: 'a comma list with spaces',
      patch: { topics: 'a, b ,c' },
      get: (c: SinkConfig) => c.topics,
      want: ['a', 'b', 'c'],
    },
    {
      name: 'a JSON array list',
      patch: { topics: ['a', 'b'] },
      get: (c: SinkConfig) => c.topics,
      want: ['a', 'b'],
    },
    {
      name: 'topics.regex instead of topics',
      patch: { topics: undefined, 'topics.regex': 'kw-.*' },
      get: (c: SinkConfig) => [c.topics, c.topicsRegex],
      want: [[], 'kw-.*'],
    },
    {
      name: 'a postgres URL with user, database and params',
      patch: { 'connection.url': 'postgres://kwdb@127.0.0.1:15432/tsdb?sslmode=disable' },
      get: (c: SinkConfig) => c.connection.url,
      want: 'postgres://kwdb@127.0.0.1:15432/tsdb?sslmode=disable',
    },
    {
      name: 'a postgresql URL without port',
      patch: { 'connection.url': 'postgresql://db.example.com/tsdb' },
      get: (c: SinkConfig) => c.connection.url,
      want: 'postgresql://db.example.com/tsdb',
    },
    {
      name: 'a jdbc URL with IPv6 host, database and params',
      patch: { 'connection.url': 'jdbc:kaiwudb://[::1]:26257/tsdb?user=x' },
      get: (c: SinkConfig) => c.connection.url,
      want: 'jdbc:kaiwudb://[::1]:26257/tsdb?user=x',
    },
    {
      name: 'a blank optional key as absent',
      patch: { 'key.converter': '', 'connection.user': '  ' },
      get: (c: SinkConfig) => [c.keyConverter, c.connection.user],
      want: [undefined, undefined],
    },
    {
      name: 'a password already wrapped in Secret',
      patch: { 'connection.password': new Secret('s3cret') },
      get: (c: SinkConfig) => c.connection.password?.reveal(),
      want: 's3cret',
    },
    {
      name: 'a password with spaces, not trimmed',
      patch: { 'connection.password': ' pw ' },
      get: (c: SinkConfig) => c.connection.password?.reveal(),
      want: ' pw ',
    },
    {
      name: 's precision for line_opentsdb',
      patch: { 'protocol.type': 'line_opentsdb', 'timestamp.precision': 's' },
      get: (c: SinkConfig) => c.timestampPrecision,
      want: 's',
    },
    {
      name: 'ns precision for line_influxdb',
      patch: { 'protocol.type': 'line_influxdb', 'timestamp.precision': 'ns' },
      get: (c: SinkConfig) => c.timestampPrecision,
      want: 'ns',
    },
  ])('sink: $name', ({ patch, get, want }) => {
    expect(get(sink(patch))).toEqual(want);
  });

  it.each([
    {
      name: 'a leap day timestamp.initial',
      patch: { 'timestamp.initial': '2024-02-29 23:59:59' },
      get: (c: SourceConfig) => c.timestampInitial,
      want: '2024-02-29 23:59:59',
    },
    {
      name: 'booleans as strings',
      patch: { 'topic.per.stable': 'false', 'topic.ignore.db': 'true' },
      get: (c: SourceConfig) => [c.topicPerStable, c.topicIgnoreDb],
      want: [false, true],
    },
    {
      name: 'exactly-once enabled',
      patch: { 'exactly.once.source.support': 'enabled' },
      get: (c: SourceConfig) => c.exactlyOnceSourceSupport,
      want: 'enabled',
    },
    {
      name: 'an empty topic.delimiter',
      patch: { 'topic.delimiter': '' },
      get: (c: SourceConfig) => c.topicDelimiter,
      want: '',
    },
  ])('source: $name', ({ patch, get, want }) => {
    expect(get(source(patch))).toEqual(want);
  });

  it.each([
    ['com.kaiwudb.kafka.connect.sink.KwdbSinkConnector', 'sink'],
    ['KwdbSinkConnector', 'sink'],
    ['KwdbSink', 'sink'],
    ['com.kaiwudb.kafka.connect.source.KwdbSourceConnector', 'source'],
    ['KwdbSourceConnector', 'source'],
    ['KwdbSource', 'source'],
  ])('connector.class %s is a %s connector with the full class name', (value, kind) => {
    const base = kind === 'sink' ? MIN_SINK : MIN_SOURCE;
    const config = parseOk({ ...base, 'connector.class': value });
    expect(config.kind).toBe(kind);
    expect(config.connectorClass).toBe(
      `com.kaiwudb.kafka.connect.${kind}.Kwdb${kind === 'sink' ? 'Sink' : 'Source'}Connector`,
    );
  });
});

const CONVERTER_RULE =
  'only org.apache.kafka.connect.storage.StringConverter is supported, because records are plain text in one ' +
  'of the four message formats (json_kaiwudb, json_opentsdb, line_opentsdb, line_influxdb)';
const URL_RULE =
  'must look like jdbc:kaiwudb://host[:port][/database][?params] or postgres://host[:port][/database][?params]';
const TOPIC_RULE = "is not a valid Kafka topic name (letters, digits, '.', '_', '-'; at most 249 characters)";

describe('validator failures', () => {
  it.each([
    {
      name: 'tasks.max not a number',
      patch: { 'tasks.max': 'abc' },
      want: 'tasks.max: must be an integer >= 1, got "abc"',
    },
    { name: 'tasks.max zero', patch: { 'tasks.max': 0 }, want: 'tasks.max: must be an integer >= 1, got 0' },
    {
      name: 'tasks.max a fraction',
      patch: { 'tasks.max': '1.5' },
      want: 'tasks.max: must be an integer >= 1, got "1.5"',
    },
    {
      name: 'tasks.max above int range',
      patch: { 'tasks.max': 2147483648 },
      want: 'tasks.max: must be an integer >= 1, got 2147483648',
    },
    {
      name: 'batch.size not a number',
      patch: { 'batch.size': 'abc' },
      want: 'batch.size: must be an integer >= 1, got "abc"',
    },
    {
      name: 'batch.size zero',
      patch: { 'batch.size': '0' },
      want: 'batch.size: must be an integer >= 1, got "0"',
    },
    {
      name: 'connection.attempts zero',
      patch: { 'connection.attempts': 0 },
      want: 'connection.attempts: must be an integer >= 1, got 0',
    },
    {
      name: 'connection.backoff.ms negative',
      patch: { 'connection.backoff.ms': -1 },
      want: 'connection.backoff.ms: must be an integer >= 0, got -1',
    },
    {
      name: 'max.retries negative',
      patch: { 'max.retries': '-1' },
      want: 'max.retries: must be an integer >= 0, got "-1"',
    },
    {
      name: 'retry.backoff.ms a word',
      patch: { 'retry.backoff.ms': 'soon' },
      want: 'retry.backoff.ms: must be an integer >= 0, got "soon"',
    },
    {
      name: 'connection.pool.max out of range',
      patch: { 'connection.pool.max': 0 },
      want: 'connection.pool.max: must be an integer between 1 and 1000, got 0',
    },
    {
      name: 'DLQ replication factor zero',
      patch: { 'errors.deadletterqueue.topic.replication.factor': 0 },
      want: 'errors.deadletterqueue.topic.replication.factor: must be an integer between 1 and 32767, got 0',
    },
    {
      name: 'errors.retry.timeout below -1',
      patch: { 'errors.retry.timeout': -2 },
      want: 'errors.retry.timeout: must be an integer >= -1, got -2',
    },
    {
      name: 'protocol.type missing',
      patch: { 'protocol.type': undefined },
      want: 'protocol.type: is required and has no default value',
    },
    {
      name: 'protocol.type unknown',
      patch: { 'protocol.type': 'csv' },
      want: 'protocol.type: must be one of json_kaiwudb, json_opentsdb, line_opentsdb, line_influxdb, got "csv"',
    },
    {
      name: 'timestamp.precision unknown',
      patch: { 'timestamp.precision': 'seconds' },
      want: 'timestamp.precision: must be one of s, ms, us, ns, got "seconds"',
    },
    {
      name: 's precision with json_kaiwudb',
      patch: { 'timestamp.precision': 's' },
      want: 'timestamp.precision: "s" is not supported by protocol.type json_kaiwudb; use one of ms, us, ns',
    },
    {
      name: 'ns precision with json_opentsdb',
      patch: { 'protocol.type': 'json_opentsdb', 'timestamp.precision': 'ns' },
      want: 'timestamp.precision: "ns" is not supported by protocol.type json_opentsdb; use one of s, ms',
    },
    {
      name: 'us precision with line_opentsdb',
      patch: { 'protocol.type': 'line_opentsdb', 'timestamp.precision': 'us' },
      want: 'timestamp.precision: "us" is not supported by protocol.type line_opentsdb; use one of s, ms',
    },
    {
      name: 's precision with line_influxdb',
      patch: { 'protocol.type': 'line_influxdb', 'timestamp.precision': 's' },
      want: 'timestamp.precision: "s" is not supported by protocol.type line_influxdb; use one of ms, us, ns',
    },
    {
      name: 'errors.tolerance unknown',
      patch: { 'errors.tolerance': 'some' },
      want: 'errors.tolerance: must be one of none, all, got "some"',
    },
    {
      name: 'errors.log.enable not a boolean',
      patch: { 'errors.log.enable': 'yes' },
      want: 'errors.log.enable: must be true or false, got "yes"',
    },
    {
      name: 'connection.sslmode unknown',
      patch: { 'connection.sslmode': 'on' },
      want: 'connection.sslmode: must be one of disable, allow, prefer, require, verify-ca, verify-full, got "on"',
    },
    {
      name: 'dialect unknown',
      patch: { dialect: 'mysql' },
      want: 'dialect: must be one of auto, kwdb, postgres, got "mysql"',
    },
    {
      name: 'key.converter JSON',
      patch: { 'key.converter': 'org.apache.kafka.connect.json.JsonConverter' },
      want: `key.converter: ${CONVERTER_RULE}; got "org.apache.kafka.connect.json.JsonConverter"`,
    },
    {
      name: 'value.converter Avro',
      patch: { 'value.converter': 'io.confluent.connect.avro.AvroConverter' },
      want: `value.converter: ${CONVERTER_RULE}; got "io.confluent.connect.avro.AvroConverter"`,
    },
    {
      name: 'connector.class unknown',
      patch: { 'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector' },
      want:
        'connector.class: unknown connector class "io.confluent.connect.jdbc.JdbcSinkConnector"; use one of ' +
        'com.kaiwudb.kafka.connect.sink.KwdbSinkConnector, KwdbSinkConnector, KwdbSink, ' +
        'com.kaiwudb.kafka.connect.source.KwdbSourceConnector, KwdbSourceConnector, KwdbSource',
    },
    {
      name: 'connector.class missing',
      patch: { 'connector.class': undefined },
      want: 'connector.class: is required and has no default value',
    },
    { name: 'name missing', patch: { name: undefined }, want: 'name: is required and has no default value' },
    { name: 'name empty', patch: { name: '' }, want: 'name: must not be empty' },
    {
      name: 'name with a newline',
      patch: { name: 'a\nb' },
      want: 'name: must not contain control characters, got "a\\nb"',
    },
    {
      name: 'connection.database empty',
      patch: { 'connection.database': ' ' },
      want: 'connection.database: must not be empty',
    },
    {
      name: 'connection.url missing',
      patch: { 'connection.url': undefined },
      want: 'connection.url: is required and has no default value',
    },
    {
      name: 'connection.url of another database',
      patch: { 'connection.url': 'mysql://h:3306' },
      want: `connection.url: ${URL_RULE}, got "mysql://h:3306"`,
    },
    {
      name: 'connection.url without host',
      patch: { 'connection.url': 'jdbc:kaiwudb://' },
      want: `connection.url: ${URL_RULE}, got "jdbc:kaiwudb://"`,
    },
    {
      name: 'connection.url with a bad port',
      patch: { 'connection.url': 'jdbc:kaiwudb://h:70000' },
      want: 'connection.url: port must be between 1 and 65535, got 70000',
    },
    {
      name: 'connection.url with a password',
      patch: { 'connection.url': 'postgres://u:secret@h/db' },
      want: 'connection.url: must not contain a password; set connection.password instead',
    },
    {
      name: 'connection.user an object',
      patch: { 'connection.user': { a: 1 } },
      want: 'connection.user: must be a string, got an object',
    },
    {
      name: 'topics with an empty entry',
      patch: { topics: 'a,,b' },
      want: 'topics: must not contain empty entries, got "a,,b"',
    },
    {
      name: 'topics with a bad name',
      patch: { topics: 'a,bad topic' },
      want: `topics: "bad topic" ${TOPIC_RULE}`,
    },
    {
      name: 'DLQ topic with a bad name',
      patch: { 'errors.deadletterqueue.topic.name': 'dl q' },
      want: `errors.deadletterqueue.topic.name: "dl q" ${TOPIC_RULE}`,
    },
    {
      name: 'topics naming the DLQ topic',
      patch: { topics: 'a,dlq', 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'dlq' },
      want: 'topics: must not include the dead letter queue topic "dlq"',
    },
    {
      name: 'topics.regex matching the DLQ topic',
      patch: { topics: undefined, 'topics.regex': 'd.*', 'errors.deadletterqueue.topic.name': 'dlq' },
      want: 'topics.regex: must not match the dead letter queue topic "dlq"',
    },
  ])('sink: $name', ({ patch, want }) => {
    expect(messages({ ...MIN_SINK, ...patch })).toEqual([want]);
  });

  it.each([
    {
      name: 'out.format missing',
      patch: { 'out.format': undefined },
      want: 'out.format: is required and has no default value',
    },
    {
      name: 'out.format unknown',
      patch: { 'out.format': 'avro' },
      want: 'out.format: must be one of json_kaiwudb, json_opentsdb, line_opentsdb, line_influxdb, got "avro"',
    },
    {
      name: 'ns precision with json_opentsdb output',
      patch: { 'out.format': 'json_opentsdb', 'timestamp.precision': 'ns' },
      want: 'timestamp.precision: "ns" is not supported by out.format json_opentsdb; use one of s, ms',
    },
    {
      name: 'read.method other than query',
      patch: { 'read.method': 'stream' },
      want: 'read.method: must be one of query, got "stream"',
    },
    {
      name: 'topic.per.stable not a boolean',
      patch: { 'topic.per.stable': 'maybe' },
      want: 'topic.per.stable: must be true or false, got "maybe"',
    },
    {
      name: 'topic.prefix with a slash',
      patch: { 'topic.prefix': 'kw/x' },
      want: `topic.prefix: may contain only letters, digits, '.', '_' and '-' (it becomes part of topic names), got "kw/x"`,
    },
    {
      name: 'timestamp.initial in ISO form',
      patch: { 'timestamp.initial': '2024-01-22T22:22:22' },
      want: 'timestamp.initial: must be a date and time as yyyy-MM-dd HH:mm:ss, got "2024-01-22T22:22:22"',
    },
    {
      name: 'timestamp.initial on a day that does not exist',
      patch: { 'timestamp.initial': '2023-02-29 00:00:00' },
      want: 'timestamp.initial: must be a date and time as yyyy-MM-dd HH:mm:ss, got "2023-02-29 00:00:00"',
    },
    {
      name: 'timestamp.initial at hour 24',
      patch: { 'timestamp.initial': '2024-01-01 24:00:00' },
      want: 'timestamp.initial: must be a date and time as yyyy-MM-dd HH:mm:ss, got "2024-01-01 24:00:00"',
    },
    {
      name: 'poll.interval.ms zero',
      patch: { 'poll.interval.ms': 0 },
      want: 'poll.interval.ms: must be an integer >= 1, got 0',
    },
    {
      name: 'fetch.max.rows zero',
      patch: { 'fetch.max.rows': '0' },
      want: 'fetch.max.rows: must be an integer >= 1, got "0"',
    },
    {
      name: 'query.interval.ms zero',
      patch: { 'query.interval.ms': 0 },
      want: 'query.interval.ms: must be an integer >= 1, got 0',
    },
    {
      name: 'timestamp.delay.interval.ms negative',
      patch: { 'timestamp.delay.interval.ms': -5 },
      want: 'timestamp.delay.interval.ms: must be an integer >= 0, got -5',
    },
    {
      name: 'exactly.once.source.support unknown',
      patch: { 'exactly.once.source.support': 'required' },
      want: 'exactly.once.source.support: must be one of enabled, disabled, got "required"',
    },
  ])('source: $name', ({ patch, want }) => {
    expect(messages({ ...MIN_SOURCE, ...patch })).toEqual([want]);
  });

  it('topics.regex that does not compile names the key', () => {
    expect(messages({ ...MIN_SINK, topics: undefined, 'topics.regex': '(' })).toEqual([
      expect.stringMatching(/^topics\.regex: is not a valid regular expression: /),
    ]);
  });

  it.each([
    {
      name: 'both topics and topics.regex',
      patch: { 'topics.regex': 'kw-.*' },
      text: 'topics and topics.regex are mutually exclusive options, but both are set',
    },
    {
      name: 'neither topics nor topics.regex',
      patch: { topics: undefined },
      text: 'must configure one of topics or topics.regex',
    },
    {
      name: 'an empty topics and no regex',
      patch: { topics: '' },
      text: 'must configure one of topics or topics.regex',
    },
  ])('$name is reported on both keys', ({ patch, text }) => {
    expect(messages({ ...MIN_SINK, ...patch })).toEqual([`topics: ${text}`, `topics.regex: ${text}`]);
  });
});

describe('several problems at once', () => {
  it('reports every problem, each naming its key, in table order', () => {
    const raw = {
      'connector.class': 'KwdbSink',
      'tasks.max': 'many',
      'connection.url': 'http://x',
      'batch.size': 0,
      'protocol.type': 'json',
      'errors.tolerance': 'most',
    };
    expect(messages(raw)).toEqual([
      'name: is required and has no default value',
      'tasks.max: must be an integer >= 1, got "many"',
      'connection.url: ' + URL_RULE + ', got "http://x"',
      'connection.database: is required and has no default value',
      'protocol.type: must be one of json_kaiwudb, json_opentsdb, line_opentsdb, line_influxdb, got "json"',
      'batch.size: must be an integer >= 1, got 0',
      'errors.tolerance: must be one of none, all, got "most"',
      'topics: must configure one of topics or topics.regex',
      'topics.regex: must configure one of topics or topics.regex',
    ]);
  });

  it('without a known connector.class still checks the keys both connectors share', () => {
    expect(messages({ 'connector.class': 'Nope', 'tasks.max': 0 })).toEqual([
      'name: is required and has no default value',
      expect.stringMatching(/^connector\.class: unknown connector class "Nope"/),
      'tasks.max: must be an integer >= 1, got 0',
      'connection.url: is required and has no default value',
      'connection.database: is required and has no default value',
    ]);
  });

  it.each([
    { name: 'null', raw: null },
    { name: 'an array', raw: [] },
    { name: 'a string', raw: 'tasks.max=1' },
  ])('a body that is $name is one problem, not a crash', ({ raw }) => {
    const result = parseConnectorConfig(raw as unknown as Record<string, unknown>);
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([
      'config: must be a JSON object',
      'name: is required and has no default value',
      'connector.class: is required and has no default value',
      'connection.url: is required and has no default value',
      'connection.database: is required and has no default value',
    ]);
  });

  it('a request whose config names another connector is a problem on name', () => {
    const request = { name: 'a', config: { ...MIN_SINK, name: 'b' } };
    expect(messages(request)).toEqual(['name: "b" in config does not match the connector name "a"']);
  });

  it('ConfigError carries the problems, a stable code, and one line per problem', () => {
    let caught: unknown;
    try {
      parseConnectorConfigOrThrow({ ...MIN_SINK, 'batch.size': 'abc', 'tasks.max': 0 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.problems.map((p) => p.key)).toEqual(['tasks.max', 'batch.size']);
    expect(error.message).toBe(
      'Connector configuration is invalid and contains the following 2 error(s):\n' +
        'tasks.max: must be an integer >= 1, got 0\n' +
        'batch.size: must be an integer >= 1, got "abc"',
    );
  });
});

describe('the typed config', () => {
  it('is frozen all the way down', () => {
    const config = sink({ topics: 'a,b' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.connection)).toBe(true);
    expect(Object.isFrozen(config.errors)).toBe(true);
    expect(Object.isFrozen(config.topics)).toBe(true);
    expect(() => {
      (config as { batchSize: number }).batchSize = 1;
    }).toThrow(TypeError);
  });

  it('keeps unknown keys in passthrough without freezing the caller’s objects', () => {
    const nested = { x: 1 };
    const config = sink({ transforms: 'route', 'consumer.override.max.poll.records': '500', custom: nested });
    expect(config.passthrough).toEqual({
      transforms: 'route',
      'consumer.override.max.poll.records': '500',
      custom: { x: 1 },
    });
    expect(Object.isFrozen(nested)).toBe(false);
  });

  it('keeps keys of the other connector kind in passthrough', () => {
    expect(source({ 'batch.size': 5 }).passthrough).toEqual({ 'batch.size': 5 });
  });

  it('does not change its input', () => {
    const raw = { ...MIN_SINK, 'tasks.max': '2' };
    const copy = structuredClone(raw);
    parseConnectorConfig(raw);
    expect(raw).toEqual(copy);
  });
});

describe('warnings', () => {
  it.each([
    {
      name: 'an unknown key',
      raw: { ...MIN_SINK, 'batch.sise': 10 },
      want: ['batch.sise: is not a configuration of this connector; it is kept but not used'],
    },
    {
      name: 'a source key in a sink',
      raw: { ...MIN_SINK, 'fetch.max.rows': 10 },
      want: ['fetch.max.rows: applies only to source connectors; it is ignored by a sink connector'],
    },
    {
      name: 'a sink key in a source',
      raw: { ...MIN_SOURCE, 'batch.size': 10 },
      want: ['batch.size: applies only to sink connectors; it is ignored by a source connector'],
    },
    {
      name: 'a dead letter queue without errors.tolerance=all',
      raw: { ...MIN_SINK, 'errors.deadletterqueue.topic.name': 'dlq' },
      want: ['errors.deadletterqueue.topic.name: has no effect while errors.tolerance is none'],
    },
    { name: 'nothing for a clean config', raw: { ...MIN_SOURCE }, want: [] },
  ])('$name', ({ raw, want }) => {
    expect(configWarnings(raw).map((w) => w.message)).toEqual(want);
    expect(parseConnectorConfig(raw).ok).toBe(true);
  });
});
