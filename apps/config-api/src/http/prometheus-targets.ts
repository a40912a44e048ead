// GET /prometheus/targets: Prometheus HTTP service discovery (http_sd_configs). One target group
// for config-api itself and one per running task, labelled with its connector and task, so one
// scrape job finds every worker whatever port it was given (local runtime: the supervisor's
// processes; Kubernetes: the annotated worker Pods, operator/pod-targets.ts).
import type { ConnectorKind } from '@kwdb-connect/connector-config';

/** One entry of Prometheus' HTTP SD format: `[{"targets": ["host:port"], "labels": {...}}]`. */
export interface TargetGroup {
  targets: string[];
  labels: Record<string, string>;
}

export interface TaskMetricsTarget {
  connector: string;
  task: number;
  kind: ConnectorKind;
  /** host:port of the worker's /metrics server */
  address: string;
}

/** config-api first, then the tasks by connector and task id, then `more` (Kubernetes: worker Pods). */
export function prometheusTargets(
  configApi: string,
  tasks: readonly TaskMetricsTarget[],
  more: readonly TargetGroup[] = [],
): TargetGroup[] {
  const sorted = [...tasks].sort((a, b) =>
    a.connector === b.connector ? a.task - b.task : a.connector < b.connector ? -1 : 1,
  );
  return [
    { targets: [configApi], labels: { component: 'config-api' } },
    ...sorted.map((t) => ({
      targets: [t.address],
      labels: { component: `${t.kind}-worker`, connector: t.connector, task: String(t.task) },
    })),
    ...more,
  ];
}

/** host:port, with an IPv6 host in brackets. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
