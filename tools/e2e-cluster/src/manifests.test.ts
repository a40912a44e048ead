import { describe, expect, it } from '@jest/globals';
import { cliPod, sinkWorkerPod } from './manifests';

type Container = {
  image: string;
  imagePullPolicy: string;
  env?: { name: string; value?: string; valueFrom?: unknown }[];
};
type PodSpec = { hostNetwork?: boolean; securityContext: unknown; containers: Container[] };

const sink = sinkWorkerPod({
  namespace: 'ns',
  name: 'worker-a',
  image: 'localhost/kwdb-connect:abc',
  brokers: ['127.0.0.1:1', '127.0.0.1:2'],
  apiHost: '127.0.0.1',
  apiPort: 16443,
  statusTopic: 'status',
  configMap: 'cfg',
  passwordSecret: 'pw',
  taskId: 3,
});
const sinkSpec = sink['spec'] as PodSpec;
const sinkEnv = new Map(sinkSpec.containers[0]!.env!.map((e) => [e.name, e.value ?? e.valueFrom]));

describe('sinkWorkerPod: what the one-node test cluster needs', () => {
  it.each([
    ['POD_NAME from the downward API', 'POD_NAME', { fieldRef: { fieldPath: 'metadata.name' } }],
    ['the worker id is the Pod name', 'KWDB_CONNECT_WORKER_ID', '$(POD_NAME)'],
    ['the apiserver host', 'KUBERNETES_SERVICE_HOST', '127.0.0.1'],
    ['the apiserver port', 'KUBERNETES_SERVICE_PORT', '16443'],
    ['any free metrics port (host network)', 'KWDB_CONNECT_HTTP_PORT', '0'],
    ['the brokers', 'KAFKA_BOOTSTRAP_SERVERS', '127.0.0.1:1,127.0.0.1:2'],
    ['the task id', 'KWDB_CONNECT_TASK_ID', '3'],
    ['the sink heap limit', 'NODE_OPTIONS', '--max-old-space-size=160'],
  ])('%s', (_name, variable, expected) => {
    expect(sinkEnv.get(variable)).toEqual(expected);
  });

  it('uses the host network, the imported image only, and a non-root user', () => {
    expect(sinkSpec.hostNetwork).toBe(true);
    expect(sinkSpec.containers[0]!.imagePullPolicy).toBe('Never');
    expect(sinkSpec.securityContext).toEqual({ runAsNonRoot: true });
  });

  it('never puts the password in the environment', () => {
    expect([...sinkEnv.keys()]).not.toContain('KWDB_CONNECT_PASSWORD');
    expect(sinkEnv.get('KWDB_CONNECT_PASSWORD_FILE')).toBe('/etc/kwdb-connect-secret/password');
  });
});

describe('cliPod', () => {
  it.each([
    ['the image entrypoint', undefined, undefined],
    ['a command', ['node'], ['node']],
  ])('with %s', (_name, command, expected) => {
    const pod = cliPod({
      namespace: 'ns',
      name: 'p',
      image: 'i',
      args: ['--help'],
      command,
      dataConfigMap: 'd',
    });
    const container = (pod['spec'] as { containers: Record<string, unknown>[] }).containers[0]!;
    expect(container['command']).toEqual(expected);
    expect(container['imagePullPolicy']).toBe('Never');
  });
});
