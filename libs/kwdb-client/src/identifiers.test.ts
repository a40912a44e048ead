import { describe, expect, it } from '@jest/globals';
import { IdentifierError } from './errors';
import { ident, maxIdentifierBytes, quoteIdentifier, validateIdentifier } from './identifiers';

describe('identifiers', () => {
  it.each([
    { name: 'plain', input: 'ts_json_kaiwudb_tb', quoted: '"ts_json_kaiwudb_tb"' },
    { name: 'mixed case kept', input: 'MyTable', quoted: '"MyTable"' },
    { name: 'single quote and injection', input: "a'; DROP TABLE x; --", quoted: `"a'; DROP TABLE x; --"` },
    { name: 'spaces and dots', input: 'my table.v1', quoted: '"my table.v1"' },
    { name: 'non-Chinese non-ASCII', input: 'température', quoted: '"température"' },
    { name: 'reserved word', input: 'select', quoted: '"select"' },
  ])('accepts and quotes: $name', ({ input, quoted }) => {
    expect(ident(input, 'table', 'kwdb')).toBe(quoted);
  });

  it.each([
    { name: 'empty', input: '', rule: /empty/ },
    { name: 'double quote', input: 'a"b', rule: /double quote/ },
    { name: 'NUL', input: 'a\u0000b', rule: /control/ },
    { name: 'newline', input: 'a\nb', rule: /control/ },
    { name: 'Chinese characters', input: '温度', rule: /Chinese/ },
    { name: 'lone surrogate', input: 'a\ud800', rule: /UTF-8/ },
    { name: '129 bytes on kwdb', input: 'a'.repeat(129), rule: /129 bytes.*128/ },
    { name: '65 bytes of two-byte characters', input: 'é'.repeat(65), rule: /130 bytes/ },
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
