// The operator loop inside config-api: elected leader through a Lease, it watches KwdbConnectors,
// their Deployments and worker Pods (and re-lists every resyncMs as a backstop), and reconciles
// one resource at a time through a de-duplicating queue (a resource queued twice runs once).
import type { Logger } from '@kwdb-connect/runtime';
import { resourcePath } from '../store/kubernetes/kubernetes-connector-store';
import type { KubeHttp } from './kube-http';
import { LeaderElection } from './leader-election';
import { Reconciler, type ReconcilerOptions } from './reconciler';
import { LABELS, MANAGED_BY, type KwdbConnector } from './resource';

export interface OperatorOptions extends ReconcilerOptions {
  http: KubeHttp;
  namespace: string;
  /** This replica's identity in the Lease (the Pod name in a cluster). */
  identity: string;
  leaseName: string;
  leaseDurationSeconds: number;
  leaseRetryMs: number;
  resyncMs: number;
  logger: Logger;
}

export class Operator {
  private readonly o: OperatorOptions;
  private readonly reconciler: Reconciler;
  private readonly election: LeaderElection;
  private readonly queue = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private watches: AbortController[] = [];
  private resyncTimer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private active = false;
  /** Increments at each leadership start, so callbacks of an earlier term do nothing. */
  private term = 0;
  /** Reconciles done (tests and metrics). */
  reconciles = 0;

  constructor(options: OperatorOptions) {
    this.o = options;
    this.reconciler = new Reconciler(options);
    this.election = new LeaderElection({
      http: options.http,
      namespace: options.namespace,
      leaseName: options.leaseName,
      identity: options.identity,
      leaseDurationSeconds: options.leaseDurationSeconds,
      retryMs: options.leaseRetryMs,
      logger: options.logger.child({ component: 'leader-election' }),
      onStartedLeading: () => this.startLoop(),
      onStoppedLeading: () => this.stopLoop(),
    });
  }

  get isLeader(): boolean {
    return this.election.isLeader;
  }

  start(): void {
    this.election.start();
  }

  async close(): Promise<void> {
    await this.election.close();
    await this.stopLoop();
  }

  /** Reconcile this resource soon (a REST change on this replica; the leader's watch would see it too). */
  enqueue(resourceName: string): void {
    if (!this.active) return;
    this.queue.add(resourceName);
    this.drain();
  }

  private enqueueAfter(resourceName: string, ms: number): void {
    const existing = this.timers.get(resourceName);
    if (existing) clearTimeout(existing);
    const timer = setTimeout(() => {
      this.timers.delete(resourceName);
      this.enqueue(resourceName);
    }, ms);
    timer.unref();
    this.timers.set(resourceName, timer);
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = (async () => {
      while (this.active && this.queue.size > 0) {
        const name = this.queue.values().next().value as string;
        this.queue.delete(name);
        try {
          const result = await this.reconciler.reconcile(name);
          this.reconciles += 1;
          if (result.requeueAfterMs !== undefined) this.enqueueAfter(name, result.requeueAfterMs);
        } catch (error) {
          this.o.logger.warn({ err: error, resource: name }, 'reconcile failed; retrying');
          this.enqueueAfter(name, 2000);
        }
      }
    })().finally(() => {
      this.draining = undefined;
      if (this.active && this.queue.size > 0) this.drain();
    });
  }

  private async startLoop(): Promise<void> {
    this.active = true;
    const term = ++this.term;
    await this.resync(term);
    this.resyncTimer = setInterval(() => void this.resync(term), this.o.resyncMs);
    this.resyncTimer.unref();
    const ns = this.o.namespace;
    const managed = `${LABELS.managedBy}=${MANAGED_BY}`;
    this.watchLoop(term, resourcePath(ns), (o) => (o as unknown as KwdbConnector).metadata.name);
    this.watchLoop(
      term,
      `/apis/apps/v1/namespaces/${ns}/deployments?labelSelector=${encodeURIComponent(managed)}`,
      ownerOf,
    );
    this.watchLoop(
      term,
      `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(`${LABELS.component}=worker`)}`,
      ownerOf,
    );
    const levels = this.o.logLevelsConfigMap;
    if (levels !== undefined) {
      // Cluster-scope log levels changed (on any replica): every connector's worker file renders them.
      const selector = encodeURIComponent(`metadata.name=${levels}`);
      this.watchLoop(term, `/api/v1/namespaces/${ns}/configmaps?fieldSelector=${selector}`, () => {
        void this.resync(term);
        return undefined;
      });
    }
  }

  /** Lists every resource and queues it (also the first step of every term). */
  private async resync(term: number): Promise<void> {
    if (!this.active || term !== this.term) return;
    try {
      const list = await this.o.http.get<{ items: KwdbConnector[] }>(resourcePath(this.o.namespace));
      for (const r of list.items) this.queue.add(r.metadata.name);
      for (const name of this.knownNames)
        if (!list.items.some((r) => r.metadata.name === name)) this.queue.add(name);
      this.knownNames = new Set(list.items.map((r) => r.metadata.name));
      this.drain();
    } catch (error) {
      this.o.logger.warn({ err: error }, 'resync failed');
    }
  }

  private knownNames = new Set<string>();

  /** Watches a collection from now on, restarting after every end while this term lasts. */
  private watchLoop(
    term: number,
    pathWithQuery: string,
    keyOf: (o: Record<string, unknown>) => string | undefined,
  ): void {
    const [path, query] = pathWithQuery.split('?');
    const start = async (): Promise<void> => {
      if (!this.active || term !== this.term) return;
      let controller: AbortController | undefined;
      try {
        const list = await this.o.http.get<{
          metadata: { resourceVersion: string };
          items: Record<string, unknown>[];
        }>(pathWithQuery);
        for (const item of list.items) {
          const key = keyOf(item);
          if (key) this.enqueue(key);
        }
        controller = await this.o.http.watch(
          path!,
          Object.fromEntries(new URLSearchParams(query ?? '')),
          list.metadata.resourceVersion,
          (type, object) => {
            if (type === 'BOOKMARK' || type === 'ERROR') return;
            const key = keyOf(object);
            if (key) this.enqueue(key);
          },
          (error) => {
            this.watches = this.watches.filter((w) => w !== controller);
            if (error && (error as Error).name !== 'AbortError') {
              this.o.logger.debug({ err: error, path }, 'watch ended; restarting');
            }
            const again = setTimeout(() => void start(), 500);
            again.unref();
          },
        );
        if (!this.active || term !== this.term) controller.abort();
        else this.watches.push(controller);
      } catch (error) {
        this.o.logger.warn({ err: error, path }, 'watch could not start; retrying');
        const again = setTimeout(() => void start(), 2000);
        again.unref();
      }
    };
    void start();
  }

  private async stopLoop(): Promise<void> {
    this.active = false;
    this.term += 1;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    for (const w of this.watches) w.abort();
    this.watches = [];
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.queue.clear();
    await this.draining;
    this.reconciler.forgetRestarts();
  }
}

function ownerOf(object: Record<string, unknown>): string | undefined {
  const labels = (object['metadata'] as { labels?: Record<string, string> } | undefined)?.labels;
  return labels?.[LABELS.connector];
}
