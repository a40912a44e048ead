import { describe, expect, it } from '@jest/globals';
import { consumerConfig, fetchBounds, groupIdFor, runConfig } from './consumer-options';

const MiB = 1024 * 1024;

describe('fetchBounds', () => {
  it.each([
    {
      name: 'default budget (64 MiB): 4 MiB fetches, a third of one per partition',
      budget: 64 * MiB,
      maxBytes: 4 * MiB,
      perPartition: Math.floor((4 * MiB) / 3),
    },
    {
      name: 'small budget: a partition gets a third of a fetch',
      budget: 16 * MiB,
      maxBytes: MiB,
      perPartition: Math.floor(MiB / 3),
    },
    {
      name: 'large budget: still a third of a fetch, one batch per lane',
      budget: 1024 * MiB,
      maxBytes: 64 * MiB,
      perPartition: Math.floor((64 * MiB) / 3),
    },
    { name: 'the smallest budget still fetches', budget: 1024, maxBytes: 1024, perPartition: 1024 },
  ])('$name', ({ budget, maxBytes, perPartition }) => {
    expect(fetchBounds(budget)).toEqual({ maxBytes, maxBytesPerPartition: perPartition });
  });
});

describe('consumerConfig', () => {
  it('uses the group connect-<name> and the fetch bounds', () => {
    const config = consumerConfig('orders', 64 * MiB);
    expect(config.groupId).toBe(groupIdFor('orders'));
    expect(config.groupId).toBe('connect-orders');
    expect(config.maxBytes).toBe(4 * MiB);
    expect(config.maxBytesPerPartition).toBe(Math.floor((4 * MiB) / 3));
  });

  it('runs with manual commits and 3 partitions in flight', () => {
    const run = runConfig(async () => undefined);
    expect(run.autoCommit).toBe(false);
    expect(run.eachBatchAutoResolve).toBe(false);
    expect(run.partitionsConsumedConcurrently).toBe(3);
  });
});
