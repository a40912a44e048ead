// A fresh namespace per test file, ready for bare Pods: with ServiceAccount admission on, a Pod is
// refused until kube-controller-manager has made the namespace's `default` ServiceAccount.
import { kubectlOk, uniqueName, type TestEnv } from '@kwdb-connect/testing';

export async function freshNamespace(env: TestEnv, prefix: string): Promise<string> {
  const namespace = uniqueName(prefix);
  await kubectlOk(env, ['create', 'namespace', namespace]);
  await kubectlOk(env, ['wait', '--for=create', 'serviceaccount/default', '-n', namespace, '--timeout=60s'], {
    timeoutMs: 70_000,
  });
  return namespace;
}

/** Deletes the namespace and everything in it; does not wait for the Pods' grace periods. */
export async function deleteNamespace(env: TestEnv, namespace: string): Promise<void> {
  await kubectlOk(env, ['delete', 'namespace', namespace, '--wait=false', '--ignore-not-found']);
}
