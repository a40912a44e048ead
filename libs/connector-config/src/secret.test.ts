import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import {
  ConfigError,
  Secret,
  mergeSecrets,
  parseConnectorConfig,
  redactConfig,
  splitSecrets,
  validateForRest,
  type SinkConfig,
} from './index';
import { MIN_SINK, readTestdataJson } from './test-helpers';

const PASSWORD = 'Tr0ub4dor&3-never-shown';

function parsedWithPassword(): SinkConfig {
  const result = parseConnectorConfig({ ...MIN_SINK, 'connection.password': PASSWORD });
  if (!result.ok || result.config.kind !== 'sink') throw new Error('expected a valid sink');
  return result.config;
}

describe('Secret', () => {
  const secret = new Secret(PASSWORD);
  const config = parsedWithPassword();

  it.each([
    { name: 'String()', render: () => String(secret) },
    { name: 'a template string', render: () => `password=${secret}` },
    { name: 'JSON.stringify of the secret', render: () => JSON.stringify(secret) },
    { name: 'JSON.stringify of the parsed config', render: () => JSON.stringify(config) },
    { name: 'util.inspect of the secret', render: () => inspect(secret) },
    { name: 'util.inspect of the parsed config, any depth', render: () => inspect(config, { depth: null }) },
    { name: 'string concatenation', render: () => 'pw: ' + secret },
    { name: 'Object.keys and entries', render: () => JSON.stringify(Object.entries(secret)) },
  ])('$name never shows the password', ({ render }) => {
    const text = render();
    expect(text).not.toContain(PASSWORD);
  });

  it.each([
    { name: 'String()', render: () => String(secret), want: '[hidden]' },
    { name: 'JSON.stringify', render: () => JSON.stringify({ p: secret }), want: '{"p":"[hidden]"}' },
    { name: 'util.inspect', render: () => inspect({ p: secret }), want: '{ p: [hidden] }' },
  ])('$name shows [hidden]', ({ render, want }) => {
    expect(render()).toBe(want);
  });

  it('reveal() gives the value', () => {
    expect(secret.reveal()).toBe(PASSWORD);
    expect(config.connection.password?.reveal()).toBe(PASSWORD);
  });
});

describe('error messages never contain the password', () => {
  it.each([
    {
      name: 'a config with other problems',
      raw: { ...MIN_SINK, 'connection.password': PASSWORD, 'batch.size': 'x', 'tasks.max': 0 },
    },
    {
      name: 'a password of the wrong type',
      raw: { ...MIN_SINK, 'connection.password': { value: PASSWORD } },
    },
    {
      name: 'a password inside the URL',
      raw: { ...MIN_SINK, 'connection.url': `postgres://u:${PASSWORD}@h/db` },
    },
    {
      name: 'a URL of the wrong shape with a password',
      raw: { ...MIN_SINK, 'connection.url': `mysql://u:${PASSWORD}@h` },
    },
  ])('$name', ({ raw }) => {
    const result = parseConnectorConfig(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const error = new ConfigError(result.errors);
    expect(error.message).not.toContain(PASSWORD);
    expect(JSON.stringify(result.errors)).not.toContain(PASSWORD);
    expect(inspect(error)).not.toContain(PASSWORD);
    expect(JSON.stringify(validateForRest(raw))).not.toContain(PASSWORD);
  });

  it('a password of the wrong type is reported without its value', () => {
    const result = parseConnectorConfig({ ...MIN_SINK, 'connection.password': [PASSWORD] });
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([
      'connection.password: must be a string',
    ]);
  });
});

describe('redactConfig', () => {
  it.each([
    {
      name: 'a flat config',
      raw: { ...MIN_SINK, 'connection.password': PASSWORD },
      want: { ...MIN_SINK, 'connection.password': '[hidden]' },
    },
    {
      name: "the guide's request shape",
      raw: readTestdataJson('guide-sink.json'),
      want: {
        ...readTestdataJson('guide-sink.json'),
        config: {
          ...(readTestdataJson('guide-sink.json')['config'] as object),
          'connection.password': '[hidden]',
        },
      },
    },
    {
      name: 'a passed-through key naming a password',
      raw: { ...MIN_SINK, 'consumer.override.ssl.key.password': PASSWORD },
      want: { ...MIN_SINK, 'consumer.override.ssl.key.password': '[hidden]' },
    },
    {
      name: 'a password inside connection.url',
      raw: { ...MIN_SINK, 'connection.url': `postgres://kwdb:${PASSWORD}@h:5432/db` },
      want: { ...MIN_SINK, 'connection.url': 'postgres://kwdb:[hidden]@h:5432/db' },
    },
    { name: 'a config without password', raw: { ...MIN_SINK }, want: { ...MIN_SINK } },
  ])('$name', ({ raw, want }) => {
    const before = structuredClone(raw);
    expect(redactConfig(raw)).toEqual(want);
    expect(raw).toEqual(before);
  });
});

describe('splitSecrets and mergeSecrets', () => {
  it('splits the password out of a flat config and merges it back', () => {
    const raw = { ...MIN_SINK, 'connection.password': PASSWORD };
    const { publicConfig, secrets } = splitSecrets(raw);
    expect(publicConfig).toEqual(MIN_SINK);
    expect(JSON.stringify(publicConfig)).not.toContain(PASSWORD);
    expect(secrets).toEqual({ 'connection.password': PASSWORD });
    expect(mergeSecrets(publicConfig, secrets)).toEqual(raw);
  });

  it("splits the guide's request shape, keeping the shape", () => {
    const raw = readTestdataJson('guide-source.json');
    const { publicConfig, secrets } = splitSecrets(raw);
    expect(secrets).toEqual({ 'connection.password': '<password>' });
    expect(publicConfig['name']).toBe('KwdbSourceConnector');
    expect(publicConfig['config']).not.toHaveProperty('connection.password');
    expect(mergeSecrets(publicConfig, secrets)).toEqual(raw);
  });

  it.each([null, [], 'text'])('redactConfig and splitSecrets accept a body with no keys (%p)', (raw) => {
    const body = raw as unknown as Record<string, unknown>;
    expect(redactConfig(body)).toBe(body);
    expect(splitSecrets(body).secrets).toEqual({});
  });

  it('gives no secrets when there is no password, and a Secret is revealed into the store', () => {
    expect(splitSecrets(MIN_SINK)).toEqual({ publicConfig: MIN_SINK, secrets: {} });
    expect(mergeSecrets(MIN_SINK, {})).toEqual(MIN_SINK);
    const split = splitSecrets({ ...MIN_SINK, 'connection.password': new Secret(PASSWORD) });
    expect(split.secrets).toEqual({ 'connection.password': PASSWORD });
  });
});
