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

describe('formatTimestamp from 1970 to 9999 (the per-second cached path)', () => {
  /** Reference: Date's ISO text for the milliseconds, then the sub-millisecond digits. */
  const reference = (ns: bigint, digits: 3 | 6 | 9): string => {
    const iso = new Date(Number(ns / 1_000_000n)).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
    const subMs = (ns % 1_000_000n).toString().padStart(6, '0');
    return `${iso.slice(0, 10)} ${iso.slice(11, 23)}${subMs}`.slice(0, 20 + digits) + '+00:00';
  };
  const samples: bigint[] = [
    0n,
    86_399_999_999_999n, // last ns of 1970-01-01
    86_400_000_000_000n,
    1_690_855_924_005_000_000n,
    253_402_300_799_999_999_999n, // 9999-12-31 23:59:59.999999999
  ];
  // A fixed pseudo-random walk over the whole range, consecutive rows of one day and the next, and
  // rows within one second and across its end (the cached text up to the seconds).
  let x = 12_345n;
  for (let i = 0; i < 2000; i++) {
    x = (x * 6_364_136_223_846_793_005n + 1_442_695_040_888_963_407n) % 253_402_300_800_000_000_000n;
    samples.push(x);
  }
  for (let i = 0; i < 50; i++) samples.push(1_700_006_399_990_000_000n + BigInt(i) * 777_777_777n);
  for (let i = 0; i < 50; i++) samples.push(1_700_000_000_998_000_000n + BigInt(i) * 123_457n);
  it.each([3, 6, 9] as const)('matches the ISO text of every sample at %i digits', (digits) => {
    for (const ns of samples) expect(formatTimestamp(ns, digits)).toBe(reference(ns, digits));
  });
});
