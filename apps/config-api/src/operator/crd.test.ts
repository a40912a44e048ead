import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { kwdbConnectorCrd } from './crd';
import { CRD_FILE, renderCrdFile } from './crd-file';
import { toYaml } from './yaml';

describe('the CRD file', () => {
  it(`${CRD_FILE} is up to date (run \`npx nx run config-api:crd\` to regenerate)`, () => {
    const committed = readFileSync(new URL(`../../../../${CRD_FILE}`, import.meta.url), 'utf8');
    expect(committed).toBe(renderCrdFile());
  });

  it('has the scale subresource on tasksMax and the printer columns', () => {
    const version = (kwdbConnectorCrd()['spec'] as { versions: Record<string, unknown>[] }).versions[0]!;
    expect(version['subresources']).toEqual({
      status: {},
      scale: { specReplicasPath: '.spec.tasksMax', statusReplicasPath: '.status.replicas' },
    });
    expect((version['additionalPrinterColumns'] as { name: string }[]).map((c) => c.name)).toEqual([
      'Ready',
      'Tasks',
      'State',
      'Class',
      'Age',
    ]);
  });
});

describe('toYaml', () => {
  it.each([
    { name: 'scalars', value: { a: 1, b: true, c: 'x', d: null }, yaml: 'a: 1\nb: true\nc: x\nd: null\n' },
    {
      name: 'strings YAML would misread are quoted',
      value: { a: 'true', b: '1', c: 'a: b', d: '' },
      yaml: 'a: "true"\nb: "1"\nc: "a: b"\nd: ""\n',
    },
    {
      name: 'nesting',
      value: { a: { b: [1, { c: 2, d: 3 }] } },
      yaml: 'a:\n  b:\n    - 1\n    - c: 2\n      d: 3\n',
    },
    { name: 'empty containers', value: { a: {}, b: [] }, yaml: 'a: {}\nb: []\n' },
  ])('$name', ({ value, yaml }) => {
    expect(toYaml(value)).toBe(yaml);
  });
});
