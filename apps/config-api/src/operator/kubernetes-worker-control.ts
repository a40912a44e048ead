// WorkerControl for Kubernetes mode (ADR 0028): what the local supervisor writes into its worker
// files, kept where every config-api replica and the operator see it. Cluster-scope log levels go
// to one ConfigMap (`<lease>-log-levels`); a topics reset is the `topics-reset-at` annotation on the
// connector's resource. The operator (leader) watches both and renders them into every worker
// ConfigMap outside the config hash; the running workers re-read the mounted file, no restart.
import {
  controlChanges,
  NO_CONTROL,
  type LogLevelSetting,
  type Logger,
  type LoggerRegistry,
  type WorkerControl as RuntimeWorkerControl,
} from '@kwdb-connect/runtime';
import type { WorkerControl } from '../services/ports';
import { resourcePath, type KubernetesConnectorStore } from '../store/kubernetes/kubernetes-connector-store';
import { isConflict, isNotFound, type KubeHttp } from './kube-http';
import { ANNOTATIONS, LABELS, MANAGED_BY } from './resource';
import { logLevelsData, logLevelsOf, nextTopicsResetAt, withLogLevel } from './worker-controls';

/** Read-modify-write attempts when another writer changed the object between our read and write. */
const ATTEMPTS = 5;

interface ConfigMapObject {
  metadata: { resourceVersion: string };
  data?: Record<string, string>;
}

export interface KubernetesWorkerControlOptions {
  http: KubeHttp;
  store: KubernetesConnectorStore;
  namespace: string;
  /** Name of the log-levels ConfigMap (logLevelsConfigMapName of the Lease name). */
  logLevelsConfigMap: string;
  /** Asks the local operator loop (if this replica leads) to reconcile the resource now. */
  enqueue: (resourceName: string) => void;
  now?: () => number;
}

export class KubernetesWorkerControl implements WorkerControl {
  private readonly o: KubernetesWorkerControlOptions;

  constructor(options: KubernetesWorkerControlOptions) {
    this.o = options;
  }

  private configMapPath(name?: string): string {
    return `/api/v1/namespaces/${this.o.namespace}/configmaps${name ? `/${encodeURIComponent(name)}` : ''}`;
  }

  /** The levels stored now (tests, and replicas that want to show them). */
  async clusterLogLevels(): Promise<LogLevelSetting[]> {
    const map = await this.o.http.find<ConfigMapObject>(this.configMapPath(this.o.logLevelsConfigMap));
    return logLevelsOf(map?.data);
  }

  /**
   * Applies the stored levels to this replica's own loggers now and each time they change (polled
   * every `pollMs`), so every config-api replica logs alike whichever one took the PUT.
   */
  followLevels(loggers: LoggerRegistry, pollMs: number, log: Logger): { stop(): void } {
    let current: RuntimeWorkerControl = NO_CONTROL;
    let busy = false;
    const poll = (): void => {
      if (busy) return;
      busy = true;
      this.clusterLogLevels()
        .then((logLevels) => {
          const next = { logLevels, activeTopicsResetAt: undefined };
          for (const { logger, level } of controlChanges(current, next).logLevels) {
            loggers.setLevel(logger, level);
            log.info(
              { namespace: logger, level },
              'log level set (cluster scope, from the log-levels ConfigMap)',
            );
          }
          current = next;
        })
        .catch((error: unknown) => log.debug({ err: error }, 'reading the log-levels ConfigMap failed'))
        .finally(() => {
          busy = false;
        });
    };
    poll();
    const timer = setInterval(poll, pollMs);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }

  /** Stores the level in the ConfigMap (created on first use); the operator's watch renders it everywhere. */
  async setClusterLogLevel(logger: string, level: string): Promise<void> {
    const name = this.o.logLevelsConfigMap;
    for (let attempt = 1; ; attempt++) {
      try {
        const existing = await this.o.http.find<ConfigMapObject>(this.configMapPath(name));
        if (existing === undefined) {
          await this.o.http.request('POST', this.configMapPath(), {
            body: {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: {
                name,
                namespace: this.o.namespace,
                labels: { [LABELS.managedBy]: MANAGED_BY, [LABELS.component]: 'log-levels' },
              },
              data: logLevelsData(withLogLevel([], logger, level)),
            },
          });
        } else {
          await this.o.http.request('PATCH', this.configMapPath(name), {
            patch: 'merge',
            body: {
              metadata: { resourceVersion: existing.metadata.resourceVersion },
              data: logLevelsData(withLogLevel(logLevelsOf(existing.data), logger, level)),
            },
          });
        }
        return;
      } catch (error) {
        // 409: another replica wrote first (created it, or changed it since our read). Read again.
        if (!isConflict(error) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  /** Marks the connector's resource; the operator renders the time into its worker file. */
  async activeTopicsReset(connectorName: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const resource = await this.o.store.findResource(connectorName);
      if (resource === undefined) return;
      const previous = resource.metadata.annotations?.[ANNOTATIONS.topicsResetAt];
      try {
        await this.o.http.request('PATCH', resourcePath(this.o.namespace, resource.metadata.name), {
          patch: 'merge',
          body: {
            metadata: {
              resourceVersion: resource.metadata.resourceVersion,
              annotations: {
                [ANNOTATIONS.topicsResetAt]: nextTopicsResetAt(previous, (this.o.now ?? Date.now)()),
              },
            },
          },
        });
        this.o.enqueue(resource.metadata.name);
        return;
      } catch (error) {
        if (isNotFound(error)) return;
        if (!isConflict(error) || attempt >= ATTEMPTS) throw error;
      }
    }
  }
}
