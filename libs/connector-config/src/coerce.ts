// Turns one raw value (as written in JSON: string, number or boolean) into the typed value of its key.
// Strings are coerced to numbers and booleans, as Kafka Connect does with its string-only config maps.
import { show } from './checks';
import type { ConfigKeyDef, ConfigValue } from './definitions';
import { Secret } from './secret';

/** A typed value, with passwords wrapped in Secret. */
export type TypedValue = ConfigValue | Secret;

export type CoerceResult = { ok: true; value: TypedValue } | { ok: false; text: string };

const INTEGER = /^[+-]?\d+$/;

function fail(text: string): CoerceResult {
  return { ok: false, text };
}

/** "must be an integer >= 1", "must be an integer between 0 and 65535", or "must be an integer". */
export function integerRule(min: number | undefined, max: number | undefined): string {
  const unbounded = (n: number | undefined) => n === undefined || Math.abs(n) >= 2_147_483_647;
  if (!unbounded(min) && !unbounded(max)) return `must be an integer between ${min} and ${max}`;
  if (min !== undefined && !unbounded(min)) return `must be an integer >= ${min}`;
  if (max !== undefined && !unbounded(max)) return `must be an integer <= ${max}`;
  return 'must be an integer';
}

function coerceInteger(def: ConfigKeyDef, raw: unknown): CoerceResult {
  const limit = def.type === 'int' ? 2_147_483_647 : Number.MAX_SAFE_INTEGER;
  const min = def.min ?? -limit;
  const max = def.max ?? limit;
  const rule = integerRule(def.min, def.max);
  let n: number;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'string' && INTEGER.test(raw.trim())) n = Number(raw.trim());
  else return fail(`${rule}, got ${show(raw)}`);
  if (!Number.isSafeInteger(n) || n < min || n > max) return fail(`${rule}, got ${show(raw)}`);
  return { ok: true, value: n };
}

function coerceBoolean(raw: unknown): CoerceResult {
  if (typeof raw === 'boolean') return { ok: true, value: raw };
  if (typeof raw === 'string') {
    const text = raw.trim().toLowerCase();
    if (text === 'true') return { ok: true, value: true };
    if (text === 'false') return { ok: true, value: false };
  }
  return fail(`must be true or false, got ${show(raw)}`);
}

/** Strings also accept JSON numbers and booleans (Kafka Connect's REST API reads every value as text). */
function asText(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  return undefined;
}

function coerceList(def: ConfigKeyDef, raw: unknown): CoerceResult {
  let items: string[];
  if (Array.isArray(raw) && raw.every((item) => typeof item === 'string')) {
    items = raw.map((item: string) => item.trim());
  } else {
    const text = asText(raw);
    if (text === undefined) return fail(`must be a comma-separated list, got ${show(raw)}`);
    items = text.trim() === '' ? [] : text.split(',').map((item) => item.trim());
  }
  if (items.some((item) => item === '')) return fail(`must not contain empty entries, got ${show(raw)}`);
  for (const item of items) {
    const text = def.checkEach?.(item);
    if (text) return fail(text);
  }
  return { ok: true, value: Object.freeze(items) };
}

function coerceString(def: ConfigKeyDef, raw: unknown): CoerceResult {
  const text = asText(raw);
  if (text === undefined) return fail(`must be a string, got ${show(raw)}`);
  const value = text.trim();
  if (def.required && value === '') return fail('must not be empty');
  if (def.type === 'enum' && !(def.values ?? []).includes(value)) {
    return fail(`must be one of ${(def.values ?? []).join(', ')}, got ${show(raw)}`);
  }
  const problem = def.check?.(value);
  return problem ? fail(problem) : { ok: true, value };
}

/** Passwords are never trimmed and never echoed. A Secret passes through unchanged. */
function coercePassword(raw: unknown): CoerceResult {
  if (raw instanceof Secret) return { ok: true, value: raw };
  const text = asText(raw);
  if (text === undefined) return fail('must be a string');
  return { ok: true, value: new Secret(text) };
}

/** Coerces and validates one present (not null, not undefined) raw value. */
export function coerceValue(def: ConfigKeyDef, raw: unknown): CoerceResult {
  switch (def.type) {
    case 'int':
    case 'long':
      return coerceInteger(def, raw);
    case 'boolean':
      return coerceBoolean(raw);
    case 'list':
      return coerceList(def, raw);
    case 'password':
      return coercePassword(raw);
    case 'string':
    case 'enum':
      return coerceString(def, raw);
  }
}

/** How a typed value is written in Kafka Connect's string form (lists joined by commas, secrets hidden). */
export function valueToString(value: TypedValue | undefined): string | null {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}
