// `cluster.sh host-state` is what scripts/test.sh compares before the cluster starts and after it
// stops (any difference fails the run). This proves the comparison can see each kind of change the
// running node makes: with a Pod on the Pod network running, every kind shows up.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import {
  clusterImage,
  kubectlOk,
  loadTestEnv,
  runCommand,
  testEnvDir,
  workspaceRoot,
} from '@kwdb-connect/testing';
import { cliPod, configMap, list } from './manifests';
import { deleteNamespace, freshNamespace } from './namespaces';

const env = loadTestEnv('cluster');
const CLUSTER_SH = join(workspaceRoot(), 'scripts', 'testenv', 'cluster.sh');

describe('cluster.sh host-state sees what the running node changed on the host', () => {
  let namespace: string;
  let state: string[];

  beforeAll(async () => {
    const image = await clusterImage();
    namespace = await freshNamespace(env, 'e2e-host');
    // A Pod on the Pod network (not hostNetwork): its sandbox gets the bridge, a CNI chain, mounts.
    await kubectlOk(env, ['apply', '-f', '-'], {
      input: list([
        configMap(namespace, 'empty', {}),
        cliPod({
          namespace,
          name: 'sleeper',
          image,
          command: ['node'],
          args: ['-e', 'setTimeout(() => {}, 600000)'],
          dataConfigMap: 'empty',
        }),
      ]),
    });
    await kubectlOk(
      env,
      ['wait', '-n', namespace, 'pod/sleeper', '--for=condition=Ready', '--timeout=120s'],
      {
        timeoutMs: 130_000,
      },
    );
    const result = await runCommand('bash', [CLUSTER_SH, 'host-state'], {
      env: { ...process.env, TESTENV_DIR: testEnvDir() },
    });
    expect(result.code).toBe(0);
    state = result.stdout.trim().split('\n');
  }, 600_000);

  afterAll(async () => {
    if (namespace !== undefined) await deleteNamespace(env, namespace);
  });

  it.each([
    ['the kubelet sysctl', /^sysctl vm\.overcommit_memory=1$/],
    ['the bridge plugin sysctl', /^sysctl net\.ipv4\.ip_forward=1$/],
    ['the kubelet iptables chain', /^iptables filter -N KUBE-FIREWALL$/],
    ['the kubelet ip6tables chain', /^ip6tables (filter|mangle|nat) -N KUBE-/],
    ['a CNI nat chain', /^iptables nat -N CNI-/],
    ['the bridge', /^bridge kwdbcluster0$/],
    ['the kubepods cgroups', /^cgroup \/sys\/fs\/cgroup\/.*kubepods$/],
    ['mounts under the cluster directory', /^mount \/.*\/cluster\//],
    ['the hard-coded kubelet path', /^path \/var\/lib\/kubelet$/],
    ['the one-cluster-per-host owner file', /^path \/run\/kwdb-connect-cluster\.owner$/],
    ['the node processes', /^processes using /],
  ])('%s', (_name, line) => {
    expect(state).toContainEqual(expect.stringMatching(line));
  });
});
