import { describe, expect, it } from '@jest/globals';
import { fileChange, parseWorkerFile } from './worker-file';

describe('parseWorkerFile', () => {
  it('reads name, config and targetState', () => {
    expect(parseWorkerFile('{"name":"s","config":{"a":"1"},"targetState":"PAUSED"}')).toEqual({
      name: 's',
      config: { a: '1' },
      targetState: 'PAUSED',
    });
  });
  it('targetState defaults to RUNNING, name to config.name', () => {
    expect(parseWorkerFile('{"config":{"name":"x"}}')).toEqual({
      name: 'x',
      config: { name: 'x' },
      targetState: 'RUNNING',
    });
  });
  const bad = [
    { name: 'not JSON', text: '{' },
    { name: 'an array', text: '[]' },
    { name: 'no config', text: '{"name":"s"}' },
    { name: 'STOPPED is not a worker state', text: '{"config":{},"targetState":"STOPPED"}' },
  ];
  for (const c of bad) {
    it(`rejects ${c.name}`, () => {
      expect(() => parseWorkerFile(c.text)).toThrow(expect.objectContaining({ code: 'CONFIG_FILE_INVALID' }));
    });
  }
});

describe('fileChange', () => {
  const base = { name: 's', config: { a: 1 }, targetState: 'RUNNING' as const };
  const cases = [
    { name: 'nothing', after: base, targetState: undefined, configChanged: false },
    {
      name: 'paused',
      after: { ...base, targetState: 'PAUSED' as const },
      targetState: 'PAUSED',
      configChanged: false,
    },
    {
      name: 'config edited',
      after: { ...base, config: { a: 2 } },
      targetState: undefined,
      configChanged: true,
    },
  ];
  for (const c of cases) {
    it(c.name, () =>
      expect(fileChange(base, c.after)).toEqual({
        targetState: c.targetState,
        configChanged: c.configChanged,
      }),
    );
  }
});
