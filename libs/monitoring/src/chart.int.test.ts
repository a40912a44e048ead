// The chart's monitoring objects: helm lints and renders them only when enabled, the real
// kube-apiserver accepts them in a server-side dry run against prometheus-operator's own CRDs
// (fetched from its Go module by scripts/testenv/prometheus.sh install), and the PrometheusRule and
// the dashboards ConfigMap carry exactly files/alerts.yaml and dashboards/*.json.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadYaml } from '@kubernetes/client-node';
import { loadTestEnv, runCommand, uniqueName } from '@kwdb-connect/testing';
import { ALERTS, CHART, CHART_DASHBOARDS } from './paths';

const env = loadTestEnv('kube');
const promtool = env.tools.promtool ?? '/usr/bin/promtool';
const kubeEnv = {
  ...process.env,
  KUBECONFIG: env.kube.kubeconfig,
  HELM_CACHE_HOME: '/tmp/kwdb-connect-helm',
};
const ALL_ON = [
  'monitoring.serviceMonitor.enabled=true',
  'monitoring.podMonitor.enabled=true',
  'monitoring.prometheusRule.enabled=true',
  'monitoring.grafanaDashboards.enabled=true',
  'monitoring.serviceMonitor.labels.release=kube-prometheus-stack',
].flatMap((s) => ['--set', s]);

async function helm(args: string[]): Promise<string> {
  const result = await runCommand(env.tools.helm, args, { env: kubeEnv });
  if (result.code !== 0) throw new Error(`helm ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

async function kubectl(args: string[], input?: string): Promise<string> {
  const result = await runCommand(env.tools.kubectl, args, {
    env: kubeEnv,
    ...(input !== undefined ? { input } : {}),
  });
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

// The chart's one required value (values.schema.json): the Kafka bootstrap servers.
const REQUIRED = ['--set', 'kafka.bootstrapServers[0]=127.0.0.1:9092'];
const MONITORING_KINDS = new Set(['ServiceMonitor', 'PodMonitor', 'PrometheusRule']);

const render = (release: string, extra: string[] = []): Promise<string> =>
  helm([
    'template',
    release,
    CHART,
    '--namespace',
    'default',
    '--kube-version',
    env.kube.version,
    ...REQUIRED,
    ...extra,
  ]);

/** The monitoring objects of a rendered chart: prometheus-operator kinds and the dashboards ConfigMap. */
const monitoringKinds = (rendered: string): string[] =>
  rendered
    .split(/^---$/m)
    .filter((doc) => (/^kind: ConfigMap$/m.test(doc) ? /-dashboards$/m.test(doc) : true))
    .flatMap((doc) => [...doc.matchAll(/^kind: (\S+)$/gm)].map((m) => m[1]!))
    .filter((kind) => MONITORING_KINDS.has(kind) || kind === 'ConfigMap');

beforeAll(async () => {
  const crds = env.tools.prometheusOperatorCrds;
  if (crds === undefined)
    throw new Error('env.json has no tools.prometheusOperatorCrds: run testenv.sh start/env again');
  await kubectl(['apply', '--server-side', '--force-conflicts', '-f', crds]);
  // Right after a first create, `kubectl wait` can fail on a CRD without status yet
  // (".status.conditions accessor error"); ask again until the conditions exist.
  const wait = [
    'wait',
    '--for=condition=Established',
    '--timeout=60s',
    'crd/servicemonitors.monitoring.coreos.com',
    'crd/podmonitors.monitoring.coreos.com',
    'crd/prometheusrules.monitoring.coreos.com',
  ];
  for (let attempt = 1; ; attempt++) {
    const result = await runCommand(env.tools.kubectl, wait, { env: kubeEnv });
    if (result.code === 0) break;
    if (attempt >= 20 || !result.stderr.includes('.status.conditions accessor error'))
      throw new Error(`kubectl ${wait.join(' ')}: ${result.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}, 120_000);

describe('charts/kwdb-connect monitoring', () => {
  it('helm lint passes with monitoring off and fully on', async () => {
    expect(await helm(['lint', CHART, ...REQUIRED])).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(await helm(['lint', CHART, ...REQUIRED, ...ALL_ON])).toContain(
      '1 chart(s) linted, 0 chart(s) failed',
    );
  });

  it('renders no monitoring object by default', async () => {
    const rendered = await render(uniqueName('mon'));
    expect(rendered).toMatch(/^kind: Deployment$/m); // the chart itself renders
    expect(monitoringKinds(rendered)).toEqual([]);
  });

  it('renders each object only when its value enables it', async () => {
    const cases = [
      ['monitoring.serviceMonitor.enabled=true', 'ServiceMonitor'],
      ['monitoring.podMonitor.enabled=true', 'PodMonitor'],
      ['monitoring.prometheusRule.enabled=true', 'PrometheusRule'],
      ['monitoring.grafanaDashboards.enabled=true', 'ConfigMap'],
    ] as const;
    for (const [value, kind] of cases) {
      const kinds = monitoringKinds(await render('mon', ['--set', value]));
      expect({ value, kinds }).toEqual({ value, kinds: [kind] });
    }
  });

  it('the real kube-apiserver accepts all four objects (server-side dry run, real CRD schemas)', async () => {
    const release = uniqueName('mon');
    const rendered = await render(release, ALL_ON);
    const applied = await kubectl(['apply', '--dry-run=server', '-o', 'json', '-f', '-'], rendered);
    const items = (
      JSON.parse(applied) as {
        items: {
          kind: string;
          metadata: { name: string; labels: Record<string, string> };
          spec?: unknown;
          data?: Record<string, string>;
        }[];
      }
    ).items.filter((i) => MONITORING_KINDS.has(i.kind) || i.metadata.name.endsWith('-dashboards'));
    expect(items.map((i) => `${i.kind}/${i.metadata.name}`).sort()).toEqual(
      [
        `ConfigMap/${release}-dashboards`,
        `PodMonitor/${release}-workers`,
        `PrometheusRule/${release}-alerts`,
        `ServiceMonitor/${release}-config-api`,
      ].sort(),
    );
    const byKind = new Map(items.map((i) => [i.kind, i]));

    const serviceMonitor = byKind.get('ServiceMonitor')!;
    expect(serviceMonitor.metadata.labels['release']).toBe('kube-prometheus-stack');
    expect(serviceMonitor.spec).toMatchObject({
      selector: {
        matchLabels: { 'app.kubernetes.io/component': 'config-api', 'app.kubernetes.io/instance': release },
      },
      endpoints: [{ port: 'http', path: '/metrics', interval: '30s' }],
    });
    expect(byKind.get('PodMonitor')!.spec).toMatchObject({
      selector: {
        matchLabels: { 'app.kubernetes.io/name': 'kwdb-connect', 'kwdb-connect.io/component': 'worker' },
      },
      podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', honorLabels: true }],
    });

    const rule = byKind.get('PrometheusRule')!.spec as {
      groups: {
        name: string;
        rules: { alert: string; expr: string; annotations: Record<string, string> }[];
      }[];
    };
    const alertsYaml = readFileSync(ALERTS, 'utf8');
    const names = [...alertsYaml.matchAll(/^\s*- alert: (\S+)$/gm)].map((m) => m[1]);
    expect(rule.groups.map((g) => g.name)).toEqual(['kwdb-connect']);
    expect(rule.groups[0]!.rules.map((r) => r.alert)).toEqual(names);
    for (const r of rule.groups[0]!.rules) {
      expect(Object.keys(r.annotations).sort()).toEqual(['description', 'runbook_url', 'summary']);
      expect(r.annotations['description']).toContain('{{ $labels.connector }}');
    }
    // The file verbatim under spec: (Helm leaves its {{ $labels.* }} alone).
    const indented = alertsYaml
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => `  ${l}`)
      .join('\n');
    expect(
      rendered
        .split('\n')
        .filter((l) => l.trim() !== '')
        .join('\n'),
    ).toContain(indented);

    const dashboards = byKind.get('ConfigMap')!;
    expect(dashboards.metadata.labels['grafana_dashboard']).toBe('1');
    const files = readdirSync(CHART_DASHBOARDS)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(Object.keys(dashboards.data ?? {}).sort()).toEqual(files);
    for (const file of files) {
      expect(dashboards.data![file]).toBe(readFileSync(join(CHART_DASHBOARDS, file), 'utf8').trimEnd());
    }
  });

  it('the scrape-config ConfigMap holds a Prometheus config that promtool check config accepts', async () => {
    const release = uniqueName('mon');
    const rendered = await render(release, ['--set', 'monitoring.scrapeConfig.enabled=true']);
    const doc = rendered
      .split(/^---$/m)
      .find((d) => new RegExp(`^  name: ${release}-prometheus-scrape-config$`, 'm').test(d));
    const file = loadYaml<{ data: Record<string, string> }>(doc ?? '').data['kwdb-connect-scrape.yaml']!;
    expect(file).toContain('kubernetes_sd_configs:');
    const dir = mkdtempSync(join(tmpdir(), 'kwdb-scrape-'));
    const check = async (text: string): Promise<{ code: number; output: string }> => {
      writeFileSync(join(dir, 'prometheus.yml'), text);
      const result = await runCommand(promtool, ['check', 'config', join(dir, 'prometheus.yml')]);
      return { code: result.code ?? -1, output: result.stdout + result.stderr };
    };
    try {
      const whole = await check(file);
      if (whole.code !== 0) {
        // Debian's promtool (2.42) is built without Kubernetes service discovery: it refuses that
        // one block and nothing else; with the block as static targets, the rest (relabelling
        // regexes, labels, the job) must pass.
        expect(whole.output).toContain('field kubernetes_sd_configs not found');
        const withoutSd = file.replace(
          /kubernetes_sd_configs:\n(\s+)- role: pod\n\s+namespaces:\n\s+names: .*\n/,
          "static_configs:\n$1- targets: ['127.0.0.1:8084']\n",
        );
        expect(withoutSd).not.toContain('kubernetes_sd_configs');
        const rest = await check(withoutSd);
        expect(rest.output).toContain('SUCCESS');
        expect(rest.code).toBe(0);
      } else {
        expect(whole.output).toContain('SUCCESS');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a PodMonitor the CRD schema rejects is refused (the dry run really validates)', async () => {
    const rendered = (await render('mon', ['--set', 'monitoring.podMonitor.enabled=true'])).replace(
      'honorLabels: true',
      'honorLabels: "sometimes"',
    );
    const result = await runCommand(env.tools.kubectl, ['apply', '--dry-run=server', '-f', '-'], {
      env: kubeEnv,
      input: rendered,
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('honorLabels');
  });
});
