import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  epochToNanos,
  formatEpoch,
  formatTimestampText,
  isTimestampInRange,
  nanosToEpochExact,
  parseTimestampText,
} from './timestamps';

describe('timestamps', () => {
  it.each([
    ['the guide string with ms', '2023-08-11 12:12:10.249', 1691755930249_000_000n],
    ['T separator and Z', '2023-08-11T12:12:10.249Z', 1691755930249_000_000n],
    ['no fraction', '1970-01-01 00:00:00', 0n],
    ['nanoseconds', '2262-01-01 00:00:00.000000001', 9_214_646_400_000_000_001n],
    ['a leap day', '2024-02-29 23:59:59.5', 1709251199_500_000_000n],
    ['year 0', '0000-01-01 00:00:00', -62_167_219_200_000_000_000n],
  ])('parses %s', (_name, text, nanos) => {
    expect(parseTimestampText(text)).toBe(nanos);
  });

  it.each([
    ['not a leap year', '2023-02-29 00:00:00'],
    ['hour 24', '2023-01-01 24:00:00'],
    ['ten fraction digits', '2023-01-01 00:00:00.0000000001'],
    ['empty fraction', '2023-01-01 00:00:00.'],
    ['a time zone offset', '2023-01-01 00:00:00+08:00'],
    ['date only', '2023-01-01'],
    ['garbage', 'yesterday at noon!!'],
  ])('refuses %s', (_name, text) => {
    expect(parseTimestampText(text)).toBeUndefined();
  });

  it('formats and parses back every nanosecond in KWDB range', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -62_167_219_200_000_000_000n, max: 31_556_995_200_000_000_000n }),
        (nanos) => {
          expect(parseTimestampText(formatTimestampText(nanos))).toBe(nanos);
        },
      ),
      { numRuns: 500 },
    );
  });

  it.each([
    ['ms', 1648432611249n, 1648432611249_000_000n],
    ['us', 1648432611249123n, 1648432611249123_000n],
    ['ns', 1648432611249000000n, 1648432611249000000n],
    ['s', 1648432611n, 1648432611_000_000_000n],
  ] as const)('converts %s epochs exactly', (precision, epoch, nanos) => {
    expect(epochToNanos(epoch, precision)).toBe(nanos);
    expect(nanosToEpochExact(nanos, precision)).toBe(epoch);
    expect(formatEpoch(nanos, precision)).toBe(epoch.toString());
  });

  it('prints a timestamp finer than the precision with an exact fraction', () => {
    expect(formatEpoch(1648432611249_500_000n, 'ms')).toBe('1648432611249.5');
    expect(formatEpoch(-1_500_000n, 'ms')).toBe('-1.5');
    expect(nanosToEpochExact(1_500_000n, 'ms')).toBeUndefined();
  });

  it.each([
    ['ns precision rejects times before 1970', -1n, 'ns', false],
    ['ns precision accepts 2262-01-01', 9_214_646_400_000_000_000n, 'ns', true],
    ['ns precision rejects after 2262-01-01', 9_214_646_400_000_000_001n, 'ns', false],
    ['ms precision accepts year 0', -62_167_219_200_000_000_000n, 'ms', true],
    ['ms precision rejects after 2970', 31_556_995_200_000_000_001n, 'ms', false],
  ] as const)('%s', (_name, nanos, precision, ok) => {
    expect(isTimestampInRange(nanos, precision)).toBe(ok);
  });
});
