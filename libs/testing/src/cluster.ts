// Helpers for tests that run Pods on the one-node cluster (scripts/testenv/cluster.sh): the
// project's image built from docker/Dockerfile and imported into the node, and kubectl.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCommand, type CommandResult } from './run-command';
import { testEnvDir, type TestEnv } from './test-env';

export class ClusterImageError extends Error {
  readonly code = 'CLUSTER_IMAGE_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'ClusterImageError';
  }
}

/** The workspace root: the nearest folder above this file holding nx.json. */
export function workspaceRoot(from: string = import.meta.dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'nx.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** The image reference build-image.sh prints on its last line. */
export function parseImageRef(stdout: string): string {
  const last = stdout.trim().split('\n').pop() ?? '';
  if (!/^[a-z0-9.-]+(:[0-9]+)?\/[a-z0-9._/-]+:[A-Za-z0-9._-]+$/.test(last)) {
    throw new ClusterImageError(`build-image.sh printed no image reference (last line: "${last}")`);
  }
  return last;
}

let imageOnce: Promise<string> | undefined;

/**
 * The project's image (docker/Dockerfile, apps from dist/), built with buildah and imported into
 * the cluster's containerd; returns its reference, e.g. `localhost/kwdb-connect:0123456789ab`.
 * Cached by content (scripts/image/build-image.sh): the first call of a test run builds or finds
 * the image (seconds when nothing changed), later calls in the same process reuse the answer.
 * Needs `npm run build` first. Pods use it with `imagePullPolicy: Never`.
 */
export function clusterImage(): Promise<string> {
  imageOnce ??= (async () => {
    const script = join(workspaceRoot(), 'scripts', 'image', 'build-image.sh');
    const result = await runCommand('bash', [script, '--import'], {
      env: { ...process.env, TESTENV_DIR: testEnvDir() },
      timeoutMs: 600_000,
    });
    if (result.code !== 0) {
      throw new ClusterImageError(`${script} --import failed (exit ${result.code}):\n${result.stderr}`);
    }
    return parseImageRef(result.stdout);
  })();
  imageOnce.catch(() => (imageOnce = undefined));
  return imageOnce;
}

/** Runs kubectl against the test cluster; resolves with its result (check `code`). */
export function kubectl(
  env: TestEnv,
  args: string[],
  options: { input?: string; timeoutMs?: number } = {},
): Promise<CommandResult> {
  return runCommand(env.tools.kubectl, ['--kubeconfig', env.cluster.kubeconfig, ...args], options);
}

/** Like kubectl, but throws with kubectl's stderr when it exits non-zero; resolves with stdout. */
export async function kubectlOk(
  env: TestEnv,
  args: string[],
  options: { input?: string; timeoutMs?: number } = {},
): Promise<string> {
  const result = await kubectl(env, args, options);
  if (result.code !== 0) {
    throw new Error(`kubectl ${args.join(' ')} failed (exit ${result.code}): ${result.stderr.trim()}`);
  }
  return result.stdout;
}
