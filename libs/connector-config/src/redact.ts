// Keeping the password out of REST responses, logs and the connector store.
import { isConnectorRequest, type RawConfig } from './parse';
import { hideUrlPassword } from './checks';
import { HIDDEN, Secret } from './secret';

export const PASSWORD_KEY = 'connection.password';

/** Keys whose values are hidden: connection.password, and any passed-through key naming a password. */
export function isSecretKey(key: string): boolean {
  return key === PASSWORD_KEY || /password/i.test(key);
}

function redactFlat(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (isSecretKey(key) && value !== undefined && value !== null) copy[key] = HIDDEN;
    else if (key === 'connection.url' && typeof value === 'string') copy[key] = hideUrlPassword(value);
    else copy[key] = value;
  }
  return copy;
}

/**
 * A copy with every password replaced by `[hidden]`, for REST responses and logs. Accepts the flat map
 * and the `{"name", "config"}` request shape.
 */
export function redactConfig<T extends RawConfig>(raw: T): T {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw; // no keys, nothing to hide
  if (isConnectorRequest(raw)) {
    return { ...raw, config: redactFlat(raw['config'] as Record<string, unknown>) } as unknown as T;
  }
  return redactFlat(raw) as T;
}

export interface SplitSecrets {
  /** The configuration without `connection.password` (same shape as given). */
  readonly publicConfig: Record<string, unknown>;
  /** The password, kept apart (a Kubernetes Secret, or a 0600 file locally). */
  readonly secrets: { 'connection.password'?: string };
}

function passwordText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Secret) return value.reveal();
  return String(value);
}

/** Splits `connection.password` out of a configuration, so the store can keep it apart. */
export function splitSecrets(raw: RawConfig): SplitSecrets {
  const request = isConnectorRequest(raw);
  const flat = { ...((request ? raw['config'] : raw) as Record<string, unknown>) };
  const password = passwordText(flat[PASSWORD_KEY]);
  delete flat[PASSWORD_KEY];
  const publicConfig = request ? { ...raw, config: flat } : flat;
  return { publicConfig, secrets: password === undefined ? {} : { [PASSWORD_KEY]: password } };
}

/** The inverse of splitSecrets: the configuration with the password put back (for a worker or validation). */
export function mergeSecrets(
  publicConfig: RawConfig,
  secrets: { 'connection.password'?: string },
): Record<string, unknown> {
  const password = secrets[PASSWORD_KEY];
  if (password === undefined) return { ...publicConfig };
  if (isConnectorRequest(publicConfig)) {
    const config = { ...(publicConfig['config'] as Record<string, unknown>), [PASSWORD_KEY]: password };
    return { ...publicConfig, config };
  }
  return { ...publicConfig, [PASSWORD_KEY]: password };
}
