import { describe, expect, it } from '@jest/globals';
import { workerControlOf } from '@kwdb-connect/runtime';
import { desiredConfigMap, desiredDeployment, interpret, workerConfigFile } from './desired';
import { SETTINGS, sinkResource } from './test-fixtures';
import {
  controlFields,
  LOG_LEVELS_KEY,
  logLevelsConfigMapName,
  logLevelsData,
  logLevelsOf,
  nextTopicsResetAt,
  NO_CONTROLS,
  topicsResetAtOf,
  withLogLevel,
  type WorkerFileControls,
} from './worker-controls';

type Ok = Extract<ReturnType<typeof interpret>, { ok: true }>;
function ok(resource = sinkResource()): Ok {
  const c = interpret(resource);
  if (!c.ok) throw new Error(c.problems.join('; '));
  return c;
}

describe('the log-levels ConfigMap', () => {
  it('is named after the operator Lease', () => {
    expect(logLevelsConfigMapName('kwdb-connect-operator')).toBe('kwdb-connect-operator-log-levels');
  });

  it.each<{ name: string; data: Record<string, string> | undefined; expected: unknown[] }>([
    { name: 'no ConfigMap', data: undefined, expected: [] },
    { name: 'no key', data: {}, expected: [] },
    { name: 'not JSON', data: { [LOG_LEVELS_KEY]: '[{' }, expected: [] },
    { name: 'not a list', data: { [LOG_LEVELS_KEY]: '{"logger":"root"}' }, expected: [] },
    {
      name: 'valid entries in order, invalid ones left out',
      data: {
        [LOG_LEVELS_KEY]: JSON.stringify([
          { logger: 'root', level: 'WARN' },
          { logger: 'sink-worker', level: 'LOUD' },
          { logger: '', level: 'INFO' },
          { logger: 'sink-worker', level: 'debug' },
        ]),
      },
      expected: [
        { logger: 'root', level: 'WARN' },
        { logger: 'sink-worker', level: 'debug' },
      ],
    },
  ])('levels of $name', ({ data, expected }) => {
    expect(logLevelsOf(data)).toEqual(expected);
  });

  it.each([
    { name: 'first level', before: [], set: ['root', 'INFO'], expected: [['root', 'INFO']] },
    {
      name: 'a new logger goes last',
      before: [['root', 'INFO']],
      set: ['sink-worker', 'DEBUG'],
      expected: [
        ['root', 'INFO'],
        ['sink-worker', 'DEBUG'],
      ],
    },
    {
      name: 'a logger set again moves to the end (applied after root)',
      before: [
        ['sink-worker', 'DEBUG'],
        ['root', 'WARN'],
      ],
      set: ['sink-worker', 'TRACE'],
      expected: [
        ['root', 'WARN'],
        ['sink-worker', 'TRACE'],
      ],
    },
  ])('withLogLevel: $name', ({ before, set, expected }) => {
    const levels = before.map(([logger, level]) => ({ logger: logger!, level: level! }));
    const after = withLogLevel(levels, set[0]!, set[1]!);
    expect(after.map((s) => [s.logger, s.level])).toEqual(expected);
    // What is written reads back the same.
    expect(logLevelsOf(logLevelsData(after))).toEqual(after);
  });
});

describe('the topics-reset annotation', () => {
  const T = Date.parse('2026-12-04T10:00:00.000Z');
  it.each([
    { name: 'absent', value: undefined, expected: undefined },
    { name: 'not a time', value: 'yesterday', expected: undefined },
    { name: 'an ISO time', value: '2026-12-04T10:00:00.000Z', expected: T },
  ])('topicsResetAtOf: $name', ({ value, expected }) => {
    expect(topicsResetAtOf(value)).toBe(expected);
  });

  it.each([
    { name: 'first reset: now', previous: undefined, now: T, expected: '2026-12-04T10:00:00.000Z' },
    {
      name: 'later reset: now',
      previous: '2026-12-04T09:00:00.000Z',
      now: T,
      expected: '2026-12-04T10:00:00.000Z',
    },
    {
      name: 'two resets in one millisecond (or a clock behind): still a new value',
      previous: '2026-12-04T10:00:00.000Z',
      now: T,
      expected: '2026-12-04T10:00:00.001Z',
    },
  ])('nextTopicsResetAt: $name', ({ previous, now, expected }) => {
    expect(nextTopicsResetAt(previous, now)).toBe(expected);
  });
});

describe('the worker config file with controls', () => {
  const levels = [
    { logger: 'root', level: 'INFO' },
    { logger: 'sink-worker', level: 'DEBUG' },
  ];
  it.each<{ name: string; controls: WorkerFileControls; fields: Record<string, unknown> }>([
    { name: 'none: the file as before', controls: NO_CONTROLS, fields: {} },
    {
      name: 'cluster log levels',
      controls: { logLevels: levels, activeTopicsResetAt: undefined },
      fields: { logLevels: levels },
    },
    {
      name: 'a topics reset',
      controls: { logLevels: [], activeTopicsResetAt: 42 },
      fields: { activeTopicsResetAt: 42 },
    },
    {
      name: 'both',
      controls: { logLevels: levels, activeTopicsResetAt: 42 },
      fields: { logLevels: levels, activeTopicsResetAt: 42 },
    },
  ])('$name', ({ controls, fields }) => {
    expect(controlFields(controls)).toEqual(fields);
    const text = workerConfigFile(ok(), controls);
    const file = JSON.parse(text) as Record<string, unknown>;
    expect(file).toEqual({ ...JSON.parse(workerConfigFile(ok())), ...fields });
    // What the worker reads from it (watchWorkerControl of @kwdb-connect/runtime).
    expect(workerControlOf(text)).toEqual({
      logLevels: controls.logLevels,
      activeTopicsResetAt: controls.activeTopicsResetAt,
    });
  });

  it('controls change the ConfigMap but never the Deployment (no roll: the worker re-reads the file)', () => {
    const controls = { logLevels: levels, activeTopicsResetAt: 42 };
    expect(desiredConfigMap(sinkResource(), ok(), controls)).not.toEqual(
      desiredConfigMap(sinkResource(), ok()),
    );
    // desiredDeployment does not take the controls: its Pod template (and config hash) cannot move.
    const input = { resource: sinkResource(), connector: ok(), settings: SETTINGS, replicas: 1 };
    expect(desiredDeployment(input)).toEqual(desiredDeployment({ ...input }));
  });
});
