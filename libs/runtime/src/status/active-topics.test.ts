import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../logger/create-logger';
import { ActiveTopicsRecorder } from './active-topics';

function recorder(fail = false, enabled = true): { topics: ActiveTopicsRecorder; sent: string[] } {
  const sent: string[] = [];
  const publisher = {
    publishTopic: async (connector: string, topic: string, task: number): Promise<void> => {
      sent.push(`${connector}/${topic}/${task}`);
      if (fail) throw new Error('Kafka down');
    },
  };
  const logger = createLogger({ level: 'silent' });
  return { topics: new ActiveTopicsRecorder({ publisher, connector: 'c', task: 1, logger, enabled }), sent };
}

describe('ActiveTopicsRecorder', () => {
  it('publishes each topic once, also when used again while the first publish runs', async () => {
    const { topics, sent } = recorder();
    topics.record('a');
    topics.record('a');
    topics.record('b');
    await topics.settled();
    topics.record('a');
    await topics.settled();
    expect(sent).toEqual(['c/a/1', 'c/b/1']);
  });

  it('with topic tracking off (topic.tracking.enable=false) nothing is published', async () => {
    const { topics, sent } = recorder(false, false);
    topics.record('a');
    await topics.settled();
    expect(sent).toEqual([]);
  });

  it('forget() makes the next use publish again', async () => {
    const { topics, sent } = recorder();
    topics.record('a');
    await topics.settled();
    topics.forget();
    topics.record('a');
    await topics.settled();
    expect(sent).toEqual(['c/a/1', 'c/a/1']);
  });

  it('a failed publish is tried again on the next use', async () => {
    const { topics, sent } = recorder(true);
    topics.record('a');
    await topics.settled();
    topics.record('a');
    await topics.settled();
    expect(sent).toEqual(['c/a/1', 'c/a/1']);
  });
});
