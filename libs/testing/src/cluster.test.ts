import { describe, expect, it } from '@jest/globals';
import { ClusterImageError, parseImageRef } from './cluster';

describe('parseImageRef', () => {
  it.each([
    ['the last line', 'log\nlocalhost/kwdb-connect:0123456789ab\n', 'localhost/kwdb-connect:0123456789ab'],
    ['a registry with a port', 'registry:5000/a/b:v1', 'registry:5000/a/b:v1'],
  ])('%s', (_name, stdout, expected) => {
    expect(parseImageRef(stdout)).toBe(expected);
  });

  it.each([
    ['no output', ''],
    ['a log line last', 'localhost/kwdb-connect:abc\n[testenv] done'],
    ['no tag', 'localhost/kwdb-connect'],
  ])('rejects %s', (_name, stdout) => {
    expect(() => parseImageRef(stdout)).toThrow(ClusterImageError);
  });
});
