// Smoke test: the test environment's kube-apiserver is real. A CRD is applied, a custom
// resource is created, watched and deleted through @kubernetes/client-node 1.x (ESM).
import { afterAll, describe, expect, it } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { loadTestEnv, uniqueName } from './index';

const GROUP = 'smoke.kwdb-connect.io';
const PLURAL = 'widgets';

function widgetCrd(): k8s.V1CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${PLURAL}.${GROUP}` },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: { plural: PLURAL, singular: 'widget', kind: 'Widget' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
            },
          },
        },
      ],
    },
  };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('kube-apiserver (real server)', () => {
  const env = loadTestEnv('kube');
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(env.kube.kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const namespace = uniqueName('smoke');
  let abortWatch: AbortController | undefined;

  afterAll(() => abortWatch?.abort());

  it('reports the stamped version', async () => {
    const version = await kc.makeApiClient(k8s.VersionApi).getCode();
    expect(version.gitVersion).toBe(`v${env.kube.version}`);
  });

  it('applies a CRD, then creates, watches and deletes a custom resource', async () => {
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    try {
      await ext.createCustomResourceDefinition({ body: widgetCrd() });
    } catch (e) {
      if ((e as { code?: number }).code !== 409) throw e; // applied by an earlier run on this apiserver
    }
    await waitFor('the CRD to be established', async () => {
      const crd = await ext.readCustomResourceDefinition({ name: `${PLURAL}.${GROUP}` });
      return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')
        ? crd
        : undefined;
    });

    // As envtest does: the CRD is usable once its group/version serves the plural.
    const params = { group: GROUP, version: 'v1', namespace, plural: PLURAL };
    await waitFor('the custom resource to be served', () => custom.listNamespacedCustomObject(params));

    const events: string[] = [];
    const watch = new k8s.Watch(kc);
    abortWatch = await watch.watch(
      `/apis/${GROUP}/v1/namespaces/${namespace}/${PLURAL}`,
      {},
      (type, obj: { metadata?: { name?: string } }) => events.push(`${type} ${obj.metadata?.name}`),
      (err: unknown) => {
        if (err && (err as Error).name !== 'AbortError') events.push(`WATCH ENDED ${String(err)}`);
      },
    );

    await custom.createNamespacedCustomObject({
      ...params,
      body: { apiVersion: `${GROUP}/v1`, kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } },
    });
    const read = (await custom.getNamespacedCustomObject({ ...params, name: 'w1' })) as {
      spec: { size: number };
    };
    expect(read.spec.size).toBe(3);
    await waitFor('the ADDED event', async () => (events.includes('ADDED w1') ? true : undefined));

    await custom.deleteNamespacedCustomObject({ ...params, name: 'w1' });
    await waitFor('the DELETED event', async () => (events.includes('DELETED w1') ? true : undefined));
    const list = (await custom.listNamespacedCustomObject(params)) as { items: unknown[] };
    expect(list.items).toEqual([]);
    expect(events).toEqual(['ADDED w1', 'DELETED w1']);
  });
});
