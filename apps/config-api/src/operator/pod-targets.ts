// GET /prometheus/targets in Kubernetes mode: the worker Pods that carry the prometheus.io scrape
// annotations, as Prometheus HTTP service discovery target groups, for a Prometheus that has no
// Kubernetes service discovery (Debian's package). Pure: the server lists the Pods.
import type { TargetGroup } from '../http/prometheus-targets';
import { hostPort } from '../http/prometheus-targets';
import { METRICS_PATH, SCRAPE_ANNOTATIONS } from './desired';
import { ANNOTATIONS } from './resource';
import { parseTaskId } from './task-ids';

/** What workerPodTargets reads of a Pod. */
export interface ScrapablePod {
  metadata: {
    name: string;
    namespace?: string;
    deletionTimestamp?: string;
    annotations?: Record<string, string>;
  };
  status?: { phase?: string; podIP?: string };
}

/**
 * One target group per running, annotated worker Pod with a task id, by connector and task:
 * `<podIP>:<prometheus.io/port>`, labelled component, namespace, pod, connector and task, and
 * `__metrics_path__` when prometheus.io/path is not /metrics. `host` replaces the Pod IP when the
 * workers run on the host network and listen on one address only (as their readiness probe does).
 */
export function workerPodTargets(pods: readonly ScrapablePod[], host?: string): TargetGroup[] {
  const groups: { connector: string; task: number; group: TargetGroup }[] = [];
  for (const pod of pods) {
    const a = pod.metadata.annotations ?? {};
    const port = a[SCRAPE_ANNOTATIONS.port];
    const task = parseTaskId(a[ANNOTATIONS.taskId]);
    const connector = a[ANNOTATIONS.connectorName];
    const ip = pod.status?.podIP;
    if (a[SCRAPE_ANNOTATIONS.scrape] !== 'true' || pod.metadata.deletionTimestamp !== undefined) continue;
    if (pod.status?.phase !== 'Running' || !ip || task === undefined || connector === undefined) continue;
    if (port === undefined || !/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) continue;
    const path = a[SCRAPE_ANNOTATIONS.path];
    groups.push({
      connector,
      task,
      group: {
        targets: [hostPort(host ?? ip, Number(port))],
        labels: {
          component: 'worker',
          ...(pod.metadata.namespace ? { namespace: pod.metadata.namespace } : {}),
          pod: pod.metadata.name,
          connector,
          task: String(task),
          ...(path && path !== METRICS_PATH ? { __metrics_path__: path } : {}),
        },
      },
    });
  }
  return groups
    .sort((x, y) => (x.connector === y.connector ? x.task - y.task : x.connector < y.connector ? -1 : 1))
    .map((g) => g.group);
}

/** The address of host-network workers that listen on one address only (else undefined: the Pod IP). */
export function hostNetworkScrapeHost(hostNetwork: boolean, httpHost: string): string | undefined {
  return hostNetwork && !['', '0.0.0.0', '::'].includes(httpHost) ? httpHost : undefined;
}
