import { describe, expect, it } from '@jest/globals';
import { topicName, type TopicNaming } from './topic-name';

const guide: TopicNaming = { prefix: 'kw', delimiter: '-', perStable: true, ignoreDb: false };

describe('topicName', () => {
  const cases: Array<{ name: string; naming: TopicNaming; db: string; table: string; topic: string }> = [
    {
      name: "the guide's example",
      naming: guide,
      db: 'benchmark',
      table: 'cpu_kaiwudb_tb',
      topic: 'kw-benchmark-cpu_kaiwudb_tb',
    },
    {
      name: 'topic.ignore.db=true',
      naming: { ...guide, ignoreDb: true },
      db: 'benchmark',
      table: 't1',
      topic: 'kw-t1',
    },
    {
      name: 'topic.per.stable=false: one topic per database',
      naming: { ...guide, perStable: false },
      db: 'benchmark',
      table: 't1',
      topic: 'kw-benchmark',
    },
    {
      name: 'per.stable=false and ignore.db=true: the prefix alone',
      naming: { ...guide, perStable: false, ignoreDb: true },
      db: 'benchmark',
      table: 't1',
      topic: 'kw',
    },
    {
      name: 'empty prefix is left out',
      naming: { ...guide, prefix: '' },
      db: 'benchmark',
      table: 't1',
      topic: 'benchmark-t1',
    },
    { name: 'other delimiter', naming: { ...guide, delimiter: '.' }, db: 'db', table: 't', topic: 'kw.db.t' },
    { name: 'empty delimiter', naming: { ...guide, delimiter: '' }, db: 'db', table: 't', topic: 'kwdbt' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(topicName(c.naming, c.db, c.table)).toBe(c.topic);
    });
  }

  it('nothing left: TOPIC_NAME_EMPTY', () => {
    expect(() =>
      topicName({ prefix: '', delimiter: '-', perStable: false, ignoreDb: true }, 'db', 't'),
    ).toThrow(expect.objectContaining({ code: 'TOPIC_NAME_EMPTY' }));
  });

  it('illegal characters: TOPIC_NAME_INVALID', () => {
    expect(() => topicName(guide, 'db', 'tä')).toThrow(
      expect.objectContaining({ code: 'TOPIC_NAME_INVALID' }),
    );
  });

  it('longer than 249 characters: TOPIC_NAME_INVALID', () => {
    expect(() => topicName(guide, 'db', 'x'.repeat(250))).toThrow(
      expect.objectContaining({ code: 'TOPIC_NAME_INVALID' }),
    );
  });
});
