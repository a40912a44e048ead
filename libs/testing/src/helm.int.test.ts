// Smoke test: helm lints and renders a small chart, and the real kube-apiserver accepts
// the rendered manifests in a server-side dry run.
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { loadTestEnv, runCommand, uniqueName } from './index';

describe('helm + kubectl against the real kube-apiserver', () => {
  const env = loadTestEnv('kube');
  const chart = join(import.meta.dirname, '..', 'testdata', 'smoke-chart');
  const kubeEnv = {
    ...process.env,
    KUBECONFIG: env.kube.kubeconfig,
    HELM_CACHE_HOME: '/tmp/kwdb-connect-helm',
  };

  it('helm lint passes', async () => {
    const result = await runCommand(env.tools.helm, ['lint', chart], { env: kubeEnv });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(result.code).toBe(0);
  });

  it('helm template output is accepted by kubectl apply --dry-run=server', async () => {
    const release = uniqueName('smoke');
    const rendered = await runCommand(
      env.tools.helm,
      ['template', release, chart, '--kube-version', env.kube.version, '--namespace', 'default'],
      { env: kubeEnv },
    );
    expect(rendered.code).toBe(0);
    expect(rendered.stdout).toContain(`name: ${release}-config`);
    expect(rendered.stdout).toContain(`kubeVersion: "v${env.kube.version}"`);

    const applied = await runCommand(env.tools.kubectl, ['apply', '--dry-run=server', '-f', '-'], {
      env: kubeEnv,
      input: rendered.stdout,
    });
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`configmap/${release}-config created (server dry run)`);
    expect(applied.stdout).toContain(`deployment.apps/${release} created (server dry run)`);
  });
});
