import { describe, expect, it } from '@jest/globals';
import { hostNetworkScrapeHost, workerPodTargets, type ScrapablePod } from './pod-targets';

function pod(
  name: string,
  annotations: Record<string, string | undefined>,
  extra: { phase?: string; podIP?: string; terminating?: boolean } = {},
): ScrapablePod {
  const base: Record<string, string | undefined> = {
    'prometheus.io/scrape': 'true',
    'prometheus.io/port': '8084',
    'prometheus.io/path': '/metrics',
    'kwdb-connect.io/task-id': '0',
    'kwdb-connect.io/connector-name': 'KwdbSinkConnector',
    ...annotations,
  };
  return {
    metadata: {
      name,
      namespace: 'ns1',
      annotations: Object.fromEntries(
        Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined),
      ),
      ...(extra.terminating ? { deletionTimestamp: '2026-12-04T10:00:00Z' } : {}),
    },
    status: { phase: extra.phase ?? 'Running', podIP: extra.podIP ?? '10.0.0.5' },
  };
}

const target = (address: string, name: string, connector: string, task: string, more = {}) => ({
  targets: [address],
  labels: { component: 'worker', namespace: 'ns1', pod: name, connector, task, ...more },
});

describe('workerPodTargets', () => {
  it.each([
    {
      name: 'an annotated running worker: podIP:port with namespace, pod, connector and task',
      pods: [pod('a', {})],
      expected: [target('10.0.0.5:8084', 'a', 'KwdbSinkConnector', '0')],
    },
    {
      name: 'sorted by connector, then task',
      pods: [
        pod('c', { 'kwdb-connect.io/task-id': '1' }, { podIP: '10.0.0.7' }),
        pod('b', { 'kwdb-connect.io/connector-name': 'Another' }, { podIP: '10.0.0.6' }),
        pod('a', {}),
      ],
      expected: [
        target('10.0.0.6:8084', 'b', 'Another', '0'),
        target('10.0.0.5:8084', 'a', 'KwdbSinkConnector', '0'),
        target('10.0.0.7:8084', 'c', 'KwdbSinkConnector', '1'),
      ],
    },
    {
      name: 'another path becomes __metrics_path__',
      pods: [pod('a', { 'prometheus.io/path': '/custom' })],
      expected: [target('10.0.0.5:8084', 'a', 'KwdbSinkConnector', '0', { __metrics_path__: '/custom' })],
    },
    {
      name: 'scrape switched off by the resource',
      pods: [pod('a', { 'prometheus.io/scrape': 'false' })],
      expected: [],
    },
    {
      name: 'no port annotation (port 0)',
      pods: [pod('a', { 'prometheus.io/port': undefined })],
      expected: [],
    },
    {
      name: 'a port that is not a port',
      pods: [pod('a', { 'prometheus.io/port': 'metrics' })],
      expected: [],
    },
    { name: 'no task id yet', pods: [pod('a', { 'kwdb-connect.io/task-id': undefined })], expected: [] },
    { name: 'not running yet', pods: [pod('a', {}, { phase: 'Pending' })], expected: [] },
    { name: 'terminating', pods: [pod('a', {}, { terminating: true })], expected: [] },
    {
      name: 'an IPv6 Pod IP in brackets',
      pods: [pod('a', {}, { podIP: 'fd00::5' })],
      expected: [target('[fd00::5]:8084', 'a', 'KwdbSinkConnector', '0')],
    },
  ])('$name', ({ pods, expected }) => {
    expect(workerPodTargets(pods)).toEqual(expected);
  });
});

describe('hostNetworkScrapeHost', () => {
  it.each([
    { name: 'Pod network: the Pod IP', hostNetwork: false, httpHost: '127.0.0.1', expected: undefined },
    {
      name: 'host network on every address: the Pod IP',
      hostNetwork: true,
      httpHost: '0.0.0.0',
      expected: undefined,
    },
    { name: 'host network on IPv6 any: the Pod IP', hostNetwork: true, httpHost: '::', expected: undefined },
    {
      name: 'host network on loopback (test clusters): loopback',
      hostNetwork: true,
      httpHost: '127.0.0.1',
      expected: '127.0.0.1',
    },
  ])('$name', ({ hostNetwork, httpHost, expected }) => {
    expect(hostNetworkScrapeHost(hostNetwork, httpHost)).toBe(expected);
  });

  it('replaces the Pod IP in the targets', () => {
    expect(workerPodTargets([pod('a', {}, { podIP: '192.0.2.2' })], '127.0.0.1')[0]?.targets).toEqual([
      '127.0.0.1:8084',
    ]);
  });
});
