// ConnectorRuntime for Kubernetes mode: the REST API's changes are already in the resources (the
// store wrote them), so "changed" only asks the local operator loop (if this replica leads) to look
// now; task restarts are written as the restart-task annotation, which the leader carries out
// whichever replica took the request.
import type { ConnectorRuntime } from '../services/ports';
import { resourcePath, type KubernetesConnectorStore } from '../store/kubernetes/kubernetes-connector-store';
import type { KubeHttp } from './kube-http';
import type { Operator } from './operator';
import { ANNOTATIONS, resourceNameFor } from './resource';

export class KubernetesRuntime implements ConnectorRuntime {
  private readonly http: KubeHttp;
  private readonly store: KubernetesConnectorStore;
  private readonly operator: Operator;

  constructor(options: { http: KubeHttp; store: KubernetesConnectorStore; operator: Operator }) {
    this.http = options.http;
    this.store = options.store;
    this.operator = options.operator;
  }

  async changed(name: string): Promise<void> {
    const resource = await this.store.findResource(name);
    this.operator.enqueue(resource?.metadata.name ?? resourceNameFor(name));
  }

  async restartTasks(name: string, taskIds: readonly number[]): Promise<void> {
    const resource = await this.store.findResource(name);
    if (!resource) return;
    const pending = resource.metadata.annotations?.[ANNOTATIONS.restartTask];
    const ids = new Set([...(pending ? pending.split(',') : []), ...taskIds.map(String)]);
    await this.http.request('PATCH', resourcePath(this.store.namespace, resource.metadata.name), {
      patch: 'merge',
      body: {
        metadata: {
          resourceVersion: resource.metadata.resourceVersion,
          annotations: {
            [ANNOTATIONS.restartTask]: [...ids].sort((a, b) => Number(a) - Number(b)).join(','),
          },
        },
      },
    });
    this.operator.enqueue(resource.metadata.name);
  }
}
