import { describe, expect, it } from '@jest/globals';
import { createLogger } from '@kwdb-connect/runtime';
import { ConnectorService, type ConnectorServiceDeps } from './connector-service';
import { NO_RUNTIME, type OffsetsBackend, type StatusBackend } from './ports';
import type { ConnectorStore } from '../store/connector-store';

function service(failures: { status?: Error; offsets?: Error } = {}): ConnectorService {
  const status = { workerId: 'w', failure: () => failures.status } as unknown as StatusBackend;
  const offsets = { failure: () => failures.offsets } as unknown as OffsetsBackend;
  const deps: ConnectorServiceDeps = {
    store: {} as ConnectorStore,
    status,
    offsets,
    runtime: NO_RUNTIME,
    logger: createLogger({ level: 'silent' }),
  };
  return new ConnectorService(deps);
}

describe('ConnectorService.healthCheck (/health)', () => {
  it('is healthy when the change queue answers and both topics are followed', async () => {
    expect(await service().healthCheck(1000)).toEqual({ healthy: true });
  });

  it.each([
    {
      name: 'the status reader stopped',
      failures: { status: new Error('gone') },
      details: /status topic.*gone/,
    },
    {
      name: 'the offsets reader stopped',
      failures: { offsets: new Error('gone') },
      details: /offsets topic.*gone/,
    },
  ])('is unhealthy when $name', async ({ failures, details }) => {
    const result = await service(failures).healthCheck(1000);
    expect(result.healthy).toBe(false);
    if (!result.healthy) expect(result.details).toMatch(details);
  });

  it('is unhealthy when a change holds the queue longer than the limit', async () => {
    const s = service();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // A change that does not finish (serial() is the queue every change goes through).
    const hold = (s as unknown as { serial(work: () => Promise<void>): Promise<void> }).serial(() => held);
    const result = await s.healthCheck(20);
    release();
    await hold;
    expect(result).toEqual({
      healthy: false,
      details: 'A connector change has been running for more than 20 ms.',
    });
  });
});
