import { describe, expect, it } from '@jest/globals';
import { IdentifierError } from './errors';
import { ident, maxIdentifierBytes, quoteIdentifier, validateIdentifier } from './identifiers';

describe('identifiers', () => {
  it.each([
    { name: 'plain', input: 'ts_json_kaiwudb_tb', quoted: '"ts_json_kaiwudb_tb"' },
    { name: 'mixed case kept', input: 'MyTable', quoted: '"MyTable"' },
    { name: 'single quote and injection', input: "a'; DROP TABLE x; --", quoted: `"a'; DROP TABLE x; --"` },
    { name: 'spaces and dots', input: 'my table.v1', quoted: '"my table.v1"' },
    { name: 'reserved word', input: 'select', quoted: '"select"' },
    // kwbase/pkg/sql/sqlbase/table.go ContainsNonAlphaNumSymbol: [^a-zA-Z0-9[:punct:]\s] is refused,
    // so every ASCII punctuation character and the space are allowed.
    {
      name: 'every ASCII punctuation character but the double quote',
      input: "!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ x",
      quoted: '"!#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~ x"',
    },
  ])('accepts and quotes: $name', ({ input, quoted }) => {
    expect(ident(input, 'table', 'kwdb')).toBe(quoted);
  });

  // KWDB refuses every non-ASCII character in time-series names (sqlbase/table.go
  // ContainsNonAlphaNumSymbol, 42602 "naming of time series objects only supports letters, numbers
  // and symbols"), not only Chinese ones: the message names the name, the character and the rule.
  it.each([
    { name: 'an accent', input: 'température', character: '"é" (U+00E9)' },
    { name: 'Chinese characters', input: '温度', character: '"温" (U+6E29)' },
    { name: 'an emoji', input: 'temp🔥', character: '"🔥" (U+1F525)' },
    { name: 'a no-break space', input: 'a\u00a0b', character: `${JSON.stringify('\u00a0')} (U+00A0)` },
    { name: 'a full-width letter', input: 'ａ', character: '"ａ" (U+FF41)' },
  ])('refuses for kwdb, naming the character and the rule: $name', ({ input, character }) => {
    expect(() => validateIdentifier(input, 'column', 'kwdb', 'weather')).toThrow(
      `table "weather": column name ${JSON.stringify(input)} contains ${character}: ` +
        'KWDB allows only ASCII letters, digits, punctuation and spaces in time-series names ' +
        '(kwbase/pkg/sql/sqlbase/table.go ContainsNonAlphaNumSymbol, error 42602)',
    );
  });

  it("keeps the postgres dialect's own rule: other scripts allowed, Han refused, 63 bytes", () => {
    expect(ident('température', 'table', 'postgres')).toBe('"température"');
    expect(() => validateIdentifier('温度', 'table', 'postgres')).toThrow(/Chinese/);
    expect(() => validateIdentifier('é'.repeat(32), 'column', 'postgres')).toThrow(/64 bytes.*63/);
  });

  it.each([
    { name: 'empty', input: '', rule: /empty/ },
    { name: 'double quote', input: 'a"b', rule: /double quote/ },
    { name: 'NUL', input: 'a\u0000b', rule: /control/ },
    { name: 'newline', input: 'a\nb', rule: /control/ },
    { name: 'lone surrogate', input: 'a\ud800', rule: /UTF-8/ },
    { name: '129 bytes on kwdb', input: 'a'.repeat(129), rule: /129 bytes.*128/ },
  ])('refuses for kwdb: $name', ({ input, rule }) => {
    expect(() => validateIdentifier(input, 'column', 'kwdb')).toThrow(IdentifierError);
    expect(() => validateIdentifier(input, 'column', 'kwdb')).toThrow(rule);
  });

  it.each([
    { dialect: 'kwdb' as const, kind: 'table' as const, max: 128 },
    { dialect: 'kwdb' as const, kind: 'database' as const, max: 63 },
    { dialect: 'postgres' as const, kind: 'table' as const, max: 63 },
  ])('limits $kind names on $dialect to $max bytes', ({ dialect, kind, max }) => {
    expect(maxIdentifierBytes(dialect, kind)).toBe(max);
    expect(validateIdentifier('a'.repeat(max), kind, dialect)).toBe('a'.repeat(max));
    expect(() => validateIdentifier('a'.repeat(max + 1), kind, dialect)).toThrow(IdentifierError);
  });

  it('doubles a double quote when quoting (defence in depth)', () => {
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
  });
});
