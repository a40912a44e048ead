// Kafka Connect REST shapes: GET /connector-plugins/{plugin}/config and PUT .../config/validate.
// Field names follow apache/kafka's entities ConfigKeyInfo, ConfigValueInfo, ConfigInfo and ConfigInfos.
import { hideUrlPassword, show } from './checks';
import { CONNECTOR_CLASSES, type ConnectorKind } from './connector-class';
import { valueToString } from './coerce';
import { documentationFor, findKeyDef, keysFor, type ConfigKeyDef, type ConfigType } from './definitions';
import { validateKeys, type RawConfig } from './parse';
import { HIDDEN } from './secret';

/** Kafka Connect's ConfigKeyInfo (one entry of `GET /connector-plugins/{plugin}/config`). */
export interface ConfigKeyInfo {
  name: string;
  /** Kafka's ConfigDef type names: STRING, INT, LONG, BOOLEAN, LIST, PASSWORD. */
  type: string;
  required: boolean;
  /** The default as a string; null when there is none. */
  default_value: string | null;
  importance: string;
  documentation: string;
  group: string;
  order: number;
  width: string;
  display_name: string;
  dependents: string[];
}

/** Kafka Connect's ConfigValueInfo. */
export interface ConfigValueInfo {
  name: string;
  value: string | null;
  recommended_values: string[];
  errors: string[];
  visible: boolean;
}

export interface ConfigInfo {
  definition: ConfigKeyInfo;
  value: ConfigValueInfo;
}

/** Kafka Connect's ConfigInfos (the body of `PUT /connector-plugins/{plugin}/config/validate`). */
export interface ConfigInfos {
  name: string;
  error_count: number;
  groups: string[];
  configs: ConfigInfo[];
}

const KAFKA_TYPES: Readonly<Record<ConfigType, string>> = {
  string: 'STRING',
  enum: 'STRING',
  int: 'INT',
  long: 'LONG',
  boolean: 'BOOLEAN',
  list: 'LIST',
  password: 'PASSWORD',
};

function keyInfo(def: ConfigKeyDef, kind: ConnectorKind, orderInGroup: number): ConfigKeyInfo {
  let defaultValue: string | null = null;
  if (def.default !== undefined) {
    defaultValue = def.type === 'password' ? HIDDEN : valueToString(def.default);
  }
  return {
    name: def.name,
    type: KAFKA_TYPES[def.type],
    required: def.required,
    default_value: defaultValue,
    importance: def.importance,
    documentation: documentationFor(def, kind),
    group: def.group,
    order: orderInGroup,
    width: 'NONE',
    display_name: def.name,
    dependents: [...(def.dependents ?? [])],
  };
}

/** Definitions as ConfigKeyInfo, `order` counting from 1 in each group. */
function describe(defs: readonly ConfigKeyDef[], docsKind: ConnectorKind): ConfigKeyInfo[] {
  const order = new Map<string, number>();
  return defs.map((def) => {
    const n = (order.get(def.group) ?? 0) + 1;
    order.set(def.group, n);
    return keyInfo(def, docsKind, n);
  });
}

/** The keys of one connector kind as ConfigKeyInfo, in group order. */
export function describeConfigKeys(kind: ConnectorKind): ConfigKeyInfo[] {
  return describe(keysFor(kind), kind);
}

/** Groups in the order their first key appears. */
function groupsOf(infos: readonly ConfigKeyInfo[]): string[] {
  return [...new Set(infos.map((info) => info.group))];
}

/**
 * Validates a configuration the way `PUT /connector-plugins/{plugin}/config/validate` does: always a
 * ConfigInfos (HTTP 200 even when invalid), one entry per key of the connector with its value (the
 * value written, else the default, as a string; passwords `[hidden]`), its errors, and the total
 * `error_count`. `name` is the guide's class name of the plugin.
 *
 * @param kind the plugin of the URL; by default the kind `connector.class` names. When neither is
 *   known only the keys both connectors share are listed (with the error on `connector.class`).
 */
export function validateForRest(raw: RawConfig, kind?: ConnectorKind): ConfigInfos {
  const results = validateKeys(raw, kind);
  const effectiveKind = results.kind;
  // Unknown kind: the shared keys only, documented as for a sink (their texts barely differ).
  const definitions = describe(keysFor(effectiveKind), effectiveKind ?? 'sink');
  const errorsByKey = new Map<string, string[]>();
  for (const p of results.problems) {
    errorsByKey.set(p.key, [...(errorsByKey.get(p.key) ?? []), p.message]);
  }
  const configs = definitions.map((definition): ConfigInfo => {
    const def = findKeyDef(definition.name) as ConfigKeyDef;
    const errors = errorsByKey.get(definition.name) ?? [];
    return {
      definition,
      value: {
        name: definition.name,
        value: displayValue(def, results.flat[def.name]),
        recommended_values: [...(def.values ?? [])],
        errors,
        visible: true,
      },
    };
  });
  const classValue = results.flat['connector.class'];
  return {
    name: effectiveKind ? CONNECTOR_CLASSES[effectiveKind] : typeof classValue === 'string' ? classValue : '',
    error_count: configs.reduce((sum, info) => sum + info.value.errors.length, 0),
    groups: groupsOf(definitions),
    configs,
  };
}

/** The value shown for a key: what was written (as a string), else the default; passwords hidden. */
function displayValue(def: ConfigKeyDef, given: unknown): string | null {
  if (given === undefined || given === null) {
    if (def.default === undefined) return null;
    return def.type === 'password' ? HIDDEN : valueToString(def.default);
  }
  if (def.type === 'password') return HIDDEN;
  if (def.name === 'connection.url' && typeof given === 'string') return hideUrlPassword(given);
  if (typeof given === 'string') return given;
  if (Array.isArray(given) && given.every((item) => typeof item === 'string')) return given.join(',');
  if (typeof given === 'number' || typeof given === 'boolean') return String(given);
  return show(given);
}
