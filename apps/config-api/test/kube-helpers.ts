// Helpers for the tests against the real kube-apiserver of the test environment: kubectl, the CRD
// installed from the committed file, a fresh namespace per test file.
import { join } from 'node:path';
import { runCommand, uniqueName, type TestEnv } from '@kwdb-connect/testing';
import { CRD_FILE } from '../src/operator/crd-file';
import { KubeHttp } from '../src/operator/kube-http';
import { resourcePath } from '../src/store/kubernetes/kubernetes-connector-store';
import { eventually } from './helpers';

export const REPO = join(import.meta.dirname, '..', '..', '..');

export interface KubeTestContext {
  http: KubeHttp;
  namespace: string;
  kubectl(args: string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** kubectl apply of the CRD file, a fresh namespace, and a wait until the resource is served. */
export async function kubeContext(env: TestEnv, prefix: string): Promise<KubeTestContext> {
  const http = KubeHttp.load(env.kube.kubeconfig);
  const namespace = uniqueName(prefix)
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 50);
  const kubectl = (args: string[], input?: string) =>
    runCommand(
      env.tools.kubectl,
      ['--kubeconfig', env.kube.kubeconfig, ...args],
      input === undefined ? {} : { input },
    );
  const applied = await kubectl(['apply', '--server-side', '--force-conflicts', '-f', join(REPO, CRD_FILE)]);
  if (applied.code !== 0) throw new Error(`kubectl apply of the CRD failed: ${applied.stderr}`);
  await http.request('POST', '/api/v1/namespaces', { body: { metadata: { name: namespace } } });
  // With the ServiceAccount admission plugin on (the cluster service's apiserver), Pods need the
  // namespace's `default` ServiceAccount, which only kube-controller-manager would create.
  await http
    .request('POST', `/api/v1/namespaces/${namespace}/serviceaccounts`, {
      body: { metadata: { name: 'default' } },
    })
    .catch((error: unknown) => {
      if ((error as { status?: number }).status !== 409) throw error;
    });
  await eventually(
    async () => (await http.find(resourcePath(namespace))) ?? undefined,
    'the KwdbConnector resource to be served',
  );
  return { http, namespace, kubectl };
}

/**
 * Whether controllers run on the test apiserver (the `cluster` service: kube-controller-manager,
 * scheduler, kubelet). Then Deployments get Pods and owner references are garbage-collected;
 * with `kube` alone, tests play the ReplicaSet themselves.
 */
export function controllersRun(env: TestEnv): boolean {
  return (env as unknown as { cluster?: { running?: boolean } }).cluster?.running === true;
}
