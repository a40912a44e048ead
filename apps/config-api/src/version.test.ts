import { describe, expect, it } from '@jest/globals';
import { CONNECT_REST_API_VERSION, serverCommit } from './version';

describe('GET / version and commit', () => {
  it('the version parses as Kafka Connect 4.1 or later the way kcctl parses it (major.minor)', () => {
    const [major = '', minor = ''] = CONNECT_REST_API_VERSION.split('.');
    expect(Number(major) * 100 + Number(minor)).toBeGreaterThanOrEqual(401);
  });

  it.each([
    { name: 'with a git commit', git: 'abc1234', expected: 'kwdb-connect-0.1.0-abc1234' },
    { name: 'commit unknown', git: 'unknown', expected: 'kwdb-connect-0.1.0' },
    { name: 'no commit', git: undefined, expected: 'kwdb-connect-0.1.0' },
  ])('commit $name', ({ git, expected }) => {
    expect(serverCommit(git, '0.1.0')).toBe(expected);
  });
});
