import { describe, expect, it } from '@jest/globals';
import { StatusRecordError } from '../errors';
import {
  connectorStatusKey,
  encodeStatusValue,
  encodeTopicStatusValue,
  taskStatusKey,
  topicStatusKey,
  type StatusState,
} from './status-record';
import { StatusTable } from './status-table';

type Step = [key: string, value: string | null];

const v = (state: StatusState, worker = 'w1', trace: string | null = null): string =>
  encodeStatusValue({ state, trace, worker_id: worker, generation: 0, updated_at: 1 });
const conn = (name: string): string => connectorStatusKey(name);
const task = (name: string, id: number): string => taskStatusKey(name, id);

/** What get() shows, reduced to states, for compact expectations. */
function view(table: StatusTable, name: string): { connector: string | null; tasks: string[] } | undefined {
  const status = table.get(name);
  if (!status) return undefined;
  return { connector: status.connector?.state ?? null, tasks: status.tasks.map((t) => `${t.id}:${t.state}`) };
}

const cases: { name: string; steps: Step[]; expected: ReturnType<typeof view> }[] = [
  { name: 'nothing published', steps: [], expected: undefined },
  {
    name: 'connector and tasks, tasks sorted by id',
    steps: [
      [conn('c'), v('RUNNING')],
      [task('c', 1), v('RUNNING')],
      [task('c', 0), v('UNASSIGNED')],
    ],
    expected: { connector: 'RUNNING', tasks: ['0:UNASSIGNED', '1:RUNNING'] },
  },
  {
    name: 'latest value per key wins',
    steps: [
      [task('c', 0), v('RUNNING')],
      [task('c', 0), v('FAILED', 'w1', 'boom')],
      [task('c', 0), v('RESTARTING')],
      [task('c', 0), v('RUNNING', 'w2')],
    ],
    expected: { connector: null, tasks: ['0:RUNNING'] },
  },
  {
    name: 'task tombstone removes the task only',
    steps: [
      [conn('c'), v('RUNNING')],
      [task('c', 0), v('RUNNING')],
      [task('c', 1), v('RUNNING')],
      [task('c', 1), null],
    ],
    expected: { connector: 'RUNNING', tasks: ['0:RUNNING'] },
  },
  {
    name: 'connector and task tombstones remove the connector',
    steps: [
      [conn('c'), v('RUNNING')],
      [task('c', 0), v('RUNNING')],
      [conn('c'), null],
      [task('c', 0), null],
    ],
    expected: undefined,
  },
  {
    name: 'a connector tombstone alone leaves the tasks (compaction-safe: keys are independent)',
    steps: [
      [conn('c'), v('RUNNING')],
      [task('c', 0), v('UNASSIGNED')],
      [conn('c'), null],
    ],
    expected: { connector: null, tasks: ['0:UNASSIGNED'] },
  },
  {
    name: 'recreated after deletion',
    steps: [
      [conn('c'), v('RUNNING')],
      [conn('c'), null],
      [conn('c'), v('PAUSED')],
    ],
    expected: { connector: 'PAUSED', tasks: [] },
  },
  {
    name: 'other connectors and foreign keys do not interfere',
    steps: [
      [conn('c'), v('STOPPED')],
      [conn('c-2'), v('RUNNING')],
      [task('c-2', 0), v('RUNNING')],
      ['status-topic-x:connector-c', '{"topic":{"name":"x","connector":"c","task":0}}'],
    ],
    expected: { connector: 'STOPPED', tasks: [] },
  },
];

describe('StatusTable', () => {
  it.each(cases)('$name', ({ steps, expected }) => {
    const table = new StatusTable();
    for (const [key, value] of steps) table.apply(key, value);
    expect(view(table, 'c')).toEqual(expected);
  });

  it('gives the same view for the full log and for its compacted form (latest record per key)', () => {
    const log: Step[] = [
      [conn('c'), v('RUNNING')],
      [task('c', 0), v('RUNNING')],
      [task('c', 1), v('FAILED', 'w1', 'trace-1')],
      [task('c', 1), v('RUNNING', 'w2')],
      [task('c', 2), v('RUNNING')],
      [task('c', 2), null],
      [conn('c'), v('PAUSED')],
    ];
    const compacted = [...new Map(log).entries()];
    const full = new StatusTable();
    const small = new StatusTable();
    for (const [key, value] of log) full.apply(key, value);
    for (const [key, value] of compacted) small.apply(key, value);
    expect(small.get('c')).toEqual(full.get('c'));
    expect(view(full, 'c')).toEqual({ connector: 'PAUSED', tasks: ['0:RUNNING', '1:RUNNING'] });
  });

  it('keeps trace, worker_id and generation of the latest value', () => {
    const table = new StatusTable();
    table.apply(
      task('c', 0),
      encodeStatusValue({ state: 'FAILED', trace: 'boom', worker_id: 'w9', generation: 4, updated_at: 7 }),
    );
    expect(table.get('c')?.tasks).toEqual([
      { id: 0, state: 'FAILED', trace: 'boom', worker_id: 'w9', generation: 4, updated_at: 7 },
    ]);
    expect(table.taskState('c', 0)).toBe('FAILED');
  });

  it('keeps the topics each connector used, sorted; a tombstone removes one', () => {
    const table = new StatusTable();
    const topic = (name: string, connector: string): [string, string] => [
      topicStatusKey(connector, name),
      encodeTopicStatusValue({ name, connector, task: 0, discoverTimestamp: 5 }),
    ];
    for (const [key, value] of [topic('b', 'c'), topic('a', 'c'), topic('z', 'other')])
      table.apply(key, value);
    expect(table.topics('c').map((t) => t.name)).toEqual(['a', 'b']);
    expect(table.apply(topicStatusKey('c', 'a'), null)).toBe('deleted');
    expect(table.topics('c')).toEqual([{ name: 'b', connector: 'c', task: 0, discoverTimestamp: 5 }]);
    expect(table.get('c')).toBeUndefined(); // topics are not a status
    expect(table.topics('nope')).toEqual([]);
  });

  it('reports what each record did', () => {
    const table = new StatusTable();
    expect(table.apply(conn('c'), v('RUNNING'))).toBe('updated');
    expect(table.apply(conn('c'), null)).toBe('deleted');
    expect(table.apply('something-else', v('RUNNING'))).toBe('ignored');
  });

  it('rejects a malformed value and leaves the previous one', () => {
    const table = new StatusTable();
    table.apply(conn('c'), v('RUNNING'));
    expect(() => table.apply(conn('c'), '{"state":"BROKEN"}')).toThrow(StatusRecordError);
    expect(table.get('c')?.connector?.state).toBe('RUNNING');
  });

  it('lists connectors with any status', () => {
    const table = new StatusTable();
    table.apply(task('b', 0), v('RUNNING'));
    table.apply(conn('a'), v('RUNNING'));
    table.apply(conn('z'), v('RUNNING'));
    table.apply(conn('z'), null);
    expect(table.connectors()).toEqual(['a', 'b']);
  });
});
