// The project's image (docker/Dockerfile, built with buildah and imported into the node) runs the
// CLI as a Pod: `kubectl logs` shows exactly what the same CLI prints on the host for the guide's data.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterImage, kubectlOk, loadTestEnv, runCommand, workspaceRoot } from '@kwdb-connect/testing';
import { cliPod, configMap, list } from './manifests';
import { deleteNamespace, freshNamespace } from './namespaces';

const env = loadTestEnv('cluster');
const ROOT = workspaceRoot();
const GUIDE_DATA = join(ROOT, 'examples', 'kw-json-kaiwudb-data.txt');

describe('the image runs the CLI as a Pod', () => {
  let namespace: string;
  let image: string;

  beforeAll(async () => {
    image = await clusterImage();
    namespace = await freshNamespace(env, 'e2e-cli');
    await kubectlOk(env, ['apply', '-f', '-'], {
      input: list([
        configMap(namespace, 'guide-data', { 'kw-json-kaiwudb-data.txt': readFileSync(GUIDE_DATA, 'utf8') }),
      ]),
    });
  }, 600_000);

  afterAll(async () => {
    if (namespace !== undefined) await deleteNamespace(env, namespace);
  });

  /** Applies a CLI Pod (the guide's data at /data), waits until it Succeeded, returns its logs. */
  async function runPod(name: string, args: string[], command?: string[]): Promise<string> {
    await kubectlOk(env, ['apply', '-f', '-'], {
      input: list([cliPod({ namespace, name, image, args, command, dataConfigMap: 'guide-data' })]),
    });
    await kubectlOk(
      env,
      ['wait', '-n', namespace, `pod/${name}`, '--for=jsonpath={.status.phase}=Succeeded', '--timeout=120s'],
      { timeoutMs: 130_000 },
    );
    return kubectlOk(env, ['logs', '-n', namespace, name]);
  }

  it("decodes the guide's data: kubectl logs equals the host CLI's output", async () => {
    const host = await runCommand(process.execPath, [
      join(ROOT, 'dist', 'apps', 'cli', 'main.js'),
      'decode',
      '--protocol',
      'json_kaiwudb',
      GUIDE_DATA,
    ]);
    expect(host.code).toBe(0);
    expect(host.stdout).toContain('"c3":2535208944865431245');
    const logs = await runPod('decode', [
      'decode',
      '--protocol',
      'json_kaiwudb',
      '/data/kw-json-kaiwudb-data.txt',
    ]);
    expect(logs).toBe(host.stdout);
  });

  it('has the CLI as its default entrypoint', async () => {
    expect(await runPod('help', ['--help'])).toMatch(/^Usage:\n {2}kwdb-connect decode/);
  });

  it('runs as the non-root user 1000:1000 (the Pods say runAsNonRoot)', async () => {
    const ids = await runPod('whoami', ['-p', 'process.getuid() + ":" + process.getgid()'], ['node']);
    expect(ids).toBe('1000:1000\n');
  });
});
