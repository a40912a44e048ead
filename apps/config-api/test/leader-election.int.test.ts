// Leader election of the operator loop against the real kube-apiserver: of two config-api replicas
// exactly one leads; when the leader dies (stops renewing: here its API connection is cut, as a
// SIGKILL or a network partition would) the other takes over within the lease duration plus one
// retry period, and the old one steps down on its own; a leader that shuts down cleanly releases
// the Lease so the other takes over at once.
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createLogger } from '@kwdb-connect/runtime';
import { loadTestEnv } from '@kwdb-connect/testing';
import { KubeHttp, type RequestOptions } from '../src/operator/kube-http';
import { LeaderElection } from '../src/operator/leader-election';
import { eventually } from './helpers';
import { kubeContext, type KubeTestContext } from './kube-helpers';

const env = loadTestEnv('kube');
jest.setTimeout(180_000);

const LEASE_SECONDS = 4;
const RETRY_MS = 500;

/** A KubeHttp whose connection can be cut: every request then fails, as for a dead process. */
class CuttableHttp extends KubeHttp {
  cut = false;
  override request<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
    if (this.cut) return Promise.reject(new Error('connection cut'));
    return super.request<T>(method, path, options);
  }
}

interface Replica {
  election: LeaderElection;
  http: CuttableHttp;
  events: string[];
}

describe('operator leader election (real kube-apiserver)', () => {
  let k: KubeTestContext;
  beforeAll(async () => {
    k = await kubeContext(env, 'lease');
  });

  function replica(identity: string, leaseName: string): Replica {
    const http = new CuttableHttp(k.http.kc);
    const events: string[] = [];
    const election = new LeaderElection({
      http,
      namespace: k.namespace,
      leaseName,
      identity,
      leaseDurationSeconds: LEASE_SECONDS,
      retryMs: RETRY_MS,
      logger: createLogger({ level: 'silent' }),
      onStartedLeading: () => void events.push('started'),
      onStoppedLeading: () => void events.push('stopped'),
    });
    election.start();
    return { election, http, events };
  }

  it('one of two replicas leads; a dead leader is replaced within the lease duration', async () => {
    const a = replica('replica-a', 'dead-leader');
    await eventually(async () => (a.election.isLeader ? true : undefined), 'replica-a to lead');
    const b = replica('replica-b', 'dead-leader');
    // b sees a renewing: it never leads while a lives.
    const watchUntil = Date.now() + 3 * LEASE_SECONDS * 1000;
    while (Date.now() < watchUntil) {
      expect(b.election.isLeader).toBe(false);
      expect(a.election.isLeader).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
    }

    a.http.cut = true;
    const cutAt = Date.now();
    await eventually(async () => (b.election.isLeader ? true : undefined), 'replica-b to take over', 60_000);
    const handover = Date.now() - cutAt;
    // The design bound: the lease must look unrenewed for LEASE_SECONDS, each Lease request is cut
    // off after a third of it (a read and a write), plus a retry period either side.
    expect(handover).toBeLessThan(2 * LEASE_SECONDS * 1000 + 2 * RETRY_MS);
    await eventually(async () => (a.election.isLeader ? undefined : true), 'replica-a to step down');
    expect(a.events).toEqual(['started', 'stopped']);

    const lease = await k.http.get<{ spec: { holderIdentity: string; leaseTransitions: number } }>(
      `/apis/coordination.k8s.io/v1/namespaces/${k.namespace}/leases/dead-leader`,
    );
    expect(lease.spec.holderIdentity).toBe('replica-b');
    expect(lease.spec.leaseTransitions).toBe(1);
    await a.election.close();
    await b.election.close();
  });

  it('a leader that shuts down releases the Lease: the other takes over at its next retry', async () => {
    const a = replica('replica-a', 'clean-leader');
    await eventually(async () => (a.election.isLeader ? true : undefined), 'replica-a to lead');
    const b = replica('replica-b', 'clean-leader');
    await new Promise((r) => setTimeout(r, 2 * RETRY_MS));
    expect(b.election.isLeader).toBe(false);
    const closedAt = Date.now();
    await a.election.close();
    await eventually(async () => (b.election.isLeader ? true : undefined), 'replica-b to take over');
    expect(Date.now() - closedAt).toBeLessThan(LEASE_SECONDS * 1000);
    await b.election.close();
  });
});
