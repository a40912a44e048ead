import { describe, expect, it } from '@jest/globals';
import {
  configHash,
  desiredConfigMap,
  desiredDeployment,
  interpret,
  scrapeAnnotations,
  workerConfigFile,
} from './desired';
import { ANNOTATIONS, type KwdbConnector } from './resource';
import { SETTINGS, sinkResource } from './test-fixtures';

type Ok = Extract<ReturnType<typeof interpret>, { ok: true }>;
function ok(resource = sinkResource()): Ok {
  const c = interpret(resource);
  if (!c.ok) throw new Error(c.problems.join('; '));
  return c;
}

// Reads a path like "spec.template.spec.containers.0.env" out of a plain object.
function at(object: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], object);
}

describe('interpret', () => {
  it.each([
    {
      name: 'the guide sink: flat config with class, tasks.max and name, password left out',
      spec: {},
      check: (c: Ok) => {
        expect(c.connectorName).toBe('KwdbSinkConnector');
        expect(c.config['tasks.max']).toBe('3');
        expect(c.config['connection.attempts']).toBe('3');
        expect(c.config['connection.password']).toBeUndefined();
        expect(c.password).toEqual({ secretName: 'meters-secret', key: 'connection.password' });
        expect(c.targetState).toBe('RUNNING');
      },
    },
    {
      name: 'an alias class becomes the full class name',
      spec: { class: 'KwdbSink' },
      check: (c: Ok) =>
        expect(c.config['connector.class']).toBe('com.kaiwudb.kafka.connect.sink.KwdbSinkConnector'),
    },
    {
      name: 'paused',
      spec: { state: 'paused' as const },
      check: (c: Ok) => expect(c.targetState).toBe('PAUSED'),
    },
    {
      name: 'stopped',
      spec: { state: 'stopped' as const },
      check: (c: Ok) => expect(c.targetState).toBe('STOPPED'),
    },
  ])('$name', ({ spec, check }) => {
    check(ok(sinkResource(spec)));
  });

  it.each([
    {
      name: 'unknown class',
      spec: { class: 'org.example.Other' },
      problem: 'spec.class: unknown connector class "org.example.Other"',
    },
    {
      name: 'required key missing (the schema lists it)',
      spec: { config: { 'connection.url': 'jdbc:kaiwudb://h:1' } },
      problem: 'topics',
    },
    {
      name: 'password in the config',
      spec: { config: { topics: 't', 'connection.url': 'jdbc:kaiwudb://h:1', 'connection.password': 'x' } },
      problem: 'spec.config.connection.password: must not be set',
    },
  ])('refuses: $name', ({ spec, problem }) => {
    const c = interpret(sinkResource(spec as Partial<KwdbConnector['spec']>));
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.problems.join('\n')).toContain(problem);
  });
});

describe('desiredConfigMap', () => {
  it('holds the worker config file without the password, owned by the resource', () => {
    const cm = desiredConfigMap(sinkResource(), ok());
    expect(cm.metadata.name).toBe('meters-sink-config');
    expect(cm.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'kwdb-connect.io/v1alpha1',
        kind: 'KwdbConnector',
        name: 'meters-sink',
        uid: 'uid-1',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    const file = JSON.parse(cm.data['config.json']!);
    expect(file.name).toBe('KwdbSinkConnector');
    expect(file.targetState).toBe('RUNNING');
    expect(JSON.stringify(cm)).not.toContain('password":');
  });

  it.each([
    { state: 'running' as const, file: 'RUNNING' },
    { state: 'paused' as const, file: 'PAUSED' },
    { state: 'stopped' as const, file: 'PAUSED' },
  ])('target state $state -> $file in the file', ({ state, file }) => {
    expect(JSON.parse(workerConfigFile(ok(sinkResource({ state })))).targetState).toBe(file);
  });
});

describe('configHash', () => {
  it.each([
    { name: 'pause does not roll', a: {}, b: { state: 'paused' as const }, same: true },
    {
      name: 'a config change rolls',
      a: {},
      b: { config: { ...sinkResource().spec.config, 'batch.size': '5' } },
      same: false,
    },
    { name: 'tasksMax rolls (tasks.max is in the config)', a: {}, b: { tasksMax: 4 }, same: false },
  ])('$name', ({ a, b, same }) => {
    const ha = configHash(ok(sinkResource(a)), '1');
    const hb = configHash(ok(sinkResource(b)), '1');
    expect(ha === hb).toBe(same);
  });

  it('a new Secret version rolls', () => {
    expect(configHash(ok(), '1')).not.toBe(configHash(ok(), '2'));
  });
});

describe('desiredDeployment', () => {
  const deployment = desiredDeployment({
    resource: sinkResource(),
    connector: ok(),
    settings: SETTINGS,
    replicas: 3,
    secretVersion: '9',
  });
  const container = at(deployment, 'spec.template.spec.containers.0') as Record<string, unknown>;
  const env = Object.fromEntries(
    (container['env'] as { name: string; value?: string; valueFrom?: unknown }[]).map((e) => [
      e.name,
      e.value ?? e.valueFrom,
    ]),
  );

  it.each([
    { name: 'replicas', path: 'spec.replicas', value: 3 },
    { name: 'name', path: 'metadata.name', value: 'meters-sink-worker' },
    {
      name: 'no surge: a new Pod waits for the task id of the one it replaces',
      path: 'spec.strategy.rollingUpdate.maxSurge',
      value: 0,
    },
    { name: 'owner', path: 'metadata.ownerReferences.0.uid', value: 'uid-1' },
    {
      name: 'selector',
      path: 'spec.selector.matchLabels',
      value: { 'kwdb-connect.io/connector': 'meters-sink', 'kwdb-connect.io/component': 'worker' },
    },
    {
      name: 'image',
      path: 'spec.template.spec.containers.0.image',
      value: 'docker.io/local/kwdb-connect:test',
    },
    { name: 'pull policy', path: 'spec.template.spec.containers.0.imagePullPolicy', value: 'Never' },
    {
      name: 'sink heap limit and bundle',
      path: 'spec.template.spec.containers.0.command',
      value: ['/usr/bin/node', '--max-old-space-size=160', '/app/dist/apps/sink-worker/main.js'],
    },
    {
      name: 'metrics port named',
      path: 'spec.template.spec.containers.0.ports.0',
      value: { name: 'metrics', containerPort: 8084, protocol: 'TCP' },
    },
    {
      name: 'no API token for workers',
      path: 'spec.template.spec.automountServiceAccountToken',
      value: false,
    },
    {
      name: "volumes in the image user's group, so the 0440 password file is readable",
      path: 'spec.template.spec.securityContext',
      value: { runAsNonRoot: true, fsGroup: 1000 },
    },
  ])('$name', ({ path, value }) => {
    expect(at(deployment, path)).toEqual(value);
  });

  it('passes the password as a mounted Secret file, never as a value', () => {
    expect(env['KWDB_CONNECT_PASSWORD_FILE']).toBe('/etc/kwdb-connect/password/password');
    expect(JSON.stringify(deployment)).not.toMatch(/KWDB_CONNECT_PASSWORD"/);
    const volumes = at(deployment, 'spec.template.spec.volumes') as Record<string, unknown>[];
    expect(volumes.find((v) => v['name'] === 'password')).toEqual({
      name: 'password',
      secret: {
        secretName: 'meters-secret',
        items: [{ key: 'connection.password', path: 'password' }],
        defaultMode: 0o440,
      },
    });
  });

  it('a FAILED worker waits for the operator instead of being restarted by the kubelet', () => {
    expect(env['KWDB_CONNECT_ON_FAILURE']).toBe('wait');
  });

  it('gives the Pod its name and its task id through the downward API', () => {
    expect(env['POD_NAME']).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
    expect(env['KWDB_CONNECT_WORKER_ID']).toBe('$(POD_NAME)');
    expect(env['KWDB_CONNECT_TASK_ID_FILE']).toBe('/etc/kwdb-connect/pod/task-id');
    const volumes = at(deployment, 'spec.template.spec.volumes') as Record<string, unknown>[];
    expect(volumes.find((v) => v['name'] === 'pod-info')).toEqual({
      name: 'pod-info',
      downwardAPI: {
        items: [
          { path: 'task-id', fieldRef: { fieldPath: `metadata.annotations['${ANNOTATIONS.taskId}']` } },
        ],
      },
    });
  });

  it('applies the pod template overrides', () => {
    const template = {
      labels: { team: 'iot' },
      annotations: { 'prometheus.io/scrape': 'true' },
      nodeSelector: { disk: 'ssd' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'kwdb', effect: 'NoSchedule' }],
      resources: { requests: { cpu: '100m', memory: '200Mi' }, limits: { memory: '256Mi' } },
    };
    const d = desiredDeployment({
      resource: sinkResource({ template }),
      connector: ok(),
      settings: SETTINGS,
      replicas: 1,
    });
    expect(at(d, 'spec.template.metadata.labels.team')).toBe('iot');
    expect(at(d, 'spec.template.metadata.annotations')).toMatchObject({ 'prometheus.io/scrape': 'true' });
    expect(at(d, 'spec.template.spec.nodeSelector')).toEqual({ disk: 'ssd' });
    expect(at(d, 'spec.template.spec.tolerations')).toEqual(template.tolerations);
    expect(at(d, 'spec.template.spec.containers.0.resources')).toEqual(template.resources);
  });

  it('a template label cannot take over the selector labels', () => {
    const d = desiredDeployment({
      resource: sinkResource({ template: { labels: { 'kwdb-connect.io/connector': 'other' } } }),
      connector: ok(),
      settings: SETTINGS,
      replicas: 1,
    });
    expect(at(d, 'spec.template.metadata.labels')).toMatchObject({
      'kwdb-connect.io/connector': 'meters-sink',
    });
  });

  it('hostNetwork with port 0: no declared port, no probe (test clusters)', () => {
    const d = desiredDeployment({
      resource: sinkResource(),
      connector: ok(),
      settings: { ...SETTINGS, hostNetwork: true, httpPort: 0, httpHost: '127.0.0.1' },
      replicas: 1,
    });
    expect(at(d, 'spec.template.spec.hostNetwork')).toBe(true);
    expect(at(d, 'spec.template.spec.containers.0.ports')).toBeUndefined();
    expect(at(d, 'spec.template.spec.containers.0.readinessProbe')).toBeUndefined();
  });

  it('names the metrics port as configured, and the readiness probe uses that name', () => {
    const d = desiredDeployment({
      resource: sinkResource(),
      connector: ok(),
      settings: { ...SETTINGS, metricsPortName: 'prom' },
      replicas: 1,
    });
    expect(at(d, 'spec.template.spec.containers.0.ports.0.name')).toBe('prom');
    expect(at(d, 'spec.template.spec.containers.0.readinessProbe.httpGet.port')).toBe('prom');
  });

  it('a source worker runs without the heap flag', () => {
    const source = sinkResource({
      class: 'com.kaiwudb.kafka.connect.source.KwdbSourceConnector',
      config: {
        'connection.url': 'jdbc:kaiwudb://h:26257',
        'connection.database': 'benchmark',
        'topic.prefix': 'kw',
        'out.format': 'json_kaiwudb',
      },
    });
    const c = interpret(source);
    if (!c.ok) throw new Error(c.problems.join('; '));
    const d = desiredDeployment({ resource: source, connector: c, settings: SETTINGS, replicas: 1 });
    expect(at(d, 'spec.template.spec.containers.0.command')).toEqual([
      '/usr/bin/node',
      '/app/dist/apps/source-worker/main.js',
    ]);
  });

  it('the restart annotation value rolls the Pods', () => {
    const d = desiredDeployment({
      resource: sinkResource(),
      connector: ok(),
      settings: SETTINGS,
      replicas: 1,
      restartedAt: '2026-12-04T00:00:00.000Z',
    });
    expect(at(d, 'spec.template.metadata.annotations')).toMatchObject({
      [ANNOTATIONS.restartedAt]: '2026-12-04T00:00:00.000Z',
    });
  });
});

describe('worker Pods for Prometheus without prometheus-operator', () => {
  const scrape = {
    'prometheus.io/scrape': 'true',
    'prometheus.io/port': '8084',
    'prometheus.io/path': '/metrics',
  };
  it.each([
    {
      name: 'on by default: scrape, the metrics port, /metrics',
      settings: {},
      template: {},
      expected: scrape,
    },
    {
      name: 'another fixed port is the one annotated',
      settings: { httpPort: 9100 },
      template: {},
      expected: { ...scrape, 'prometheus.io/port': '9100' },
    },
    { name: 'switched off: none', settings: { scrapeAnnotations: false }, template: {}, expected: {} },
    {
      name: 'port 0 (a free port per process): none, the port is unknown',
      settings: { httpPort: 0 },
      template: {},
      expected: {},
    },
    {
      name: "the resource's own pod annotations win",
      settings: {},
      template: { annotations: { 'prometheus.io/scrape': 'false', 'prometheus.io/path': '/custom' } },
      expected: { ...scrape, 'prometheus.io/scrape': 'false', 'prometheus.io/path': '/custom' },
    },
  ])('$name', ({ settings, template, expected }) => {
    const d = desiredDeployment({
      resource: sinkResource({ template }),
      connector: ok(),
      settings: { ...SETTINGS, ...settings },
      replicas: 1,
    });
    const annotations = at(d, 'spec.template.metadata.annotations') as Record<string, string>;
    const prometheus = Object.fromEntries(
      Object.entries(annotations).filter(([k]) => k.startsWith('prometheus.io/')),
    );
    expect(prometheus).toEqual(expected);
    expect(scrapeAnnotations({ ...SETTINGS, ...settings })).toEqual(
      Object.keys(template).length === 0 ? expected : scrape,
    );
  });

  it('the annotated port is the named container port, and the Pod names its connector', () => {
    const d = desiredDeployment({
      resource: sinkResource(),
      connector: ok(),
      settings: SETTINGS,
      replicas: 1,
    });
    expect(at(d, 'spec.template.spec.containers.0.ports')).toEqual([
      { name: 'metrics', containerPort: 8084, protocol: 'TCP' },
    ]);
    expect(at(d, 'spec.template.metadata.annotations')).toMatchObject({
      [ANNOTATIONS.connectorName]: 'KwdbSinkConnector',
    });
  });
});
