// Everything the worker reads once at start: the environment (worker contract), the worker config
// file ({ name, config, targetState }) and the password (file or variable, never the command line).
// Every problem is collected and reported by key; nothing here exits or logs.
import {
  parseConnectorConfig,
  parseWorkerEnv,
  Secret,
  type ConfigProblem,
  type SinkConfig,
  type WorkerEnv,
} from '@kwdb-connect/connector-config';
import { parseTargetState, type TargetState } from '../control/target-state';

export interface LoadedConfig {
  env: WorkerEnv;
  config: SinkConfig;
  targetState: TargetState;
  /** The password value, for masking it in logs and traces (empty when none is set). */
  secretValues: string[];
}

export type LoadResult =
  | { ok: true; loaded: LoadedConfig; warnings: ConfigProblem[] }
  | {
      ok: false;
      problems: ConfigProblem[];
      /** Known when the environment parsed: lets the caller publish FAILED. */
      env: WorkerEnv | undefined;
      /** The connector name, when the config file gave one. */
      connectorName: string | undefined;
      secretValues: string[];
    };

export type ReadFile = (path: string) => string;

const problem = (key: string, text: string): ConfigProblem => ({ key, message: `${key}: ${text}` });

/** A password file may end with one newline (an editor's or `echo`'s); it is not part of the password. */
export function passwordFromFile(text: string): string {
  return text.replace(/\r?\n$/, '');
}

export function loadConfig(
  rawEnv: Readonly<Record<string, string | undefined>>,
  hostname: string,
  readFile: ReadFile,
): LoadResult {
  const problems: ConfigProblem[] = [];
  const secretValues: string[] = [];
  const envResult = parseWorkerEnv(rawEnv, { hostname });
  const env = envResult.ok ? envResult.env : undefined;
  if (!envResult.ok) problems.push(...envResult.errors);
  const warnings = envResult.ok ? [...envResult.warnings] : [];

  let password: string | undefined;
  if (env?.password?.kind === 'env') password = env.password.value.reveal();
  if (env?.password?.kind === 'file') {
    try {
      password = passwordFromFile(readFile(env.password.path));
    } catch (error) {
      problems.push(problem('KWDB_CONNECT_PASSWORD_FILE', `cannot be read: ${(error as Error).message}`));
    }
  }
  if (password !== undefined && password !== '') secretValues.push(password);

  const configFile = rawEnv['KWDB_CONNECT_CONFIG_FILE']?.trim();
  let connectorName: string | undefined;
  let targetState: TargetState = 'RUNNING';
  let config: SinkConfig | undefined;
  if (!configFile) {
    problems.push(problem('KWDB_CONNECT_CONFIG_FILE', 'is required (path of the worker config file)'));
  } else {
    let file: unknown;
    try {
      file = JSON.parse(readFile(configFile));
    } catch (error) {
      problems.push(problem('KWDB_CONNECT_CONFIG_FILE', `${configFile}: ${(error as Error).message}`));
    }
    if (file !== undefined) {
      const parsed = parseWorkerFile(file, password);
      connectorName = parsed.name;
      problems.push(...parsed.problems);
      targetState = parsed.targetState ?? targetState;
      config = parsed.config;
    }
  }

  if (problems.length > 0 || env === undefined || config === undefined) {
    return { ok: false, problems, env, connectorName, secretValues };
  }
  return { ok: true, loaded: { env, config, targetState, secretValues }, warnings };
}

interface ParsedFile {
  name: string | undefined;
  config: SinkConfig | undefined;
  targetState: TargetState | undefined;
  problems: ConfigProblem[];
}

/** The worker config file: `{ "name", "config": {...}, "targetState" }` (docs/worker-contract.md). */
export function parseWorkerFile(file: unknown, password: string | undefined): ParsedFile {
  const out: ParsedFile = { name: undefined, config: undefined, targetState: undefined, problems: [] };
  if (typeof file !== 'object' || file === null || Array.isArray(file)) {
    out.problems.push(
      problem('KWDB_CONNECT_CONFIG_FILE', 'must hold a JSON object { name, config, targetState }'),
    );
    return out;
  }
  const record = file as Record<string, unknown>;
  if (typeof record['name'] === 'string') out.name = record['name'];
  const state = parseTargetState(record['targetState']);
  if (state === undefined) {
    out.problems.push(
      problem('targetState', `must be RUNNING or PAUSED, got ${JSON.stringify(record['targetState'])}`),
    );
  } else {
    out.targetState = state;
  }
  const inner = record['config'];
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) {
    out.problems.push(problem('config', 'must be an object holding the connector configuration'));
    return out;
  }
  const flat: Record<string, unknown> = { ...(inner as Record<string, unknown>) };
  if ('connection.password' in flat) {
    out.problems.push(
      problem('connection.password', 'must not be in the worker config file; use KWDB_CONNECT_PASSWORD_FILE'),
    );
    delete flat['connection.password'];
  }
  if (password !== undefined) flat['connection.password'] = new Secret(password);
  const result = parseConnectorConfig({ name: record['name'], config: flat });
  if (!result.ok) {
    out.problems.push(...result.errors);
    return out;
  }
  if (result.config.kind !== 'sink') {
    out.problems.push(
      problem('connector.class', `must name the sink connector, got ${result.config.connectorClass}`),
    );
    return out;
  }
  out.config = result.config;
  return out;
}
