// What the operator tests on the one-node cluster share (operator-sink, operator-source,
// operator-leader): a fresh namespace with the KwdbConnector CRD served, config-api processes in
// Kubernetes mode on it (one status and offsets topic per namespace, as replicas of one Connect
// cluster share them), the example manifests with this run's connection values, and the probes the
// tests poll, which print the namespace's objects and config-api's log tails when they time out.
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  clusterImage,
  kubectl,
  kubectlOk,
  uniqueName,
  workspaceRoot,
  type TestEnv,
} from '@kwdb-connect/testing';
import { startConfigApiProcess, type ConfigApiProcess } from './config-api-process';
import { deleteNamespace, freshNamespace } from './namespaces';

const ROOT = workspaceRoot();
const CRD = join(ROOT, 'charts', 'kwdb-connect', 'crds', 'kwdbconnector.yaml');

/** A committed example manifest of k8s/examples, as text. */
export function exampleManifest(file: string): string {
  return readFileSync(join(ROOT, 'k8s', 'examples', file), 'utf8');
}

/** The YAML with the value of each `key: value` line named replaced; throws when a key is missing. */
export function withValues(yaml: string, values: Record<string, string | number>): string {
  let out = yaml;
  for (const [key, value] of Object.entries(values)) {
    const pattern = new RegExp(`^(\\s+${key.replace(/\./g, '\\.')}: ).*$`, 'm');
    if (!pattern.test(out)) throw new Error(`the example has no line "${key}: ..."`);
    out = out.replace(pattern, `$1${value}`);
  }
  return out;
}

/** The connection values that point an example at the test PostgreSQL's database `database`. */
export function connectionValues(env: TestEnv, database: string): Record<string, string> {
  return {
    'connection.url': `postgres://${env.postgres.host}:${env.postgres.port}`,
    'connection.database': database,
    'connection.user': env.postgres.user,
  };
}

/** CREATE DATABASE and a client connected to it. */
export async function createDatabase(env: TestEnv, name: string): Promise<pg.Client> {
  const admin = new pg.Client({ connectionString: env.postgres.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(env.postgres.url);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  return client;
}

export interface RestAnswer {
  status: number;
  body: unknown;
}

/** One call of config-api's REST API (JSON in, JSON out). */
export async function rest(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<RestAnswer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

export interface WorkerPod {
  name: string;
  phase: string;
  ready: boolean;
  taskId: string | undefined;
}

interface PodJson {
  metadata: { name: string; annotations?: Record<string, string>; deletionTimestamp?: string };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

export class OperatorCluster {
  readonly env: TestEnv;
  readonly namespace: string;
  readonly image: string;
  readonly statusTopic = uniqueName('e2e-operator-status');
  readonly offsetsTopic = uniqueName('e2e-operator-offsets');
  /** The config-api processes started here (the log tails of each go into timeouts). */
  readonly apis: ConfigApiProcess[] = [];
  private readonly dataDirs: string[] = [];

  private constructor(env: TestEnv, namespace: string, image: string) {
    this.env = env;
    this.namespace = namespace;
    this.image = image;
  }

  /** The project's image, a fresh namespace, and the CRD applied and served. */
  static async start(env: TestEnv, prefix: string): Promise<OperatorCluster> {
    const image = await clusterImage();
    const namespace = await freshNamespace(env, prefix);
    const cluster = new OperatorCluster(env, namespace, image);
    await kubectlOk(env, ['apply', '--server-side', '--force-conflicts', '-f', CRD]);
    await kubectlOk(env, ['wait', '--for=condition=Established', 'crd/kwdbconnectors.kwdb-connect.io']);
    // Established is not yet served: the apiserver answers 429 "storage is (re)initializing" for a
    // moment (docs/testing.md). config-api retries that (ADR 0026); kubectl apply does not.
    await cluster.until(
      async () => ((await kubectl(env, ['-n', namespace, 'get', 'kwc'])).code === 0 ? true : undefined),
      'the KwdbConnector resource to be served',
    );
    return cluster;
  }

  /** config-api in Kubernetes mode on this namespace, as the Lease identity `identity`. */
  async startConfigApi(identity: string, leaseDurationSeconds?: number): Promise<ConfigApiProcess> {
    const dataDir = await mkdtemp(join(tmpdir(), 'e2e-operator-'));
    this.dataDirs.push(dataDir);
    const api = await startConfigApiProcess({
      env: this.env,
      namespace: this.namespace,
      image: this.image,
      identity,
      dataDir,
      statusTopic: this.statusTopic,
      offsetsTopic: this.offsetsTopic,
      ...(leaseDurationSeconds === undefined ? {} : { leaseDurationSeconds }),
    });
    this.apis.push(api);
    return api;
  }

  /** Stops the config-api processes, deletes the namespace and the data directories. */
  async close(): Promise<void> {
    for (const api of this.apis) await api.stop();
    await deleteNamespace(this.env, this.namespace);
    for (const dir of this.dataDirs) await rm(dir, { recursive: true, force: true });
  }

  /** kubectl in this namespace; throws on a non-zero exit. */
  k(args: string[], input?: string): Promise<string> {
    return kubectlOk(this.env, ['-n', this.namespace, ...args], {
      timeoutMs: 120_000,
      ...(input === undefined ? {} : { input }),
    });
  }

  /** Whether `kubectl get KIND/NAME` finds the object. */
  async exists(kindSlashName: string): Promise<boolean> {
    const out = await this.k(['get', kindSlashName, '--ignore-not-found', '-o', 'name']);
    return out.trim() !== '';
  }

  /** Polls `probe` until it answers a value; on timeout, throws with what the namespace holds. */
  async until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 180_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        const value = await probe();
        if (value !== undefined) return value;
      } catch (error) {
        last = error;
      }
      if (Date.now() > deadline) {
        const objects = await kubectl(this.env, [
          '-n',
          this.namespace,
          'get',
          'pods,deploy,kwc',
          '-o',
          'wide',
        ]);
        const logs = this.apis.map(
          (a) => `config-api ${a.identity} log tail:\n${a.lines.slice(-30).join('\n')}`,
        );
        throw new Error(
          `timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}\n${objects.stdout}\n` +
            logs.join('\n'),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /** The live (not terminating) worker Pods of the resource, with their task-id annotation. */
  async workers(resource: string): Promise<WorkerPod[]> {
    const list = JSON.parse(
      await this.k(['get', 'pods', '-l', `kwdb-connect.io/connector=${resource}`, '-o', 'json']),
    ) as { items: PodJson[] };
    return list.items
      .filter((p) => p.metadata.deletionTimestamp === undefined)
      .map((p) => ({
        name: p.metadata.name,
        phase: p.status?.phase ?? '',
        ready: p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
        taskId: p.metadata.annotations?.['kwdb-connect.io/task-id'],
      }));
  }

  /**
   * Waits until exactly n worker Pods of the resource run (and are Ready, with `ready`), holding
   * task ids 0..n-1; returns their names by task id.
   */
  runningTasks(resource: string, n: number, options: { ready?: boolean } = {}): Promise<string[]> {
    return this.until(
      async () => {
        const live = await this.workers(resource);
        if (live.length !== n || live.some((p) => p.phase !== 'Running' || (options.ready && !p.ready))) {
          return undefined;
        }
        const ids = live.map((p) => Number(p.taskId)).sort((a, b) => a - b);
        if (ids.join(',') !== [...Array(n).keys()].join(',')) return undefined;
        return [...live].sort((a, b) => Number(a.taskId) - Number(b.taskId)).map((p) => p.name);
      },
      `${n} ${options.ready ? 'ready' : 'running'} worker Pods of ${resource} with task ids 0..${n - 1}`,
    );
  }
}
