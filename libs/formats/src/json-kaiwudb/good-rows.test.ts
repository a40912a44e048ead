import { describe, expect, it } from '@jest/globals';
import { ExactJsonParser } from '../exact-json';
import type { Row } from '../model';
import { readGoodRows, rowShape, type FieldDef } from './good-rows';

// A table like the guide's, in short: ts, an INT8 column, a nullable FLOAT8 column, a primary tag.
const fields: FieldDef[] = [
  { def: { name: 'ts', type: 'TIMESTAMPTZ' }, isTag: false, required: true },
  { def: { name: 'c3', type: 'INT8' }, isTag: false, required: false },
  { def: { name: 'c5', type: 'FLOAT8' }, isTag: false, required: false },
  { def: { name: 'loc', type: 'VARCHAR', length: 8 }, isTag: true, required: true },
];
const shape = rowShape(fields);

/** readGoodRows over `rest`, the text after a message's definitions (it starts at the rows key). */
function read(rest: string, maxRows = 10): Row[] | undefined {
  const parser = new ExactJsonParser(rest);
  return readGoodRows(parser, 'data', shape, 'ms', maxRows);
}

describe('readGoodRows: the rows of a message whose definitions are known', () => {
  it.each([
    {
      name: 'the guide-like rows, exactly (INT8 above 2^53)',
      rest: '"data":[{"ts":1705962142224,"c3":9223372036854775807,"c5":1.5,"loc":"BJ"}]}',
      rows: [{ ts: 1_705_962_142_224_000_000n, c3: 9_223_372_036_854_775_807n, c5: 1.5, loc: 'BJ' }],
    },
    { name: 'no rows', rest: '"data":[]}', rows: [] },
    { name: 'no rows, with whitespace', rest: '"data" : [ ] } ', rows: [] },
    {
      name: 'keys in any order, optional ones left out or null',
      rest: '"data":[{"loc":"a","ts":1},{"c5":null,"ts":2,"loc":"b","c3":-1}]}',
      rows: [
        { loc: 'a', ts: 1_000_000n },
        { c5: null, ts: 2_000_000n, loc: 'b', c3: -1n },
      ],
    },
    {
      name: 'at the row limit',
      rest: '"data":[{"ts":1,"loc":"a"},{"ts":2,"loc":"b"}]}',
      maxRows: 2,
      rows: [
        { ts: 1_000_000n, loc: 'a' },
        { ts: 2_000_000n, loc: 'b' },
      ],
    },
  ])('reads $name', ({ rest, rows, maxRows }) => {
    expect(read(rest, maxRows)).toEqual(rows);
  });

  // Each of these is left to the general decoding, which reports what is wrong and where.
  it.each([
    { name: 'another key than the rows key', rest: '"rows":[]}' },
    { name: 'rows not an array', rest: '"data":{}}' },
    { name: 'a row that is not an object', rest: '"data":[1]}' },
    { name: 'an unknown key', rest: '"data":[{"ts":1,"loc":"a","c9":1}]}' },
    { name: 'a key that is a prefix of a field name', rest: '"data":[{"t":1,"loc":"a"}]}' },
    { name: 'an escaped key', rest: '"data":[{"\\u0074s":1,"loc":"a"}]}' },
    { name: 'a repeated key', rest: '"data":[{"ts":1,"ts":1,"loc":"a"}]}' },
    { name: 'a missing timestamp', rest: '"data":[{"loc":"a"}]}' },
    { name: 'a null primary tag', rest: '"data":[{"ts":1,"loc":null}]}' },
    { name: 'an empty row (required fields missing)', rest: '"data":[{}]}' },
    { name: 'a value its column cannot hold', rest: '"data":[{"ts":1,"c3":"x","loc":"a"}]}' },
    { name: 'a text too long for its column', rest: '"data":[{"ts":1,"loc":"123456789"}]}' },
    { name: 'more rows than the limit', rest: '"data":[{"ts":1,"loc":"a"},{"ts":2,"loc":"b"}]}', maxRows: 1 },
    { name: 'a key after the rows', rest: '"data":[],"x":1}' },
    { name: 'text after the message', rest: '"data":[]} x' },
    { name: 'a truncated row', rest: '"data":[{"ts":1' },
    { name: 'a syntax error in a value', rest: '"data":[{"ts":01,"loc":"a"}]}' },
    { name: 'a trailing comma', rest: '"data":[{"ts":1,"loc":"a"},]}' },
  ])('leaves $name to the general decoding', ({ rest, maxRows }) => {
    expect(read(rest, maxRows)).toBeUndefined();
  });
});
