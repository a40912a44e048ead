import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the real test services are, as written by `scripts/testenv/testenv.sh start`. */
export interface TestEnv {
  host: string;
  kafka: { brokers: string[]; running: boolean };
  postgres: { host: string; port: number; user: string; database: string; url: string; running: boolean };
  kube: { kubeconfig: string; version: string; running: boolean };
  /** The one-node cluster (scripts/testenv/cluster.sh): the kube service's apiserver + a node. */
  cluster: ClusterEnv;
  /** The ingress controller (scripts/testenv/ingress.sh): Ingresses of `className` are served at `url`. */
  ingress: { url: string; className: string; running: boolean };
  /** Absent in an env.json written before the prometheus service existed. */
  prometheus?: { url: string; dir: string; running: boolean };
  tools: {
    kubectl: string;
    helm: string;
    promtool?: string;
    /** prometheus-operator CRDs (ServiceMonitor, PodMonitor, PrometheusRule) */
    prometheusOperatorCrds?: string;
    kafkaClasspath: string;
  };
  logDir: string;
}

/** The `cluster` section of env.json. */
export interface ClusterEnv {
  /** The same kubeconfig as the kube service's (one apiserver for both). */
  kubeconfig: string;
  version: string;
  /** Where Pods reach the apiserver: set KUBERNETES_SERVICE_HOST/PORT to these (hostNetwork Pods). */
  apiHost: string;
  apiPort: number;
  /** The node's name. */
  node: string;
  /** The node base image (localhost/kwdb-node:<node version>), already in the node's containerd. */
  nodeImage: string;
  /** containerd's socket, for `ctr -a` / `crictl --runtime-endpoint unix://...` (root). */
  containerdAddress: string;
  running: boolean;
}

export type Service = 'kafka' | 'postgres' | 'kube' | 'cluster' | 'ingress' | 'prometheus';

export class TestEnvError extends Error {
  readonly code = 'TESTENV_UNAVAILABLE';
  constructor(message: string) {
    super(message);
    this.name = 'TestEnvError';
  }
}

/** The folder the testenv scripts use (same default as scripts/testenv/lib.sh). */
export function testEnvDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['TESTENV_DIR'] ?? env['KWDB_CONNECT_TESTENV'] ?? '/tmp/kwdb-connect-testenv';
}

/** Parses env.json; throws a TestEnvError naming the field when the file is malformed. */
export function parseTestEnv(text: string, source: string): TestEnv {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new TestEnvError(`${source}: not valid JSON (${(e as Error).message})`);
  }
  const env = value as Partial<TestEnv>;
  for (const key of ['host', 'kafka', 'postgres', 'kube', 'tools'] as const) {
    if (env[key] === undefined) throw new TestEnvError(`${source}: missing "${key}"`);
  }
  return env as TestEnv;
}

/**
 * Loads the test environment and checks that the services a test needs are up.
 * Integration tests call this first: with a service absent they fail loudly,
 * never skip.
 */
export function loadTestEnv(...needs: Service[]): TestEnv {
  const file = join(testEnvDir(), 'env.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new TestEnvError(
      `${file} not found: the test services are not running. Start them with ` +
        '`npm run testenv start` (or run the whole suite with `npm test`).',
    );
  }
  const env = parseTestEnv(text, file);
  // env.json files written before the cluster service existed have no "cluster" section.
  const down = needs.filter((s) => env[s]?.running !== true);
  if (down.length > 0) {
    throw new TestEnvError(
      `test service(s) not running: ${down.join(', ')} (per ${file}). ` +
        `Start them with \`npm run testenv start ${down.join(' ')}\`.`,
    );
  }
  return env;
}
