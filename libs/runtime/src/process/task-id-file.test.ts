import { describe, expect, it } from '@jest/globals';
import { parseTaskIdText, resolveTaskIdFile } from './task-id-file';

describe('parseTaskIdText', () => {
  it.each([
    ['0', 0],
    ['3\n', 3],
    ['', undefined],
    ['x', undefined],
    ['-1', undefined],
  ])('%p -> %p', (text, id) => {
    expect(parseTaskIdText(text)).toBe(id);
  });
});

describe('resolveTaskIdFile', () => {
  it('waits until the annotation reaches the file, then sets KWDB_CONNECT_TASK_ID', async () => {
    const contents = ['', '', '2'];
    const env: NodeJS.ProcessEnv = { KWDB_CONNECT_TASK_ID_FILE: '/pod/task-id' };
    await resolveTaskIdFile(env, { pollMs: 1, readText: async () => contents.shift() ?? '2' });
    expect(env['KWDB_CONNECT_TASK_ID']).toBe('2');
    expect(contents).toEqual([]);
  });

  it.each([
    { name: 'no file variable', env: { KWDB_CONNECT_TASK_ID: '1' }, expected: '1' },
    {
      name: 'an explicit task id wins',
      env: { KWDB_CONNECT_TASK_ID: '4', KWDB_CONNECT_TASK_ID_FILE: '/f' },
      expected: '4',
    },
  ])('$name: nothing read', async ({ env, expected }) => {
    const copy: NodeJS.ProcessEnv = { ...env };
    await resolveTaskIdFile(copy, {
      readText: async () => {
        throw new Error('must not read');
      },
    });
    expect(copy['KWDB_CONNECT_TASK_ID']).toBe(expected);
  });
});
