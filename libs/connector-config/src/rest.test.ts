import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { CONFIG_KEYS, describeConfigKeys, keysFor, validateForRest, type ConfigInfos } from './index';
import { MIN_SINK, MIN_SOURCE, readTestdata, readTestdataJson } from './test-helpers';

/**
 * The shape of a JSON value: objects by their sorted keys, arrays of strings (Java List<String>, even
 * when empty) as 'string[]', other arrays by the distinct shapes of their elements, scalars by type.
 * null counts as a string: Kafka Connect's nullable fields (default_value, value, group) are Java Strings.
 */
function shape(value: unknown): unknown {
  if (value === null) return 'string';
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return 'string[]';
  if (Array.isArray(value)) {
    const shapes = [...new Set(value.map((item) => JSON.stringify(shape(item))))];
    return shapes.map((s) => JSON.parse(s) as unknown);
  }
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((key) => [key, shape((value as Record<string, unknown>)[key])]),
    );
  }
  return typeof value;
}

const INVALID_SINK = {
  ...MIN_SINK,
  'connection.password': 'secret',
  'batch.size': 'abc',
  'timestamp.precision': 's',
  'errors.tolerance': 'some',
};

describe('validateForRest (PUT /connector-plugins/{plugin}/config/validate)', () => {
  it("has exactly the shape of Kafka Connect's ConfigInfos", () => {
    const reference = readTestdataJson('kafka-connect-validate-response.json');
    // Every entry of both has one and the same shape, so each `configs` shape is a single element.
    expect(shape(validateForRest(INVALID_SINK))).toEqual(shape(reference));
    expect(shape(validateForRest(readTestdataJson('guide-source.json')))).toEqual(shape(reference));
  });

  it('matches the golden response for an invalid sink (UPDATE_GOLDEN=1 rewrites it)', () => {
    const ours = validateForRest(INVALID_SINK);
    const file = 'validate-sink-invalid.expected.json';
    if (process.env['UPDATE_GOLDEN'] === '1') {
      writeFileSync(new URL(`../testdata/${file}`, import.meta.url), `${JSON.stringify(ours, null, 2)}\n`);
    }
    expect(ours).toEqual(JSON.parse(readTestdata(file)) as ConfigInfos);
  });

  it('counts every error, names the plugin by the guide class, lists the groups in order', () => {
    const ours = validateForRest(INVALID_SINK);
    expect(ours.name).toBe('com.kaiwudb.kafka.connect.sink.KwdbSinkConnector');
    expect(ours.error_count).toBe(3);
    expect(ours.groups).toEqual(['Common', 'Connection', 'Format', 'Sink', 'Error Handling']);
    const errors = Object.fromEntries(
      ours.configs.filter((c) => c.value.errors.length > 0).map((c) => [c.value.name, c.value.errors]),
    );
    expect(errors).toEqual({
      'batch.size': ['batch.size: must be an integer >= 1, got "abc"'],
      'timestamp.precision': [
        'timestamp.precision: "s" is not supported by protocol.type json_kaiwudb; use one of ms, us, ns',
      ],
      'errors.tolerance': ['errors.tolerance: must be one of none, all, got "some"'],
    });
  });

  it.each([
    {
      name: "the guide's sink",
      file: 'guide-sink.json',
      plugin: 'com.kaiwudb.kafka.connect.sink.KwdbSinkConnector',
    },
    {
      name: "the guide's source",
      file: 'guide-source.json',
      plugin: 'com.kaiwudb.kafka.connect.source.KwdbSourceConnector',
    },
  ])('$name has no error and its password hidden', ({ file, plugin }) => {
    const raw = readTestdataJson(file)['config'] as Record<string, unknown>;
    const ours = validateForRest({ ...raw, name: 'x' });
    expect(ours.name).toBe(plugin);
    expect(ours.error_count).toBe(0);
    const password = ours.configs.find((c) => c.definition.name === 'connection.password');
    expect(password?.value.value).toBe('[hidden]');
    expect(JSON.stringify(ours)).not.toContain('<password>');
  });

  it('reports values as strings: written values as given, else the default, else null', () => {
    const ours = validateForRest({ ...MIN_SOURCE, 'tasks.max': 2, 'topic.per.stable': false });
    const value = (name: string) => ours.configs.find((c) => c.value.name === name)?.value.value;
    expect(value('tasks.max')).toBe('2');
    expect(value('topic.per.stable')).toBe('false');
    expect(value('fetch.max.rows')).toBe('100');
    expect(value('timestamp.initial')).toBeNull();
  });

  it('counts both errors of topics/topics.regex like Kafka Connect', () => {
    const ours = validateForRest({ ...MIN_SINK, topics: undefined });
    expect(ours.error_count).toBe(2);
  });

  it('uses the plugin of the URL when given, and only shared keys when no kind is known', () => {
    expect(validateForRest({ name: 'x' }, 'source').name).toBe(
      'com.kaiwudb.kafka.connect.source.KwdbSourceConnector',
    );
    const unknown = validateForRest({ name: 'x', 'connector.class': 'Foo' });
    expect(unknown.name).toBe('Foo');
    expect(unknown.configs.map((c) => c.definition.name)).toEqual(keysFor(undefined).map((d) => d.name));
    expect(unknown.configs.find((c) => c.definition.name === 'connector.class')?.value.errors).toHaveLength(
      1,
    );
  });
});

describe('describeConfigKeys (GET /connector-plugins/{plugin}/config)', () => {
  it.each(['sink', 'source'] as const)('lists every %s key as a ConfigKeyInfo', (kind) => {
    const infos = describeConfigKeys(kind);
    expect(infos.map((i) => i.name)).toEqual(keysFor(kind).map((d) => d.name));
    const reference = readTestdataJson('kafka-connect-validate-response.json');
    const referenceDefinition = shape((reference['configs'] as { definition: unknown }[])[0]?.definition);
    for (const info of infos) expect(shape(info)).toEqual(referenceDefinition);
  });

  it.each([
    { name: 'batch.size', want: { type: 'INT', required: false, default_value: '1000', group: 'Sink' } },
    { name: 'retry.backoff.ms', want: { type: 'INT', default_value: '3' } },
    {
      name: 'protocol.type',
      want: { type: 'STRING', required: true, default_value: null, dependents: ['timestamp.precision'] },
    },
    { name: 'connection.password', want: { type: 'PASSWORD', required: false, default_value: null } },
    { name: 'topics', want: { type: 'LIST', required: false, default_value: null, order: 4 } },
    { name: 'errors.retry.timeout', want: { type: 'LONG', default_value: '0', group: 'Error Handling' } },
    { name: 'errors.log.enable', want: { type: 'BOOLEAN', default_value: 'false' } },
  ])('sink key $name', ({ name, want }) => {
    expect(describeConfigKeys('sink').find((i) => i.name === name)).toMatchObject(want);
  });

  it('numbers keys from 1 within each group', () => {
    for (const kind of ['sink', 'source'] as const) {
      const byGroup = new Map<string, number[]>();
      for (const info of describeConfigKeys(kind)) {
        byGroup.set(info.group, [...(byGroup.get(info.group) ?? []), info.order]);
      }
      for (const orders of byGroup.values()) expect(orders).toEqual(orders.map((_, i) => i + 1));
    }
  });

  it('every key belongs to at least one connector', () => {
    const described = new Set(
      [...describeConfigKeys('sink'), ...describeConfigKeys('source')].map((i) => i.name),
    );
    expect(CONFIG_KEYS.filter((d) => !described.has(d.name))).toEqual([]);
  });
});
