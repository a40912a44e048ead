import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { JsonBigInt, JsonSyntaxError, locateJsonPath, parseExactJson } from './exact-json';

describe('parseExactJson', () => {
  it.each([
    ['a big integer keeps its digits', '2535208944865431245', new JsonBigInt('2535208944865431245')],
    [
      'a negative big integer keeps its digits',
      '-9223372036854775808',
      new JsonBigInt('-9223372036854775808'),
    ],
    ['a 15-digit integer is a number', '999999999999999', 999999999999999],
    ['a 16-digit integer is kept as digits', '1648432611249000', new JsonBigInt('1648432611249000')],
    ['a fraction is a number', '6.14545', 6.14545],
    ['an exponent is a number', '-1.5e3', -1500],
    ['minus zero', '-0', -0],
    ['strings with escapes', '"a\\"b\\\\c\\u00e9\\n"', 'a"b\\c\u00e9\n'],
    ['nested values', '{"a":[1,true,null,{"b":"c"}]}', { a: [1, true, null, { b: 'c' }] }],
    ['whitespace around values', ' \t\r\n[ 1 , 2 ]\n', [1, 2]],
    ['a key named __proto__ is an own property', '{"__proto__":1}', JSON.parse('{"__proto__":1}')],
  ])('%s', (_name, text, expected) => {
    expect(parseExactJson(text)).toEqual(expected);
  });

  it.each([
    ['truncated object', '{"a":1', 6],
    ['trailing comma', '[1,]', 3],
    ['leading zero', '01', 1],
    ['bare word', 'nul', 0],
    ['unclosed string', '"abc', 4],
    ['control character in string', '"a\u0001"', 2],
    ['bad escape', '"\\x"', 2],
    ['short unicode escape', '"\\u12"', 5],
    ['fraction without digits', '1.', 2],
    ['exponent without digits', '1e', 2],
    ['two documents', '1 2', 2],
    ['repeated key', '{"a":1,"a":2}', 7],
    ['NaN', 'NaN', 0],
    ['empty input', '', 0],
  ])('rejects %s at the right offset', (_name, text, offset) => {
    let error: unknown;
    try {
      parseExactJson(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(JsonSyntaxError);
    expect((error as JsonSyntaxError).offset).toBe(offset);
  });

  it('rejects nesting deeper than the limit instead of overflowing the stack', () => {
    expect(() => parseExactJson('['.repeat(100_000))).toThrow(JsonSyntaxError);
  });

  it('agrees with JSON.parse on any JSON without big integers or repeated keys', () => {
    const safeJson = fc
      .jsonValue({ maxDepth: 4 })
      .map((value) =>
        JSON.stringify(value, (_key, v: unknown) =>
          typeof v === 'number' && Number.isInteger(v) && Math.abs(v) >= 1e15 ? 1 : v,
        ),
      );
    fc.assert(
      fc.property(safeJson, (text) => {
        expect(parseExactJson(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('accepts exactly what JSON.parse accepts on random near-JSON text (repeated keys aside)', () => {
    const alphabet = fc.constantFrom(...'{}[]",:0123456789-+.eE \\tnrufalsx'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 24 }), (chars) => {
        const text = chars.join('');
        let nativeOk = true;
        try {
          JSON.parse(text);
        } catch {
          nativeOk = false;
        }
        let exactOk = true;
        try {
          parseExactJson(text);
        } catch (error) {
          expect(error).toBeInstanceOf(JsonSyntaxError);
          exactOk = false;
        }
        if (!/"[^"]*"\s*:/.test(text)) expect(exactOk).toBe(nativeOk);
        else if (exactOk) expect(nativeOk).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('locateJsonPath', () => {
  const text = '{"table":"t",\n"data":[{"a":1},{"b":2,"c3":"x"}]}';
  it.each([
    ['a top-level key', 'table', 1],
    ['a row key', 'data[1].c3', text.indexOf('"c3"')],
    ['a row', 'data[1]', text.indexOf('{"b"')],
    ['a missing key stops at its object', 'data[0].zz', text.indexOf('{"a"')],
  ])('finds %s', (_name, path, offset) => {
    expect(locateJsonPath(text, path)).toBe(offset);
  });
});
