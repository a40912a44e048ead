// Table claims through Kafka's consumer-group membership (docs/adr/0008-source-claims.md).
//
// Every task of a connector joins group `connect-<connector>-source-claims`, subscribed to the
// connector's claims topic (no records are ever written to it; it only has partitions). The
// custom assigner `kwdb-tables` (run by the group leader) spreads the partitions so every member
// gets about the same number of tables; a task reads the tables hashing to its partitions.
//
// Safety: kafkajs uses the eager protocol, so a rebalance revokes everything. On REBALANCING the
// claims are dropped at once (generation + 1) and table loops stop before their next cursor
// write. A claim is also only trusted while the last heartbeat is younger than half the session
// timeout (a lease): a task cut off from the coordinator stops writing cursors before the group
// can expel it and give its tables to another task.
import { createHash } from 'node:crypto';
import kafkajs, { type Consumer, type Kafka, type PartitionAssigner } from 'kafkajs';
import type { Logger } from '@kwdb-connect/runtime';
import { assignPartitions, ownedTables, partitionOfTable } from './assignment';

const { AssignerProtocol } = kafkajs;

export const ASSIGNER_NAME = 'kwdb-tables';

export interface ClaimsGroupOptions {
  kafka: Kafka;
  groupId: string;
  topic: string;
  /** The tables the leader balances (this task's latest discovery). */
  knownTables: () => string[];
  logger: Logger;
  /** Called after every change of the claims (revoked or a new assignment). */
  onChange: () => void;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  now?: () => number;
}

/** The group's name for a connector, as Kafka Connect names its groups (`connect-<name>`). */
export function claimsGroupId(connector: string): string {
  return `connect-${connector}-source-claims`;
}

const CLAIMS_TOPIC_PREFIX = '__kwdb-connect-claims-';

/**
 * The claims topic of a connector. Names made of legal topic characters that fit are used as they
 * are; any other name (up to 249 characters of anything, issue 10 point 4) becomes its legal
 * characters cut to 150 plus a hash of the whole name, so two names never share a claims topic.
 */
export function claimsTopic(connector: string): string {
  const plain = CLAIMS_TOPIC_PREFIX + connector;
  if (/^[A-Za-z0-9._-]+$/.test(connector) && plain.length <= 249) return plain;
  const legal = connector.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 150);
  const hash = createHash('sha256').update(connector, 'utf8').digest('hex').slice(0, 16);
  return `${CLAIMS_TOPIC_PREFIX}${legal}-${hash}`;
}

/** kafkajs assigner: metadata carries nothing; the assignment maps partitions so tables balance. */
export function tableAssigner(knownTables: () => string[]): PartitionAssigner {
  return ({ cluster }) => ({
    name: ASSIGNER_NAME,
    version: 1,
    async assign({ members, topics }) {
      const memberIds = members.map((m) => m.memberId);
      const byMember = new Map<string, Record<string, number[]>>(memberIds.map((m) => [m, {}]));
      for (const topic of topics) {
        const partitions = cluster.findTopicPartitionMetadata(topic).length;
        for (const [member, list] of assignPartitions(memberIds, partitions, knownTables())) {
          byMember.get(member)![topic] = list;
        }
      }
      return memberIds.map((memberId) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1,
          assignment: byMember.get(memberId)!,
          userData: Buffer.alloc(0),
        }),
      }));
    },
    protocol({ topics }) {
      return {
        name: ASSIGNER_NAME,
        metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }),
      };
    },
  });
}

export class ClaimsGroup {
  private consumer: Consumer | undefined;
  private owned = new Set<number>();
  private partitions = 0;
  private assigned = false;
  private lastHeartbeat = 0;
  /** Increases at every revoke and every new assignment; a table loop is valid for one generation. */
  generation = 0;
  private readonly sessionTimeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ClaimsGroupOptions) {
    this.sessionTimeoutMs = options.sessionTimeoutMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  async start(partitions: number): Promise<void> {
    const { kafka, groupId, topic, logger } = this.options;
    this.partitions = partitions;
    const consumer = kafka.consumer({
      groupId,
      partitionAssigners: [tableAssigner(this.options.knownTables)],
      sessionTimeout: this.sessionTimeoutMs,
      rebalanceTimeout: this.sessionTimeoutMs,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? 1000,
      maxWaitTimeInMs: 500,
      allowAutoTopicCreation: false,
    });
    consumer.on(consumer.events.REBALANCING, () => {
      logger.info({ groupId }, 'claims: group is rebalancing; releasing every table');
      this.revoke();
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const list = payload.memberAssignment[topic] ?? [];
      this.owned = new Set(list);
      this.assigned = true;
      this.lastHeartbeat = this.now();
      this.generation += 1;
      logger.info(
        { groupId, generation: this.generation, partitions: list.length, leader: payload.isLeader },
        'claims: assignment received',
      );
      this.options.onChange();
    });
    consumer.on(consumer.events.HEARTBEAT, () => {
      this.lastHeartbeat = this.now();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      logger.warn({ err: payload.error, restart: payload.restart }, 'claims: consumer crashed');
      this.revoke();
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: false });
    await consumer.run({ autoCommit: false, eachMessage: async () => undefined });
  }

  /** Leaves the group (its tables go to the other tasks at once). */
  async stop(): Promise<void> {
    this.revoke();
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
  }

  get hasAssignment(): boolean {
    return this.assigned;
  }

  /** Whether the claims are currently trustworthy (assigned, not rebalancing, lease fresh). */
  leaseValid(): boolean {
    return this.assigned && this.now() - this.lastHeartbeat < this.sessionTimeoutMs / 2;
  }

  /** Tables of `known` this task owns now. */
  ownedOf(known: Iterable<string>): string[] {
    if (!this.assigned) return [];
    return ownedTables(known, this.owned, this.partitions);
  }

  /** The claims partition of a table (its claim, fenced under exactly-once: ADR 0011). */
  partitionOf(table: string): number {
    return partitionOfTable(table, this.partitions);
  }

  /** True while `table` is still this task's in `generation`. */
  stillOwns(table: string, generation: number): boolean {
    return (
      generation === this.generation &&
      this.leaseValid() &&
      this.owned.has(partitionOfTable(table, this.partitions))
    );
  }

  private revoke(): void {
    if (!this.assigned && this.owned.size === 0) return;
    this.assigned = false;
    this.owned = new Set();
    this.generation += 1;
    this.options.onChange();
  }
}
