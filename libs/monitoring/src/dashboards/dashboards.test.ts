import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import client from 'prom-client';
import { ROOT } from '../paths';
import { dashboardFiles } from './files';
import { DASHBOARDS } from './index';
import { toGrafanaJson } from './grafana';
import { panelQueries, regexLiteral, substitute } from './panel-queries';

const ALL = { namespace: '.*', connector: '.*', rateInterval: '1m' };

describe('dashboard files', () => {
  it.each([...dashboardFiles()].map(([path, text]) => ({ file: relative(ROOT, path), path, text })))(
    '$file is up to date (regenerate with `npx nx dashboards monitoring`)',
    ({ path, text }) => {
      expect(readFileSync(path, 'utf8')).toBe(text);
    },
  );
});

describe.each(DASHBOARDS.map((d) => ({ name: d.file, spec: d.spec })))('$name', ({ spec }) => {
  const json = toGrafanaJson(spec) as {
    panels: { type: string; title: string; targets?: never[] }[];
    templating: { list: { name: string; multi?: boolean }[] };
  };
  const queries = panelQueries(json as never, ALL);

  it('has the datasource, namespace and connector variables', () => {
    expect(json.templating.list.map((v) => v.name)).toEqual(['datasource', 'namespace', 'connector']);
    expect(json.templating.list.find((v) => v.name === 'connector')?.multi).toBe(spec.allConnectors);
  });

  it('every panel has at least one query', () => {
    const empty = json.panels.filter((p) => p.type !== 'row' && (p.targets?.length ?? 0) === 0);
    expect(empty.map((p) => p.title)).toEqual([]);
  });

  it('every selector filters on namespace and connector', () => {
    const raw = panelQueries(json as never, {
      namespace: '$namespace',
      connector: '$connector',
      rateInterval: '1m',
    });
    const unfiltered = raw.flatMap(({ panel, expr }) =>
      (expr.match(/[a-z_]+\{[^}]*\}/g) ?? [])
        .filter((selector) => !selector.includes('namespace=~"$namespace", connector=~"$connector"'))
        .map((selector) => `${panel}: ${selector}`),
    );
    expect(unfiltered).toEqual([]);
  });

  it('uses only metric names that docs/metrics.md documents or prom-client exports by default', async () => {
    const docs = readFileSync(join(ROOT, 'docs', 'metrics.md'), 'utf8');
    const registry = new client.Registry();
    client.collectDefaultMetrics({ register: registry });
    const defaults = new Set((await registry.getMetricsAsJSON()).map((m) => m.name));
    const names = new Set(
      queries.flatMap((q) => q.expr.match(/\b(kwdb_connect_[a-z_]+|process_[a-z_]+)\b/g) ?? []),
    );
    expect(names.size).toBeGreaterThan(10);
    const unknown = [...names]
      .map((used) => used.replace(/_bucket$/, ''))
      .filter((name) =>
        name.startsWith('kwdb_connect_') ? !docs.includes('`' + name + '`') : !defaults.has(name),
      );
    expect(unknown).toEqual([]);
  });
});

describe('variable substitution', () => {
  it.each([
    {
      name: 'All',
      vars: ALL,
      expr: 'x{namespace=~"$namespace", connector=~"$connector"}[$__rate_interval]',
      out: 'x{namespace=~".*", connector=~".*"}[1m]',
    },
    {
      name: 'one connector with a regex character, escaped for the PromQL string',
      vars: { namespace: 'prod', connector: regexLiteral('a.b'), rateInterval: '30s' },
      expr: 'x{connector=~"$connector"}[$__rate_interval]',
      out: 'x{connector=~"a\\\\.b"}[30s]',
    },
  ])('$name', ({ vars, expr, out }) => {
    expect(substitute(expr, vars)).toBe(out);
  });
});
