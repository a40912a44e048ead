import { describe, expect, it } from '@jest/globals';
import { scrubSecrets } from './scrub-secrets';

const line = (value: unknown): string => JSON.stringify(value);

const cases: { name: string; input: string; expected: string; known?: string[] }[] = [
  {
    name: 'structured field at any depth',
    input: line({ a: { b: { 'connection.password': 'x1' } } }),
    expected: line({ a: { b: { 'connection.password': '[Redacted]' } } }),
  },
  {
    name: 'numeric value',
    input: line({ a: { password: 12345 } }),
    expected: line({ a: { password: '[Redacted]' } }),
  },
  {
    name: 'JSON embedded in a string',
    input: line({ msg: `bad ${JSON.stringify({ 'connection.password': 'x1', user: 'u' })}` }),
    expected: line({ msg: `bad ${JSON.stringify({ 'connection.password': '[Redacted]', user: 'u' })}` }),
  },
  {
    name: 'util.inspect text',
    input: line({ msg: "bad { 'connection.password': 'x1', user: 'u' }" }),
    expected: line({ msg: "bad { 'connection.password': '[Redacted]', user: 'u' }" }),
  },
  {
    name: 'key=value text',
    input: line({ msg: 'host=db password=x1 user=u' }),
    expected: line({ msg: 'host=db password=[Redacted] user=u' }),
  },
  {
    name: 'URL credentials',
    input: line({ msg: 'dial postgres://root:x1@db:5432/x' }),
    expected: line({ msg: 'dial postgres://root:[Redacted]@db:5432/x' }),
  },
  {
    name: 'known literals, never inside an escape such as \\n',
    input: line({ msg: 'n x1 \n' }),
    expected: line({ msg: '[Redacted] [Redacted] \n' }),
    known: ['x1', 'n'],
  },
  {
    name: 'nothing secret: unchanged',
    input: line({ msg: 'wrote 5 rows', table: 'cpu', password_policy_doc: undefined }),
    expected: line({ msg: 'wrote 5 rows', table: 'cpu' }),
  },
];

describe('scrubSecrets', () => {
  it.each(cases)('$name', ({ input, expected, known }) => {
    const out = scrubSecrets(input, known);
    expect(out).toBe(expected);
    expect(() => JSON.parse(out)).not.toThrow();
  });
});
