import { describe, expect, it } from '@jest/globals';
import { Kafka } from 'kafkajs';
import { NotStartedError } from '../errors';
import { errorTrace, StatusPublisher } from './status-publisher';

// Nothing here connects: the Kafka client is only constructed.
const kafka = new Kafka({ clientId: 'unit', brokers: ['127.0.0.1:1'] });

describe('StatusPublisher values', () => {
  const publisher = new StatusPublisher({
    kafka,
    topic: 'status',
    workerId: 'sink-0:8080',
    generation: 3,
    secretValues: ['hunter2'],
    now: () => 1_700_000_000_000,
  });

  it.each([
    { name: 'running, no trace', state: 'RUNNING' as const, trace: undefined, expected: null },
    { name: 'failed with a trace', state: 'FAILED' as const, trace: 'Error: boom', expected: 'Error: boom' },
    {
      name: 'failed with a trace that leaks the config',
      state: 'FAILED' as const,
      trace: `Error: bad config {"connection.password":"hunter2"} (pwd hunter2)`,
      expected: 'Error: bad config {"connection.password":"[Redacted]"} (pwd [Redacted])',
    },
  ])('$name', ({ state, trace, expected }) => {
    expect(publisher.value(state, trace)).toEqual({
      state,
      trace: expected,
      worker_id: 'sink-0:8080',
      generation: 3,
      updated_at: 1_700_000_000_000,
    });
  });

  it('refuses to send before connect()', async () => {
    await expect(publisher.publishTask('c', 0, 'RUNNING')).rejects.toThrow(NotStartedError);
  });
});

describe('errorTrace', () => {
  it.each([
    { name: 'an Error gives its stack', error: new Error('boom'), expected: /^Error: boom\n\s+at / },
    { name: 'a string', error: 'plain', expected: /^plain$/ },
  ])('$name', ({ error, expected }) => {
    expect(errorTrace(error)).toMatch(expected);
  });
});
