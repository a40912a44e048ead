// Timestamps are bigint epoch nanoseconds (UTC) everywhere in the model. This
// file converts them to and from SQL text exactly, never through a JS Date
// for the sub-millisecond part.

import type { Precision } from '@kwdb-connect/formats';
import { TIMESTAMP_RANGE } from './kwdb-rules';

/** Nanoseconds per unit of each precision. */
export const NS_PER_UNIT: Record<Precision, bigint> = {
  s: 1_000_000_000n,
  ms: 1_000_000n,
  us: 1_000n,
  ns: 1n,
};

/** TIMESTAMPTZ(p) digits for a table precision. KWDB has 3, 6 and 9; a table in seconds is stored as (3). */
export function fractionDigits(precision: Precision): 3 | 6 | 9 {
  return precision === 'ns' ? 9 : precision === 'us' ? 6 : 3;
}

/** The precision a TIMESTAMPTZ(p) column holds. */
export function precisionOfDigits(digits: number): Exclude<Precision, 's'> {
  if (digits >= 9) return 'ns';
  if (digits >= 4) return 'us';
  return 'ms';
}

const NS_PER_MS = 1_000_000n;

/** KWDB's accepted range per precision (kwdb-rules.ts TIMESTAMP_RANGE; a table in seconds is stored in ms). */
export function timestampRange(precision: Precision): { min: bigint; max: bigint; text: string } {
  return TIMESTAMP_RANGE[precision === 's' ? 'ms' : precision];
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * Formats epoch nanoseconds as `YYYY-MM-DD HH:MM:SS.fff[fff[fff]]+00:00` with
 * `digits` fraction digits (cut, not rounded: callers check exactness first).
 * `bc: true` writes years before 1 the PostgreSQL way (`0001-01-01 ... BC` for
 * year 0); otherwise year 0 is written `0000` (KWDB's range starts there).
 */
export function formatTimestamp(ns: bigint, digits: 3 | 6 | 9, options: { bc?: boolean } = {}): string {
  if (ns >= 0n && ns < FAST_END_NS) return formatFromEpoch(ns, digits);
  const ms = floorDiv(ns, NS_PER_MS);
  const subMs = ns - ms * NS_PER_MS; // 0 .. 999_999 ns
  const d = new Date(Number(ms));
  if (Number.isNaN(d.getTime())) throw new RangeError(`timestamp ${ns} ns is out of range`);
  let year = d.getUTCFullYear();
  let era = '';
  if (options.bc && year <= 0) {
    year = 1 - year;
    era = ' BC';
  }
  if (year < 0 || year > 9999) throw new RangeError(`timestamp ${ns} ns is out of range`);
  const fraction = (pad(d.getUTCMilliseconds(), 3) + subMs.toString().padStart(6, '0')).slice(0, digits);
  return (
    `${pad(year, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${fraction}+00:00${era}`
  );
}

// The fast path of formatTimestamp (every write of the postgres dialect formats one timestamp per
// row): 1970-01-01 .. 9999-12-31, the text up to the seconds computed once per second (rows of a
// batch are usually close in time), the fraction from lookup tables. Same text as the general path
// (timestamps.test.ts compares them).
const SECOND_MS = 1000;
/** 10000-01-01T00:00:00Z in epoch nanoseconds: the fast path covers [0, FAST_END_NS). */
const FAST_END_NS = 253_402_300_800_000n * NS_PER_MS;
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => pad(i, 2));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => pad(i, 3));
let cachedSecond = NaN;
/** `YYYY-MM-DD HH:MM:SS.` of cachedSecond. */
let cachedUpToSeconds = '';

function formatFromEpoch(ns: bigint, digits: 3 | 6 | 9): string {
  const ms = Number(ns / NS_PER_MS); // < 2^53: exact
  const second = Math.floor(ms / SECOND_MS);
  if (second !== cachedSecond) {
    const d = new Date(second * SECOND_MS);
    cachedUpToSeconds =
      `${pad(d.getUTCFullYear(), 4)}-${TWO_DIGITS[d.getUTCMonth() + 1]}-${TWO_DIGITS[d.getUTCDate()]} ` +
      `${TWO_DIGITS[d.getUTCHours()]}:${TWO_DIGITS[d.getUTCMinutes()]}:${TWO_DIGITS[d.getUTCSeconds()]}.`;
    cachedSecond = second;
  }
  const milliseconds = THREE_DIGITS[ms - second * SECOND_MS]!;
  if (digits === 3) return `${cachedUpToSeconds}${milliseconds}+00:00`;
  const subMs = Number(ns % NS_PER_MS);
  const microseconds = THREE_DIGITS[Math.floor(subMs / 1000)]!;
  if (digits === 6) return `${cachedUpToSeconds}${milliseconds}${microseconds}+00:00`;
  return `${cachedUpToSeconds}${milliseconds}${microseconds}${THREE_DIGITS[subMs % 1000]}+00:00`;
}

const TEXT_TIMESTAMP =
  /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)?( BC)?$/;

/**
 * Parses a timestamp as a server prints it (`2024-02-05 01:32:15.569123+00:00`,
 * `... BC`) into epoch nanoseconds, exactly. Without an offset, UTC is assumed
 * (the session time zone is UTC).
 */
export function parseTimestampText(text: string): bigint {
  const m = TEXT_TIMESTAMP.exec(text.trim());
  if (!m) throw new RangeError(`not a timestamp: ${JSON.stringify(text)}`);
  let year = Number(m[1]);
  if (m[12]) year = 1 - year;
  const d = new Date(0);
  d.setUTCFullYear(year, Number(m[2]) - 1, Number(m[3]));
  d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), 0);
  let ns = BigInt(d.getTime()) * NS_PER_MS + BigInt((m[7] ?? '').padEnd(9, '0'));
  if (m[9]) {
    const offsetMinutes = Number(m[10]) * 60 + Number(m[11] ?? '0');
    const sign = m[9] === '+' ? 1n : -1n;
    ns -= sign * BigInt(offsetMinutes) * 60_000_000_000n;
  }
  return ns;
}
