// Leader election through a coordination.k8s.io/v1 Lease, as client-go's leaderelection does:
// the holder renews spec.renewTime every renewMs; another candidate takes the Lease over once it
// has seen no change of it for leaseDurationSeconds (measured on its own clock, so clock skew
// between replicas does not matter). Every write carries the resourceVersion read, so two
// candidates never both win. A leader that cannot renew within the duration steps down. Each
// round's Lease requests (KubeHttp's retries of 429/503 included) end by the round's deadline, for
// a leader no later than its Lease would expire, so it never renews late because it waited (ADR 0026).
import type { Logger } from '@kwdb-connect/runtime';
import { isConflict, isNotFound, type KubeHttp } from './kube-http';

export interface LeaderElectionOptions {
  http: KubeHttp;
  namespace: string;
  leaseName: string;
  identity: string;
  leaseDurationSeconds: number;
  /** How often the leader renews and a candidate retries. */
  retryMs: number;
  logger: Logger;
  onStartedLeading: () => void | Promise<void>;
  onStoppedLeading: () => void | Promise<void>;
}

interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: { name: string; namespace?: string; resourceVersion?: string };
  spec: {
    holderIdentity?: string | null;
    leaseDurationSeconds?: number;
    acquireTime?: string | null;
    renewTime?: string | null;
    leaseTransitions?: number;
  };
}

/** Lease timestamps are MicroTime: RFC 3339 with microseconds. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class LeaderElection {
  private readonly o: LeaderElectionOptions;
  private timer: NodeJS.Timeout | undefined;
  private leading = false;
  private closed = false;
  /** The last Lease content we saw and when (our clock) it last changed. */
  private observed: { key: string; atMs: number } | undefined;
  private lastRenewMs = 0;
  private running: Promise<void> = Promise.resolve();

  constructor(options: LeaderElectionOptions) {
    this.o = options;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    // The timings a hand-over takes (docs/kubernetes.md): tests derive their bounds from this line.
    this.o.logger.info(
      {
        identity: this.o.identity,
        lease: this.o.leaseName,
        leaseDurationSeconds: this.o.leaseDurationSeconds,
        retryMs: this.o.retryMs,
        requestBudgetMs: this.requestBudgetMs(),
      },
      'leader election started',
    );
    this.schedule(0);
  }

  private path(name?: string): string {
    return `/apis/coordination.k8s.io/v1/namespaces/${this.o.namespace}/leases${name ? `/${name}` : ''}`;
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch(async (error: unknown) => {
          this.o.logger.warn({ err: error }, 'leader election round failed');
          await this.stepDownIfStale();
        })
        .finally(() => this.schedule(this.o.retryMs));
    }, ms);
  }

  private async tick(): Promise<void> {
    const now = Date.now();
    const deadlineAt = this.roundDeadline(now);
    const lease = await this.o.http.find<Lease>(this.path(this.o.leaseName), { deadlineAt });
    const spec = {
      holderIdentity: this.o.identity,
      leaseDurationSeconds: this.o.leaseDurationSeconds,
      renewTime: microTime(now),
    };
    if (lease === undefined) {
      await this.write('POST', deadlineAt, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: this.o.leaseName, namespace: this.o.namespace },
        spec: { ...spec, acquireTime: microTime(now), leaseTransitions: 0 },
      });
      return;
    }
    const key = JSON.stringify([lease.spec.holderIdentity, lease.spec.renewTime]);
    if (this.observed?.key !== key) this.observed = { key, atMs: now };
    const holder = lease.spec.holderIdentity ?? '';
    if (holder === this.o.identity) {
      await this.write('PUT', deadlineAt, { ...lease, spec: { ...lease.spec, ...spec } });
      return;
    }
    await this.setLeading(false);
    const duration = (lease.spec.leaseDurationSeconds ?? this.o.leaseDurationSeconds) * 1000;
    const expired = holder === '' || now - this.observed.atMs >= duration;
    if (!expired) return;
    this.o.logger.info({ previous: holder || undefined }, 'taking over the leader lease');
    await this.write('PUT', deadlineAt, {
      ...lease,
      spec: {
        ...spec,
        acquireTime: microTime(now),
        leaseTransitions: (lease.spec.leaseTransitions ?? 0) + (holder === '' ? 0 : 1),
      },
    });
  }

  /** Writes the Lease; success means we hold it, a conflict means someone else moved first. */
  private async write(method: 'POST' | 'PUT', deadlineAt: number, lease: Lease): Promise<void> {
    // The renewal counts from before it was sent: others can have seen it no earlier than that.
    const sentAt = Date.now();
    try {
      await this.o.http.request(method, method === 'POST' ? this.path() : this.path(this.o.leaseName), {
        body: lease,
        deadlineAt,
      });
      this.lastRenewMs = sentAt;
      await this.setLeading(true);
    } catch (error) {
      if (isConflict(error) || (method === 'PUT' && isNotFound(error))) {
        await this.stepDownIfStale();
        return;
      }
      await this.stepDownIfStale();
      throw error;
    }
  }

  /**
   * When a round's Lease requests must be over: a third of the duration from now (an answer must
   * come well within the duration, or we cannot trust our leadership), and for a leader no later
   * than its Lease expires, so no retry wait makes it renew a Lease another may already have taken.
   */
  private roundDeadline(now: number): number {
    const third = now + this.requestBudgetMs();
    return this.leading ? Math.min(third, this.lastRenewMs + this.o.leaseDurationSeconds * 1000) : third;
  }

  private requestBudgetMs(): number {
    return Math.max(1000, (this.o.leaseDurationSeconds * 1000) / 3);
  }

  private async stepDownIfStale(): Promise<void> {
    if (this.leading && Date.now() - this.lastRenewMs >= this.o.leaseDurationSeconds * 1000) {
      this.o.logger.warn('could not renew the leader lease in time; stepping down');
      await this.setLeading(false);
    }
  }

  private async setLeading(leading: boolean): Promise<void> {
    if (leading === this.leading) return;
    this.leading = leading;
    this.o.logger.info(
      { identity: this.o.identity, lease: this.o.leaseName },
      leading ? 'became leader' : 'stopped leading',
    );
    if (leading) await this.o.onStartedLeading();
    else await this.o.onStoppedLeading();
  }

  /** Stops; a leader releases the Lease (holder cleared) so the next one takes over at once. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    if (!this.leading) return;
    await this.setLeading(false);
    try {
      const lease = await this.o.http.find<Lease>(this.path(this.o.leaseName));
      if (lease && lease.spec.holderIdentity === this.o.identity) {
        await this.o.http.request('PUT', this.path(this.o.leaseName), {
          body: {
            ...lease,
            spec: {
              ...lease.spec,
              holderIdentity: null,
              renewTime: null,
              acquireTime: null,
              leaseDurationSeconds: 1,
            },
          },
        });
      }
    } catch (error) {
      this.o.logger.warn({ err: error }, 'could not release the leader lease');
    }
  }
}
