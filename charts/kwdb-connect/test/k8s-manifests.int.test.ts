// k8s/kwdb-connect.yaml is the chart rendered by tools/scripts/render-k8s.sh: re-rendering gives
// the checked-in file byte for byte, it holds what the chart installs plus the CRD and the
// namespace, and the kube-apiserver accepts every object in a server-side dry run.
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTestEnv, runCommand } from '@kwdb-connect/testing';
import { CHART_DIR, REPO_ROOT, kinds, parseManifests, toolEnv } from './chart';

const env = loadTestEnv('kube');
const CHECKED_IN = join(REPO_ROOT, 'k8s', 'kwdb-connect.yaml');

describe('k8s/ plain manifests', () => {
  it('are what tools/scripts/render-k8s.sh renders from the chart today', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kwdb-k8s-'));
    try {
      const out = join(dir, 'kwdb-connect.yaml');
      const result = await runCommand('bash', [join(REPO_ROOT, 'tools/scripts/render-k8s.sh'), out], {
        env: toolEnv(env),
        timeoutMs: 120_000,
      });
      expect(result.code).toBe(0);
      const fresh = readFileSync(out, 'utf8');
      // On a difference, run `npx nx run chart:render-k8s` and commit k8s/kwdb-connect.yaml.
      expect(readFileSync(CHECKED_IN, 'utf8')).toBe(fresh);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("hold the namespace, the chart's CRDs and the chart objects, all in namespace kwdb-connect", () => {
    const objects = parseManifests(readFileSync(CHECKED_IN, 'utf8'));
    const crdDir = join(CHART_DIR, 'crds');
    const crds = existsSync(crdDir)
      ? readdirSync(crdDir).flatMap((f) => parseManifests(readFileSync(join(crdDir, f), 'utf8')))
      : [];
    expect(kinds(objects.filter((o) => o.kind === 'CustomResourceDefinition'))).toEqual(kinds(crds));
    expect(kinds(objects)).toEqual(
      expect.arrayContaining([
        'Namespace/kwdb-connect',
        'Deployment/kwdb-connect',
        'Service/kwdb-connect',
        'ServiceAccount/kwdb-connect',
        'Role/kwdb-connect',
        'RoleBinding/kwdb-connect',
        'PodDisruptionBudget/kwdb-connect',
      ]),
    );
    const namespaced = objects.filter((o) => !['Namespace', 'CustomResourceDefinition'].includes(o.kind));
    for (const o of namespaced)
      expect(`${o.kind}/${o.metadata.name} in ${o.metadata.namespace}`).toMatch(/ in kwdb-connect$/);
  });

  it('are accepted by the kube-apiserver (server-side dry run)', async () => {
    // A dry run creates nothing, so the objects' namespace must exist for real first.
    const namespace = await runCommand(env.tools.kubectl, ['create', 'namespace', 'kwdb-connect'], {
      env: toolEnv(env),
    });
    expect(namespace.code === 0 || namespace.stderr.includes('AlreadyExists')).toBe(true);
    const applied = await runCommand(
      env.tools.kubectl,
      ['apply', '--server-side', '--dry-run=server', '-f', CHECKED_IN],
      {
        env: toolEnv(env),
        timeoutMs: 120_000,
      },
    );
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const objects = parseManifests(readFileSync(CHECKED_IN, 'utf8'));
    expect(applied.stdout.trim().split('\n')).toHaveLength(objects.length);
  });
});
