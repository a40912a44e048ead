// Exact timestamp arithmetic. Timestamps are bigint nanoseconds since the Unix epoch (UTC);
// epochs in messages are integers in the connector's `timestamp.precision`. Nothing here goes
// through a JS number.
import type { Precision } from './model';

const NANOS_PER_UNIT: Record<Precision, bigint> = { s: 1_000_000_000n, ms: 1_000_000n, us: 1_000n, ns: 1n };

/** Nanoseconds in one unit of a precision. */
export function nanosPerUnit(precision: Precision): bigint {
  return NANOS_PER_UNIT[precision];
}

/** Epoch in `precision` units -> epoch nanoseconds. */
export function epochToNanos(epoch: bigint, precision: Precision): bigint {
  return epoch * NANOS_PER_UNIT[precision];
}

/** Epoch nanoseconds -> epoch in `precision` units, or undefined when that would drop sub-unit digits. */
export function nanosToEpochExact(nanos: bigint, precision: Precision): bigint | undefined {
  const unit = NANOS_PER_UNIT[precision];
  return nanos % unit === 0n ? nanos / unit : undefined;
}

/**
 * Epoch nanoseconds as exact decimal text in `precision` units: an integer when it divides
 * evenly ("1648432611249"), else with the fraction ("1648432611249.5").
 */
export function formatEpoch(nanos: bigint, precision: Precision): string {
  const unit = NANOS_PER_UNIT[precision];
  const whole = nanos / unit;
  const rest = nanos % unit;
  if (rest === 0n) return whole.toString();
  const negative = nanos < 0n;
  const absWhole = negative ? -whole : whole;
  const absRest = negative ? -rest : rest;
  const width = unit.toString().length - 1;
  const fraction = absRest.toString().padStart(width, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${absWhole}.${fraction}`;
}

// KWDB's timestamp ranges (reference kwdb.md section 2): ms/us columns 0000-01-01 .. 2970-01-01,
// ns columns 1970-01-01 .. 2262-01-01.
const MIN_MS_US_NANOS = -62_167_219_200_000n * 1_000_000n; // 0000-01-01T00:00:00Z
const MAX_MS_US_NANOS = 31_556_995_200_000n * 1_000_000n; // 2970-01-01T00:00:00Z
const MIN_NS_NANOS = 0n;
const MAX_NS_NANOS = 9_214_646_400_000_000_000n; // 2262-01-01T00:00:00Z

/** KWDB's range for a timestamp column of this precision, in epoch nanoseconds (inclusive). */
export function timestampRange(precision: Precision): { min: bigint; max: bigint } {
  return precision === 'ns'
    ? { min: MIN_NS_NANOS, max: MAX_NS_NANOS }
    : { min: MIN_MS_US_NANOS, max: MAX_MS_US_NANOS };
}

export function isTimestampInRange(nanos: bigint, precision: Precision): boolean {
  const { min, max } = timestampRange(precision);
  return nanos >= min && nanos <= max;
}

/**
 * Parses `YYYY-MM-DD HH:MI:SS[.f…]` (1 to 9 fraction digits; `T` may replace the space; an optional
 * trailing `Z`) as UTC into epoch nanoseconds. Returns undefined when the text is not such a time.
 */
export function parseTimestampText(text: string): bigint | undefined {
  const n = text.length;
  if (n < 19) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  if (text[4] !== '-' || text[7] !== '-' || text[13] !== ':' || text[16] !== ':') return undefined;
  if (text[10] !== ' ' && text[10] !== 'T') return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let pos = 19;
  let fractionNanos = 0n;
  if (text[pos] === '.') {
    const fractionStart = ++pos;
    while (pos < n && text.charCodeAt(pos) >= 0x30 && text.charCodeAt(pos) <= 0x39) pos++;
    const digits = pos - fractionStart;
    if (digits < 1 || digits > 9) return undefined;
    fractionNanos = BigInt(text.slice(fractionStart, pos).padEnd(9, '0'));
  }
  if (text[pos] === 'Z') pos++;
  if (pos !== n) return undefined;
  const days = daysFromCivil(year, month, day);
  const seconds = BigInt(days) * 86_400n + BigInt(hour * 3600 + minute * 60 + second);
  return seconds * 1_000_000_000n + fractionNanos;
}

/**
 * Formats epoch nanoseconds as `YYYY-MM-DD HH:MI:SS.fff` in UTC, with 3, 6 or 9 fraction digits
 * (as many as needed to be exact). Years 0000-9999.
 */
export function formatTimestampText(nanos: bigint): string {
  let seconds = nanos / 1_000_000_000n;
  let fraction = nanos % 1_000_000_000n;
  if (fraction < 0n) {
    fraction += 1_000_000_000n;
    seconds -= 1n;
  }
  let days = seconds / 86_400n;
  let secondOfDay = seconds % 86_400n;
  if (secondOfDay < 0n) {
    secondOfDay += 86_400n;
    days -= 1n;
  }
  const { year, month, day } = civilFromDays(Number(days));
  const sod = Number(secondOfDay);
  const hour = Math.floor(sod / 3600);
  const minute = Math.floor((sod % 3600) / 60);
  const second = sod % 60;
  let fractionText = fraction.toString().padStart(9, '0');
  if (fractionText.endsWith('000000')) fractionText = fractionText.slice(0, 3);
  else if (fractionText.endsWith('000')) fractionText = fractionText.slice(0, 6);
  return (
    `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)} ` +
    `${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${fractionText}`
  );
}

function pad(value: number, width: number): string {
  return value.toString().padStart(width, '0');
}

function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const c = text.charCodeAt(i);
    if (!(c >= 0x30 && c <= 0x39)) return -1;
    value = value * 10 + (c - 0x30);
  }
  return value;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian calendar).
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}
