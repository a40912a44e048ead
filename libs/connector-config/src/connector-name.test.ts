import { describe, expect, it } from '@jest/globals';
import { connectorNameProblem } from './connector-name';

describe('connectorNameProblem', () => {
  const cases: Array<{ name: string; connector: string; refused: RegExp | undefined }> = [
    { name: 'the guide’s name', connector: 'KwdbSinkConnector', refused: undefined },
    { name: '249 ASCII characters', connector: 'a'.repeat(249), refused: undefined },
    {
      name: '250 ASCII characters',
      connector: 'a'.repeat(250),
      refused: /250 characters long; the limit is 249/,
    },
    { name: '50 times é (100 UTF-8 bytes)', connector: 'é'.repeat(50), refused: undefined },
    { name: 'slashes, spaces, dots, percent', connector: 'a/b c/../100%', refused: undefined },
    { name: 'emoji count as one character each', connector: '🙂'.repeat(249), refused: undefined },
    { name: 'empty', connector: '', refused: /must not be empty/ },
    { name: 'only whitespace', connector: '  \t', refused: /must not be empty/ },
    { name: 'a newline', connector: 'a\nb', refused: /control characters \(U\+000A at index 1\)/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const problem = connectorNameProblem(c.connector);
      if (c.refused === undefined) expect(problem).toBeUndefined();
      else expect(problem).toMatch(c.refused);
    });
  }
});
