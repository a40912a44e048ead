// Smoke test: the ingress controller (Traefik, scripts/testenv/ingress.sh) is real and watches the
// kube-apiserver: it admits an Ingress of its class (status address 127.0.0.1) and answers for the
// hosts it serves. Routing to running Pods is tested on the cluster (charts/kwdb-connect/test).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from 'node:http';
import { loadTestEnv, runCommand, uniqueName } from './index';

describe('the ingress controller against the real kube-apiserver', () => {
  const env = loadTestEnv('kube', 'ingress');
  const namespace = uniqueName('ingress-smoke');
  const kubectl = (args: string[], input?: string) =>
    runCommand(env.tools.kubectl, ['--kubeconfig', env.kube.kubeconfig, ...args], { input });

  beforeAll(async () => {
    expect((await kubectl(['create', 'namespace', namespace])).code).toBe(0);
  });
  afterAll(async () => {
    await kubectl(['delete', 'namespace', namespace, '--wait=false']);
  });

  it('admits an Ingress of its class and sets the Ingress address', async () => {
    const manifest = JSON.stringify({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'smoke', namespace },
      spec: {
        ingressClassName: env.ingress.className,
        rules: [
          {
            host: `${namespace}.test`,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'absent', port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    });
    const applied = await kubectl(['apply', '-f', '-'], manifest);
    expect(applied.stderr).toBe('');
    let address = '';
    for (let i = 0; i < 100 && address === ''; i += 1) {
      const got = await kubectl([
        'get',
        'ingress',
        'smoke',
        '-n',
        namespace,
        '-o',
        'jsonpath={.status.loadBalancer.ingress[0].ip}',
      ]);
      address = got.stdout.trim();
      if (address === '') await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(address).toBe(env.host);
  });

  it('answers HTTP on its port: 404 for a host no Ingress can serve', async () => {
    // The smoke Ingress's Service has no endpoints (no Pods run here), so Traefik has no route.
    const { port } = new URL(env.ingress.url);
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        { host: env.host, port, path: '/', headers: { Host: `${namespace}.test` } },
        (r) => {
          let body = '';
          r.on('data', (chunk: Buffer) => (body += chunk.toString()));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(res).toEqual({ status: 404, body: '404 page not found\n' });
  });
});
