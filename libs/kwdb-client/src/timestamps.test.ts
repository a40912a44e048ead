import { describe, expect, it } from '@jest/globals';
import { formatTimestamp, parseTimestampText, timestampRange } from './timestamps';

describe('timestamps', () => {
  it.each([
    { name: 'epoch', ns: 0n, digits: 9 as const, text: '1970-01-01 00:00:00.000000000+00:00' },
    {
      name: 'guide ms value',
      ns: 1690855924005000000n,
      digits: 3 as const,
      text: '2023-08-01 02:12:04.005+00:00',
    },
    {
      name: 'ns digits',
      ns: 1700000000123456789n,
      digits: 9 as const,
      text: '2023-11-14 22:13:20.123456789+00:00',
    },
    {
      name: 'us digits',
      ns: 1700000000123456000n,
      digits: 6 as const,
      text: '2023-11-14 22:13:20.123456+00:00',
    },
    { name: 'one ns before epoch', ns: -1n, digits: 9 as const, text: '1969-12-31 23:59:59.999999999+00:00' },
    {
      name: 'year 0000',
      ns: timestampRange('ms').min,
      digits: 3 as const,
      text: '0000-01-01 00:00:00.000+00:00',
    },
    {
      name: 'year 2970',
      ns: timestampRange('us').max,
      digits: 6 as const,
      text: '2970-01-01 00:00:00.000000+00:00',
    },
  ])('formats and parses back exactly: $name', ({ ns, digits, text }) => {
    expect(formatTimestamp(ns, digits)).toBe(text);
    expect(parseTimestampText(text)).toBe(ns);
  });

  it('writes year 0 as 1 BC for PostgreSQL and parses it back', () => {
    const ns = timestampRange('ms').min;
    const text = formatTimestamp(ns, 6, { bc: true });
    expect(text).toBe('0001-01-01 00:00:00.000000+00:00 BC');
    expect(parseTimestampText(text)).toBe(ns);
  });

  it.each([
    { text: '2024-02-05 01:32:15.569+00:00', ns: 1707096735569000000n },
    { text: '2024-02-05 09:32:15.569+08:00', ns: 1707096735569000000n },
    { text: '2024-02-05T01:32:15.569Z', ns: 1707096735569000000n },
    { text: '2024-02-05 01:32:15', ns: 1707096735000000000n },
    { text: '2024-02-04 20:32:15.5-05', ns: 1707096735500000000n },
  ])('parses server output $text', ({ text, ns }) => {
    expect(parseTimestampText(text)).toBe(ns);
  });

  it('refuses what is not a timestamp', () => {
    expect(() => parseTimestampText('yesterday')).toThrow(RangeError);
  });

  it.each([
    { precision: 'ms' as const, min: '0000-01-01T00:00:00.000Z', max: '2970-01-01T00:00:00.000Z' },
    { precision: 'ns' as const, min: '1970-01-01T00:00:00.000Z', max: '2262-01-01T00:00:00.000Z' },
  ])('KWDB range for $precision', ({ precision, min, max }) => {
    const range = timestampRange(precision);
    expect(new Date(Number(range.min / 1_000_000n)).toISOString()).toBe(min);
    expect(new Date(Number(range.max / 1_000_000n)).toISOString()).toBe(max);
  });
});
