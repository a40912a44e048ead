import { describe, expect, it } from '@jest/globals';
import { commitRequest, OffsetCommitter, type PartitionCommit, type SendCommit } from './offset-committer';

const at = (topic: string, partition: number, offset: number): PartitionCommit => ({
  topic,
  partition,
  offset: String(offset),
  highWatermark: '100',
});

/** A broker stand-in: records each request; each answer waits until the test releases it. */
function fakeBroker(refuse: ReadonlySet<number> = new Set()) {
  const requests: Array<Parameters<SendCommit>[0]> = [];
  const answers: Array<() => void> = [];
  const send: SendCommit = (offsets) => {
    const index = requests.push(offsets) - 1;
    return new Promise<void>((resolve, reject) =>
      answers.push(() => (refuse.has(index) ? reject(new Error(`refused ${index}`)) : resolve())),
    );
  };
  /** Answers the oldest open request, then lets the committer go on. */
  const answer = async (): Promise<void> => {
    answers.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { requests, send, answer };
}

function committer() {
  const committed: string[][] = [];
  const failed: string[][] = [];
  const names = (cs: readonly PartitionCommit[]) => cs.map((c) => `${c.topic}/${c.partition}@${c.offset}`);
  const c = new OffsetCommitter({
    onCommitted: (cs) => committed.push(names(cs)),
    onFailed: (cs) => failed.push(names(cs)),
  });
  return { c, committed, failed };
}

describe('OffsetCommitter', () => {
  it('sends a commit at once when none is in flight', async () => {
    const broker = fakeBroker();
    const { c, committed } = committer();
    c.request(at('t', 0, 10), broker.send);
    expect(broker.requests).toEqual([
      { topics: [{ topic: 't', partitions: [{ partition: 0, offset: '10' }] }] },
    ]);
    await broker.answer();
    expect(committed).toEqual([['t/0@10']]);
  });

  it('keeps the commits asked for while one is in flight, the highest per partition, for one request', async () => {
    const broker = fakeBroker();
    const { c, committed } = committer();
    c.request(at('t', 0, 10), broker.send);
    c.request(at('t', 0, 20), broker.send);
    c.request(at('t', 1, 5), broker.send);
    c.request(at('t', 0, 15), broker.send); // lower than the waiting 20: changes nothing
    c.request(at('u', 0, 7), broker.send);
    expect(broker.requests).toHaveLength(1);
    await broker.answer();
    expect(broker.requests[1]).toEqual({
      topics: [
        {
          topic: 't',
          partitions: [
            { partition: 0, offset: '20' },
            { partition: 1, offset: '5' },
          ],
        },
        { topic: 'u', partitions: [{ partition: 0, offset: '7' }] },
      ],
    });
    await broker.answer();
    expect(committed).toEqual([['t/0@10'], ['t/0@20', 't/1@5', 'u/0@7']]);
  });

  it('reports a refused request and still sends the next one', async () => {
    const broker = fakeBroker(new Set([0]));
    const { c, committed, failed } = committer();
    c.request(at('t', 0, 10), broker.send);
    c.request(at('t', 0, 20), broker.send);
    await broker.answer();
    expect(failed).toEqual([['t/0@10']]);
    await broker.answer();
    expect(committed).toEqual([['t/0@20']]);
  });

  it('flush resolves once every commit asked for so far is answered', async () => {
    const broker = fakeBroker();
    const { c, committed } = committer();
    c.request(at('t', 0, 10), broker.send);
    c.request(at('t', 0, 20), broker.send);
    let flushed = false;
    const flush = c.flush().then(() => (flushed = true));
    await broker.answer();
    expect(flushed).toBe(false); // t/0@20 is still to go
    await broker.answer();
    await flush;
    expect(committed).toEqual([['t/0@10'], ['t/0@20']]);
    await c.flush(); // nothing in flight: at once
  });

  it.each([
    { name: 'no commits', commits: [], request: { topics: [] } },
    {
      name: 'partitions grouped under their topic, in order of first appearance',
      commits: [at('b', 1, 3), at('a', 0, 1), at('b', 0, 2)],
      request: {
        topics: [
          {
            topic: 'b',
            partitions: [
              { partition: 1, offset: '3' },
              { partition: 0, offset: '2' },
            ],
          },
          { topic: 'a', partitions: [{ partition: 0, offset: '1' }] },
        ],
      },
    },
  ])('commitRequest: $name', ({ commits, request }) => {
    expect(commitRequest(commits)).toEqual(request);
  });
});
