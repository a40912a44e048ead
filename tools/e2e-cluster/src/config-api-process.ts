// config-api in Kubernetes mode as a host process (the built dist/apps/config-api/main.js), against
// the cluster's apiserver, its operator running worker Pods from the project's image. Everything a
// Pod reaches listens on 127.0.0.1, so the workers run with hostNetwork and any free HTTP port
// (docs/testing.md, "What Pods can and cannot do here").
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort, workspaceRoot, type TestEnv } from '@kwdb-connect/testing';

export interface ConfigApiProcessOptions {
  env: TestEnv;
  namespace: string;
  image: string;
  /** This replica's Lease identity (KWDB_CONNECT_POD_NAME). */
  identity: string;
  dataDir: string;
  statusTopic: string;
  offsetsTopic: string;
  leaseDurationSeconds?: number;
  /** The workers' /metrics port (KWDB_CONNECT_WORKER_PORT); default 0, any free port and no scrape annotations. */
  workerPort?: number;
}

export interface ConfigApiProcess {
  url: string;
  identity: string;
  child: ChildProcess;
  /** stdout and stderr lines so far (JSON log lines). */
  lines: string[];
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
  /** SIGTERM (or the given signal), then waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/** The environment parseApiConfig reads (apps/config-api/src/config.ts), for the cluster. */
export function configApiEnvironment(o: ConfigApiProcessOptions, restPort: number): Record<string, string> {
  return {
    KWDB_CONNECT_RUNTIME: 'kubernetes',
    KWDB_CONNECT_REST_HOST: '127.0.0.1',
    KWDB_CONNECT_REST_PORT: String(restPort),
    KAFKA_BOOTSTRAP_SERVERS: o.env.kafka.brokers.join(','),
    KWDB_CONNECT_DATA_DIR: o.dataDir,
    KWDB_CONNECT_STATUS_TOPIC: o.statusTopic,
    KWDB_CONNECT_OFFSETS_TOPIC: o.offsetsTopic,
    KWDB_CONNECT_KUBECONFIG: o.env.cluster.kubeconfig,
    KWDB_CONNECT_NAMESPACE: o.namespace,
    KWDB_CONNECT_POD_NAME: o.identity,
    KWDB_CONNECT_WORKER_IMAGE: o.image,
    KWDB_CONNECT_WORKER_IMAGE_PULL_POLICY: 'Never',
    KWDB_CONNECT_WORKER_HOST_NETWORK: 'true',
    KWDB_CONNECT_WORKER_HTTP_HOST: '127.0.0.1',
    KWDB_CONNECT_WORKER_PORT: String(o.workerPort ?? 0),
    KWDB_CONNECT_LEASE_DURATION_SECONDS: String(o.leaseDurationSeconds ?? 15),
    KWDB_CONNECT_RESYNC_SECONDS: '10',
    KWDB_CONNECT_LOG_LEVEL: 'info',
  };
}

export async function startConfigApiProcess(o: ConfigApiProcessOptions): Promise<ConfigApiProcess> {
  const port = await freePort();
  const main = join(workspaceRoot(), 'dist', 'apps', 'config-api', 'main.js');
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...configApiEnvironment(o, port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let listening: (() => void) | undefined;
  const ready = new Promise<void>((resolve) => (listening = resolve));
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (line.includes('"config-api listening"')) listening?.();
      }
    });
  }
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const started = await Promise.race([ready.then(() => 'ready' as const), exited]);
  if (started !== 'ready') {
    throw new Error(`config-api ${o.identity} exited (${started}) before listening:\n${lines.join('\n')}`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    identity: o.identity,
    child,
    lines,
    exited,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
