// Two config-api replicas on the one-node cluster (issue 13, item 6): two host processes in
// Kubernetes mode, leader election through the Lease on the cluster's apiserver. The leader (the
// Lease's holderIdentity) is killed with SIGKILL, the crash case: no graceful release of the Lease.
// The other must take the Lease within the bound its own timings give (lease duration, retry
// period and request budget, read from its "leader election started" log line), and then run the
// operator loop: `kubectl scale kwc/NAME --replicas=2` gives 2 ready worker Pods.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Kafka, logLevel } from 'kafkajs';
import type pg from 'pg';
import { loadTestEnv, uniqueName } from '@kwdb-connect/testing';
import type { ConfigApiProcess } from './config-api-process';
import {
  connectionValues,
  createDatabase,
  exampleManifest,
  OperatorCluster,
  withValues,
} from './operator-harness';

jest.setTimeout(300_000);

const env = loadTestEnv('kafka', 'postgres', 'cluster');
const RESOURCE = 'kwdb-sink-connector';
const LEASE = 'kwdb-connect-operator'; // KWDB_CONNECT_LEASE_NAME's default
const LEASE_DURATION_SECONDS = 6;

interface LeaseJson {
  spec: { holderIdentity?: string | null; acquireTime?: string | null; leaseTransitions?: number };
}

/** The timings config-api's leader election logged at start. */
function electionTimings(api: ConfigApiProcess): {
  leaseMs: number;
  retryMs: number;
  requestBudgetMs: number;
} {
  for (const line of api.lines) {
    if (!line.includes('"leader election started"')) continue;
    const entry = JSON.parse(line) as {
      leaseDurationSeconds: number;
      retryMs: number;
      requestBudgetMs: number;
    };
    return {
      leaseMs: entry.leaseDurationSeconds * 1000,
      retryMs: entry.retryMs,
      requestBudgetMs: entry.requestBudgetMs,
    };
  }
  throw new Error(`config-api ${api.identity} logged no "leader election started" line`);
}

describe('two config-api replicas on the one-node cluster: the leader crashes, the other takes over', () => {
  const database = `e2e_leader_${uniqueName('x').slice(2).replace(/-/g, '_')}`;
  const topic = uniqueName('e2e-leader-sink');
  let cluster: OperatorCluster;
  let db: pg.Client;
  let replicas: ConfigApiProcess[];

  const lease = async (): Promise<LeaseJson | undefined> => {
    const out = await cluster.k(['get', 'lease', LEASE, '--ignore-not-found', '-o', 'json']);
    return out.trim() === '' ? undefined : (JSON.parse(out) as LeaseJson);
  };

  beforeAll(async () => {
    cluster = await OperatorCluster.start(env, 'e2e-leader');
    db = await createDatabase(env, database);
    const kafka = new Kafka({
      clientId: 'e2e-leader',
      brokers: env.kafka.brokers,
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    // Two partitions: a sink runs no more tasks than its topics have partitions.
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    replicas = [
      await cluster.startConfigApi('config-api-a', LEASE_DURATION_SECONDS),
      await cluster.startConfigApi('config-api-b', LEASE_DURATION_SECONDS),
    ];
  }, 600_000);

  afterAll(async () => {
    await cluster?.close();
    await db?.end();
  });

  it('SIGKILL of the leader: the other replica takes the Lease within the election bound and reconciles a scale to 2', async () => {
    const holder = await cluster.until(
      async () => (await lease())?.spec.holderIdentity ?? undefined,
      'a leader',
    );
    const leader = replicas.find((r) => r.identity === holder);
    const survivor = replicas.find((r) => r.identity !== holder);
    if (!leader || !survivor) throw new Error(`the Lease is held by ${holder}, not one of the replicas`);

    // The leader runs the loop: the example connector gets its worker Pod.
    const yaml = withValues(exampleManifest('kw-json-kaiwudb-sink.yaml'), {
      topics: topic,
      ...connectionValues(env, database),
      tasksMax: 1,
    });
    await cluster.k(['apply', '-f', '-'], yaml);
    await cluster.runningTasks(RESOURCE, 1, { ready: true });
    const before = await lease();
    expect(before?.spec.holderIdentity).toBe(leader.identity);

    const killedAt = Date.now();
    expect(await leader.stop('SIGKILL')).toBe('SIGKILL');
    const after = await cluster.until(async () => {
      const current = await lease();
      return current?.spec.holderIdentity === survivor.identity ? current : undefined;
    }, `${survivor.identity} to take the Lease`);

    // The bound: the survivor sees the last renewal at its next round (a round starts every retry
    // period plus at most one request budget), then must see the Lease unchanged for a full lease
    // duration, and takes it at the first round after that; acquireTime is that round's start.
    const t = electionTimings(survivor);
    const bound = t.leaseMs + 2 * (t.retryMs + t.requestBudgetMs);
    const handoverMs = Date.parse(after.spec.acquireTime ?? '') - killedAt;
    process.stdout.write(
      `operator-leader: Lease taken ${handoverMs} ms after the SIGKILL (bound ${bound} ms)\n`,
    );
    expect(handoverMs).toBeGreaterThan(0);
    expect(handoverMs).toBeLessThanOrEqual(bound);
    expect(after.spec.leaseTransitions).toBe((before?.spec.leaseTransitions ?? 0) + 1);

    // Only the survivor can reconcile now.
    await cluster.k(['scale', `kwc/${RESOURCE}`, '--replicas=2']);
    await cluster.runningTasks(RESOURCE, 2, { ready: true });
    expect(survivor.child.exitCode).toBeNull();
  });
});
