// The Kubernetes objects the cluster tests apply, as plain objects (`kubectl apply -f -` of their
// JSON). They follow what the one-node test cluster needs (docs/testing.md, "The cluster"):
// hostNetwork (every test service listens on 127.0.0.1), imagePullPolicy Never (no registry),
// the Pod's name from the downward API (hostNetwork Pods share the host's HOSTNAME) and the
// apiserver's address in KUBERNETES_SERVICE_HOST/PORT.
import { workerNodeArgs } from '@kwdb-connect/runtime';

export type Manifest = Record<string, unknown>;

/** `kubectl apply -f -` input for several objects. */
export function list(items: Manifest[]): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

export function configMap(namespace: string, name: string, data: Record<string, string>): Manifest {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace, name }, data };
}

export function secret(namespace: string, name: string, stringData: Record<string, string>): Manifest {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { namespace, name }, type: 'Opaque', stringData };
}

export interface CliPodOptions {
  namespace: string;
  name: string;
  image: string;
  /** Arguments of the image's default entrypoint, `kwdb-connect` (or of `command`). */
  args: string[];
  /** Replaces the image's entrypoint. */
  command?: string[];
  /** A ConfigMap mounted read-only at /data (the input files). */
  dataConfigMap: string;
}

/** One run of the CLI (the image's default entrypoint); its output is in `kubectl logs`. */
export function cliPod(o: CliPodOptions): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace: o.namespace, name: o.name, labels: { app: 'kwdb-connect-cli' } },
    spec: {
      restartPolicy: 'Never',
      securityContext: { runAsNonRoot: true },
      containers: [
        {
          name: 'cli',
          image: o.image,
          imagePullPolicy: 'Never',
          ...(o.command !== undefined ? { command: o.command } : {}),
          args: o.args,
          volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }],
        },
      ],
      volumes: [{ name: 'data', configMap: { name: o.dataConfigMap } }],
    },
  };
}

export interface SinkWorkerPodOptions {
  namespace: string;
  name: string;
  image: string;
  brokers: string[];
  /** The apiserver as Pods must reach it (env.json's cluster.apiHost / apiPort). */
  apiHost: string;
  apiPort: number;
  statusTopic: string;
  /** ConfigMap with key worker.json (docs/worker-contract.md) and Secret with key password. */
  configMap: string;
  passwordSecret: string;
  taskId: number;
}

/** One sink task, started the way docs/worker-contract.md says, as a hostNetwork Pod. */
export function sinkWorkerPod(o: SinkWorkerPodOptions): Manifest {
  const env: Manifest[] = [
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'KAFKA_BOOTSTRAP_SERVERS', value: o.brokers.join(',') },
    { name: 'KWDB_CONNECT_CONFIG_FILE', value: '/etc/kwdb-connect/worker.json' },
    { name: 'KWDB_CONNECT_PASSWORD_FILE', value: '/etc/kwdb-connect-secret/password' },
    { name: 'KWDB_CONNECT_TASK_ID', value: String(o.taskId) },
    { name: 'KWDB_CONNECT_WORKER_ID', value: '$(POD_NAME)' },
    // hostNetwork: a fixed port would collide between Pods on the one node.
    { name: 'KWDB_CONNECT_HTTP_HOST', value: '127.0.0.1' },
    { name: 'KWDB_CONNECT_HTTP_PORT', value: '0' },
    { name: 'KWDB_CONNECT_STATUS_TOPIC', value: o.statusTopic },
    { name: 'NODE_OPTIONS', value: workerNodeArgs('sink').join(' ') },
    { name: 'KUBERNETES_SERVICE_HOST', value: o.apiHost },
    { name: 'KUBERNETES_SERVICE_PORT', value: String(o.apiPort) },
  ];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace: o.namespace, name: o.name, labels: { app: 'kwdb-sink-worker' } },
    spec: {
      hostNetwork: true,
      restartPolicy: 'Never',
      // The worker's own drain budget is 25 s (SIGTERM -> batch finished, committed, group left).
      terminationGracePeriodSeconds: 30,
      securityContext: { runAsNonRoot: true },
      containers: [
        {
          name: 'sink-worker',
          image: o.image,
          imagePullPolicy: 'Never',
          command: ['kwdb-sink-worker'],
          env,
          volumeMounts: [
            { name: 'config', mountPath: '/etc/kwdb-connect', readOnly: true },
            { name: 'password', mountPath: '/etc/kwdb-connect-secret', readOnly: true },
          ],
        },
      ],
      volumes: [
        { name: 'config', configMap: { name: o.configMap } },
        { name: 'password', secret: { secretName: o.passwordSecret } },
      ],
    },
  };
}
