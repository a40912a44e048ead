import { describe, expect, it } from '@jest/globals';
import type { KwdbType } from '@kwdb-connect/formats';
import type { Cursor } from '@kwdb-connect/kwdb-client';
import { decodeCursor, encodeCursor, initialCursor, parseTimestampInitial } from './cursor-codec';

describe('cursor codec round trip', () => {
  const cases: Array<{ name: string; cursor: Cursor; types: KwdbType[]; stored: unknown }> = [
    {
      name: 'INT8 primary tag above 2^53 stays exact',
      cursor: { ts: 1705962142224000000n, primaryTags: [647470401348904608n] },
      types: ['INT8'],
      stored: { ts: '1705962142224000000', tags: ['647470401348904608'] },
    },
    {
      name: 'text, number, bool and null tags',
      cursor: { ts: 5n, primaryTags: ['beijing', 7, true, null] },
      types: ['VARCHAR', 'INT4', 'BOOL', 'NCHAR'],
      stored: { ts: '5', tags: ['beijing', 7, true, null] },
    },
    {
      name: 'VARBYTES as hex',
      cursor: { ts: -1n, primaryTags: [new Uint8Array([0, 255, 16])] },
      types: ['VARBYTES'],
      stored: { ts: '-1', tags: ['00ff10'] },
    },
    {
      name: 'timestamp only (timestamp.initial)',
      cursor: { ts: 99n },
      types: ['INT8'],
      stored: { ts: '99' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const stored = encodeCursor(c.cursor);
      expect(stored).toEqual(c.stored);
      expect(decodeCursor(JSON.parse(JSON.stringify(stored)), c.types)).toEqual(c.cursor);
    });
  }

  const bad: Array<{ name: string; stored: Record<string, never> | object; types: KwdbType[] }> = [
    { name: 'no ts', stored: { tags: [] }, types: [] },
    { name: 'ts as a number', stored: { ts: 5 }, types: [] },
    { name: 'wrong number of tags', stored: { ts: '1', tags: ['a'] }, types: ['VARCHAR', 'INT8'] },
    { name: 'INT8 tag not digits', stored: { ts: '1', tags: ['x'] }, types: ['INT8'] },
    { name: 'bool tag as text', stored: { ts: '1', tags: ['true'] }, types: ['BOOL'] },
  ];
  for (const c of bad) {
    it(`rejects ${c.name} with CURSOR_INVALID`, () => {
      expect(() => decodeCursor(c.stored as never, c.types)).toThrow(
        expect.objectContaining({ code: 'CURSOR_INVALID' }),
      );
    });
  }
});

describe('initialCursor', () => {
  it('unset: every row (null)', () => {
    expect(initialCursor(undefined)).toBeNull();
  });
  it('timestamp.initial is UTC and inclusive (ts - 1ns)', () => {
    expect(initialCursor('2024-01-22 22:22:22')).toEqual({ ts: 1705962142000000000n - 1n });
  });
  const bad = ['2024-02-30 00:00:00', '2024-01-22', '2024-01-22 25:00:00', 'yesterday'];
  for (const text of bad) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      expect(() => parseTimestampInitial(text)).toThrow(
        expect.objectContaining({ code: 'TIMESTAMP_INITIAL_INVALID' }),
      );
    });
  }
});
