// kafkajs consumer settings derived from the connector config and the worker environment. Pure.
import type { ConsumerConfig, ConsumerRunConfig } from 'kafkajs';

/** Kafka Connect names a sink connector's consumer group `connect-<connector name>`. */
export function groupIdFor(connectorName: string): string {
  return `connect-${connectorName}`;
}

/** How many partitions' batches are processed at once: decode of one overlaps the database write of another. */
export const PARTITIONS_CONSUMED_CONCURRENTLY = 3;

export interface FetchBounds {
  /** Bytes of one fetch response (all partitions). */
  maxBytes: number;
  /** Bytes per partition in one fetch response. */
  maxBytesPerPartition: number;
}

/**
 * Memory bound: one fetch (at most maxBytes) is decoded and written at a time per worker; decoded
 * rows take several times the bytes of their JSON, so a fetch gets a quarter of the budget
 * (KWDB_CONNECT_MAX_BUFFERED_BYTES, default 64 MiB -> 16 MiB fetches, 1 MiB per partition).
 */
export function fetchBounds(maxBufferedBytes: number): FetchBounds {
  const maxBytes = Math.max(1024, Math.floor(maxBufferedBytes / 4));
  return { maxBytes, maxBytesPerPartition: Math.min(1024 * 1024, maxBytes) };
}

export function consumerConfig(connectorName: string, maxBufferedBytes: number): ConsumerConfig {
  const bounds = fetchBounds(maxBufferedBytes);
  return {
    groupId: groupIdFor(connectorName),
    maxBytes: bounds.maxBytes,
    maxBytesPerPartition: bounds.maxBytesPerPartition,
    // Latency: the broker answers a fetch after at most 100 ms even when little data is waiting.
    maxWaitTimeInMs: 100,
    // A killed replica's partitions move after at most 10 s (the retry loop heartbeats during outages).
    sessionTimeout: 10_000,
    heartbeatInterval: 3_000,
    rebalanceTimeout: 60_000,
    // Kafka Connect's sink consumers use read_committed semantics only with EOS producers; plain reads here.
    readUncommitted: false,
    retry: { retries: 10 },
  };
}

export function runConfig(eachBatch: NonNullable<ConsumerRunConfig['eachBatch']>): ConsumerRunConfig {
  return {
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: PARTITIONS_CONSUMED_CONCURRENTLY,
    eachBatch,
  };
}
