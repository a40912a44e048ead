// Request bodies -> the flat Map<String, String> Kafka Connect keeps. The guide's JSON files write
// some values as numbers and booleans ("connection.attempts": 3, "topic.per.stable": true); Kafka
// Connect accepts them and stores their text, and so do we. Pure.
import { HIDDEN, PASSWORD_KEY, redactConfig } from '@kwdb-connect/connector-config';
import { BadRequestError } from '../errors';

export type FlatConfig = Record<string, string>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Converts a JSON object to a flat string map. `null` values are left out (PATCH uses them to
 * remove keys; see applyPatch). Nested objects are refused, naming every offending key.
 */
export function toStringMap(value: unknown, what = 'Connector configuration'): FlatConfig {
  if (!isPlainObject(value)) throw new BadRequestError(`${what} must be a JSON object`);
  const out: FlatConfig = {};
  const bad: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (item === null || item === undefined) continue;
    if (typeof item === 'string') out[key] = item;
    else if (typeof item === 'number' || typeof item === 'boolean') out[key] = String(item);
    else if (Array.isArray(item) && item.every((x) => typeof x === 'string')) out[key] = item.join(',');
    else bad.push(key);
  }
  if (bad.length > 0) {
    throw new BadRequestError(
      `${what} values must be strings, numbers or booleans; not so for: ${bad.join(', ')}`,
    );
  }
  return out;
}

/** PATCH semantics (KAFKA-16445): keys in the patch replace, `null` removes. */
export function applyPatch(base: FlatConfig, patch: unknown): FlatConfig {
  if (!isPlainObject(patch)) throw new BadRequestError('Connector configuration patch must be a JSON object');
  const merged: FlatConfig = { ...base };
  for (const [key, item] of Object.entries(patch)) {
    if (item === null) delete merged[key];
  }
  const nonNull = Object.fromEntries(Object.entries(patch).filter(([, item]) => item !== null));
  return { ...Object.fromEntries(Object.entries(merged)), ...toStringMap(nonNull) };
}

/** Splits the password out. A value of `[hidden]` (a GET config sent back as is) keeps `previous`. */
export function splitPassword(
  config: FlatConfig,
  previous: string | undefined,
): { config: FlatConfig; password: string | undefined } {
  const { [PASSWORD_KEY]: given, ...rest } = config;
  if (given === HIDDEN) return { config: rest, password: previous };
  return { config: rest, password: given };
}

/** The config with the password put back (for validation and the workers' hash); never returned. */
export function withPassword(config: Readonly<FlatConfig>, password: string | undefined): FlatConfig {
  return password === undefined ? { ...config } : { ...config, [PASSWORD_KEY]: password };
}

/** The config as REST responses and logs show it: every password (if any) as `[hidden]`. */
export function shownConfig(config: Readonly<FlatConfig>, hasPassword: boolean): FlatConfig {
  return redactConfig(hasPassword ? { ...config, [PASSWORD_KEY]: HIDDEN } : { ...config }) as FlatConfig;
}
