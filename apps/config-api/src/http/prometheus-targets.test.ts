import { describe, expect, it } from '@jest/globals';
import { hostPort, prometheusTargets } from './prometheus-targets';

describe('prometheusTargets: HTTP service discovery for the local runtime', () => {
  it.each([
    { name: 'no tasks: config-api alone', tasks: [], expected: [['127.0.0.1:8083', 'config-api']] },
    {
      name: 'tasks sorted by connector, then task id',
      tasks: [
        { connector: 'b', task: 0, kind: 'source' as const, address: '127.0.0.1:4003' },
        { connector: 'a', task: 1, kind: 'sink' as const, address: '127.0.0.1:4002' },
        { connector: 'a', task: 0, kind: 'sink' as const, address: '127.0.0.1:4001' },
      ],
      expected: [
        ['127.0.0.1:8083', 'config-api'],
        ['127.0.0.1:4001', 'sink-worker', 'a', '0'],
        ['127.0.0.1:4002', 'sink-worker', 'a', '1'],
        ['127.0.0.1:4003', 'source-worker', 'b', '0'],
      ],
    },
  ])('$name', ({ tasks, expected }) => {
    const groups = prometheusTargets('127.0.0.1:8083', tasks);
    expect(
      groups.map((g) => [g.targets[0], g.labels['component'], g.labels['connector'], g.labels['task']]),
    ).toEqual(expected.map((e) => [e[0], e[1], e[2], e[3]]));
    for (const group of groups) expect(group.targets).toHaveLength(1);
  });

  it.each([
    { name: 'an IPv4 host', host: '127.0.0.1', expected: '127.0.0.1:9' },
    { name: 'a host name', host: 'localhost', expected: 'localhost:9' },
    { name: 'an IPv6 host', host: '::1', expected: '[::1]:9' },
  ])('hostPort: $name', ({ host, expected }) => {
    expect(hostPort(host, 9)).toBe(expected);
  });
});
