// Helpers for the chart's tests: render the chart with helm, split the output into objects, and
// find objects and container settings in them.
import { loadAllYaml } from '@kubernetes/client-node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCommand } from '@kwdb-connect/testing';
import type { CommandResult, TestEnv } from '@kwdb-connect/testing';

export const CHART_DIR = resolve(import.meta.dirname, '..');
export const REPO_ROOT = resolve(CHART_DIR, '..', '..');

/** The smallest valid values: the one required key. */
export const MINIMAL_VALUES = { kafka: { bootstrapServers: ['kafka.example.com:9092'] } };

/** A Kubernetes object as rendered (only the fields the tests read are typed). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}

/** The environment helm and kubectl run with: the test kubeconfig, a private helm cache. */
export function toolEnv(env: TestEnv, kubeconfig = env.kube.kubeconfig): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KUBECONFIG: kubeconfig,
    HELM_CACHE_HOME: '/tmp/kwdb-connect-helm/cache',
    HELM_CONFIG_HOME: '/tmp/kwdb-connect-helm/config',
    HELM_DATA_HOME: '/tmp/kwdb-connect-helm/data',
  };
}

/** Runs helm with a values object written to a temporary file (`-f`), cleaning up after. */
export async function helmWithValues(
  env: TestEnv,
  args: string[],
  values: unknown,
  kubeconfig?: string,
): Promise<CommandResult> {
  const dir = mkdtempSync(join(tmpdir(), 'kwdb-chart-'));
  try {
    const file = join(dir, 'values.json');
    writeFileSync(file, JSON.stringify(values));
    return await runCommand(env.tools.helm, [...args, '-f', file], {
      env: toolEnv(env, kubeconfig),
      timeoutMs: 300_000,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `helm template` of the chart; `objects` is empty when helm failed. */
export async function renderChart(
  env: TestEnv,
  values: unknown,
  options: { release?: string; namespace?: string; extraArgs?: string[] } = {},
): Promise<CommandResult & { objects: K8sObject[] }> {
  const release = options.release ?? 'kc';
  const namespace = options.namespace ?? 'kwdb';
  const result = await helmWithValues(
    env,
    ['template', release, CHART_DIR, '--namespace', namespace, ...(options.extraArgs ?? [])],
    values,
  );
  const objects = result.code === 0 ? parseManifests(result.stdout) : [];
  return { ...result, objects };
}

/**
 * Splits a multi-document YAML stream into objects, dropping empty documents. client-node's loader
 * gives its typed models: fields keep their names except reserved words (NetworkPolicy `from` is
 * `_from`), and fields unknown to the model are dropped (the server-side dry run catches those).
 */
export function parseManifests(text: string): K8sObject[] {
  return loadAllYaml(text).filter((doc): doc is K8sObject => doc !== null && typeof doc === 'object');
}

/** The one object of a kind (and name, when given); throws naming what is missing. */
export function findObject(objects: K8sObject[], kind: string, name?: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) {
    const have = objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ');
    throw new Error(`expected one ${kind}${name ? `/${name}` : ''}, found ${found.length} among: ${have}`);
  }
  return found[0] as K8sObject;
}

export function kinds(objects: K8sObject[]): string[] {
  return objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
}

interface PodSpecLike {
  spec: {
    template: {
      spec: {
        containers: Array<{ name: string; env?: EnvVar[]; [field: string]: unknown }>;
        [field: string]: unknown;
      };
    };
  };
}

/** The pod spec of a Deployment. */
export function podSpec(deployment: K8sObject): PodSpecLike['spec']['template']['spec'] {
  return (deployment as unknown as PodSpecLike).spec.template.spec;
}

/** The config-api container of the chart's Deployment. */
export function configApiContainer(
  objects: K8sObject[],
): PodSpecLike['spec']['template']['spec']['containers'][number] {
  const container = podSpec(findObject(objects, 'Deployment')).containers.find(
    (c) => c.name === 'config-api',
  );
  if (!container) throw new Error('the Deployment has no config-api container');
  return container;
}

/** The plain value of an environment variable of the config-api container (undefined when absent). */
export function envValue(objects: K8sObject[], name: string): string | undefined {
  return configApiContainer(objects).env?.find((e) => e.name === name)?.value;
}
