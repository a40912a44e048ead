// Every object the chart renders, for every kind of good values, is accepted by the real
// kube-apiserver in a server-side dry run (its OpenAPI validation, admission and defaulting).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadTestEnv, runCommand, uniqueName } from '@kwdb-connect/testing';
import { renderChart, toolEnv } from './chart';
import { goodCases } from './good-values';

const env = loadTestEnv('kube');
const namespace = uniqueName('chart-dry-run');
const kubectl = (args: string[], input?: string) =>
  runCommand(env.tools.kubectl, args, { env: toolEnv(env), input, timeoutMs: 120_000 });

beforeAll(async () => {
  const created = await kubectl(['create', 'namespace', namespace]);
  expect(created.stderr).toBe('');
});

afterAll(async () => {
  // The kube service runs no controller-manager: the namespace is marked for deletion only.
  await kubectl(['delete', 'namespace', namespace, '--wait=false']);
});

describe('kubectl apply --dry-run=server of the rendered chart', () => {
  it.each(goodCases.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
    const rendered = await renderChart(env, testCase.values, { namespace });
    expect(rendered.code).toBe(0);
    // A dry run creates nothing: another namespace the objects name (operator.namespace) must exist.
    const others = new Set(
      rendered.objects.map((o) => o.metadata.namespace).filter((n) => n && n !== namespace),
    );
    for (const other of others) {
      const created = await kubectl(['create', 'namespace', other as string]);
      expect(created.code === 0 || created.stderr.includes('AlreadyExists')).toBe(true);
    }
    const applied = await kubectl(['apply', '--dry-run=server', '-f', '-'], rendered.stdout);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const lines = applied.stdout.trim().split('\n');
    expect(lines).toHaveLength(rendered.objects.length);
    for (const line of lines) expect(line).toMatch(/ created \(server dry run\)$/);
  });
});
