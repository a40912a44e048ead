// End to end on the real one-node cluster, as a user meets it: `helm install` of the chart with
// the project's image -> config-api Ready -> the guide's sink and source flows through the REST API
// behind a real ingress controller (Traefik, scripts/testenv/ingress.sh) -> the guide's rows exact
// in PostgreSQL and the guide's record on Kafka; `helm upgrade` with a changed value rolls
// config-api and loses nothing; `helm uninstall` removes everything it created, the CRD stays.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  clusterImage,
  freePort,
  kubectl,
  kubectlOk,
  loadTestEnv,
  runCommand,
  uniqueName,
} from '@kwdb-connect/testing';
import { CHART_DIR, helmWithValues, toolEnv } from './chart';
import {
  GUIDE_SINK_C3,
  createDatabase,
  createSourceTable,
  createTopic,
  eventually,
  example,
  guideData,
  http,
  insertGuideRow,
  kafkaOf,
  produce,
  recordContaining,
  sinkC3,
} from './guide-flow';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';

const env = loadTestEnv('kafka', 'postgres', 'cluster', 'ingress');
const kafka = kafkaOf(env.kafka.brokers);
const namespace = uniqueName('chart-e2e');
const release = 'kwdb-connect';
const suffix = namespace.slice(-6);
const tsdb = `chart_tsdb_${suffix}`;
const benchmark = `chart_bench_${suffix}`;
const sinkTopic = uniqueName('chart-kw-tsdb');
const sinkName = 'KwdbSinkConnector';
const sourceName = 'KwdbSourceConnector';
/** The REST API as the user reaches it: through the ingress controller. */
const api = (path: string) => `${env.ingress.url}${path}`;
/** The test database server as the connectors name it (the user is connection.user). */
const postgresAt = `postgres://${env.postgres.host}:${env.postgres.port}`;
/** The same server for the test's own queries. */
const adminUrl = env.postgres.url;
const MINUTE = 60_000;

type Status = { connector: { state: string }; tasks: { id: number; state: string; trace?: string }[] };

let values: Record<string, unknown>;

/** helm uninstall takes no values file. */
const helmUninstall = (args: string[]) =>
  runCommand(env.tools.helm, ['uninstall', release, '--namespace', namespace, ...args], {
    env: toolEnv(env, env.cluster.kubeconfig),
    timeoutMs: 300_000,
  });

const helm = (args: string[], extraValues: Record<string, unknown> = {}) =>
  helmWithValues(
    env,
    [...args, '--namespace', namespace],
    { ...values, ...extraValues },
    env.cluster.kubeconfig,
  );

const tasksRunning = (name: string, count: number) =>
  eventually(
    async () => {
      const res = await http('GET', api(`/connectors/${name}/status`));
      const status = res.body as Status;
      if (res.status !== 200) return undefined;
      const failed = status.tasks.find((t) => t.state === 'FAILED');
      if (failed) throw new Error(`task ${failed.id} of ${name} FAILED: ${failed.trace ?? ''}`);
      return status.tasks.length === count && status.tasks.every((t) => t.state === 'RUNNING')
        ? status
        : undefined;
    },
    `${count} RUNNING tasks of ${name}`,
    3 * MINUTE,
  );

const rowsAre = (expected: string[]) =>
  eventually(
    async () => {
      const rows = await sinkC3(adminUrl, tsdb);
      return rows.length >= expected.length ? rows : undefined;
    },
    `${expected.length} rows in ${tsdb}`,
    2 * MINUTE,
  );

/** name -> uid of the Pods of a label selector (changes when a Pod is replaced). */
async function pods(selector: string): Promise<Record<string, string>> {
  const out = await kubectlOk(env, [
    'get',
    'pods',
    '-n',
    namespace,
    '-l',
    selector,
    '-o',
    'jsonpath={range .items[*]}{.metadata.name}={.metadata.uid}{"\\n"}{end}',
  ]);
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('=') as [string, string]),
  );
}

const CONFIG_API_PODS = `app.kubernetes.io/instance=${release},app.kubernetes.io/component=config-api`;
/** The operator's label on every connector's worker Pods (docs/kubernetes.md). */
const WORKER_PODS = 'kwdb-connect.io/component=worker';

beforeAll(async () => {
  const image = await clusterImage();
  const [repository, tag] = [image.slice(0, image.lastIndexOf(':')), image.slice(image.lastIndexOf(':') + 1)];
  values = {
    image: { repository, tag, pullPolicy: 'Never' },
    kafka: {
      bootstrapServers: env.kafka.brokers,
      statusTopic: uniqueName('chart-status'),
      offsetsTopic: uniqueName('chart-offsets'),
    },
    // Host network (the test services listen on the node's loopback): one config-api replica, as two
    // would share its port; Recreate for the same reason; the REST API on the Pod IP, where the
    // ingress controller sends the Service's traffic; workers' metrics on any free loopback port.
    hostNetwork: true,
    kubernetesApi: { host: env.cluster.apiHost, port: String(env.cluster.apiPort) },
    configApi: {
      replicas: 1,
      listen: { host: '$(POD_IP)', port: await freePort() },
      updateStrategy: { type: 'Recreate' },
    },
    worker: { listen: { host: '127.0.0.1', port: 0 } },
    ingress: {
      enabled: true,
      className: env.ingress.className,
      hosts: [{ paths: [{ path: '/', pathType: 'Prefix' }] }],
    },
  };
  await createDatabase(adminUrl, tsdb);
  await createDatabase(adminUrl, benchmark);
  await createTopic(kafka, sinkTopic, 5);
}, 15 * MINUTE);

afterAll(async () => {
  await helmUninstall(['--ignore-not-found', '--wait']);
  await kubectl(env, ['delete', 'namespace', namespace, '--wait=false', '--ignore-not-found']);
}, 5 * MINUTE);

describe('the chart on the one-node cluster, the REST API behind the ingress', () => {
  it(
    'helm install: config-api Ready, the Ingress admitted, GET /connectors answers [] through it',
    async () => {
      const installed = await helm([
        'install',
        release,
        CHART_DIR,
        '--create-namespace',
        '--wait',
        '--timeout',
        '5m',
      ]);
      expect(installed.stderr).toBe('');
      expect(installed.code).toBe(0);
      expect(installed.stdout).toContain(`kubectl -n ${namespace} rollout status deployment/${release}`);
      await kubectlOk(env, ['rollout', 'status', `deployment/${release}`, '-n', namespace, '--timeout=60s'], {
        timeoutMs: 70_000,
      });
      const address = await eventually(
        async () =>
          (await kubectlOk(env, [
            'get',
            'ingress',
            release,
            '-n',
            namespace,
            '-o',
            'jsonpath={.status.loadBalancer.ingress[0].ip}',
          ])) || undefined,
        'the Ingress status address set by the controller',
        MINUTE,
      );
      expect(address).toBe(env.host);
      const list = await eventually(
        async () => {
          const res = await http('GET', api('/connectors'));
          return res.status === 200 ? res : undefined;
        },
        'GET /connectors through the ingress',
        MINUTE,
      );
      expect(list.body).toEqual([]);
    },
    10 * MINUTE,
  );

  it(
    "sink: the guide's JSON POSTed through the ingress, its worker Pods run, the guide's rows land exactly",
    async () => {
      const guide = example('kw-json-kaiwudb-sink.json');
      const created = await http('POST', api('/connectors'), {
        name: sinkName,
        config: {
          ...guide.config,
          topics: sinkTopic,
          'connection.url': postgresAt,
          'connection.user': env.postgres.user,
          'connection.database': tsdb,
          'tasks.max': '2',
        },
      });
      expect(created.status).toBe(201);
      await tasksRunning(sinkName, 2);
      expect(Object.keys(await pods(WORKER_PODS))).toHaveLength(2); // one Pod per task
      await produce(kafka, sinkTopic, guideData());
      expect(await rowsAre(GUIDE_SINK_C3)).toEqual(GUIDE_SINK_C3);
      const kwc = await kubectlOk(env, ['get', 'kwc', '-n', namespace]);
      expect(kwc).toMatch(/NAME\s+READY\s+TASKS\s+STATE\s+AGE/);
    },
    10 * MINUTE,
  );

  it(
    "source: the guide's JSON POSTed through the ingress, the guide's row inserted, the guide's record on the topic",
    async () => {
      await createSourceTable(adminUrl, benchmark);
      const guide = example('kw-json-kaiwudb-source.json');
      const created = await http('POST', api('/connectors'), {
        name: sourceName,
        config: {
          ...guide.config,
          'connection.url': postgresAt,
          'connection.user': env.postgres.user,
          'connection.database': benchmark,
          'poll.interval.ms': 1000,
        },
      });
      expect(created.status).toBe(201);
      await tasksRunning(sourceName, 1);
      await insertGuideRow(adminUrl, benchmark);
      const record = await recordContaining(
        kafka,
        `kw-${benchmark}-cpu_kaiwudb_tb`,
        '647470401348904608',
        2 * MINUTE,
      );
      expect(JSON.parse(record)).toMatchObject({ table: 'cpu_kaiwudb_tb' });
      expect(record).toContain('"k_timestamp":1705962142224');
      expect(record).toContain('"id":647470401348904608'); // exact INT8, above 2^53
      expect(record).toContain('"usage_user":1,"usage_system":2,"usage_idle":3');
      expect(record).toContain('"hostname":"locahost","region":"beijing","datacenter":"center"');
    },
    10 * MINUTE,
  );

  it(
    'helm upgrade --set configApi.logLevel=debug: config-api and the workers rolled, connectors and rows intact',
    async () => {
      const apiBefore = await pods(CONFIG_API_PODS);
      const workersBefore = await pods(WORKER_PODS);
      expect(Object.keys(apiBefore)).toHaveLength(1);
      expect(Object.keys(workersBefore)).toHaveLength(3); // 2 sink tasks + 1 source task
      const upgraded = await helm([
        'upgrade',
        release,
        CHART_DIR,
        '--set',
        'configApi.logLevel=debug',
        '--wait',
        '--timeout',
        '5m',
      ]);
      expect(upgraded.stderr).toBe('');
      expect(upgraded.code).toBe(0);
      // config-api: a new Pod with the new setting.
      const apiAfter = await pods(CONFIG_API_PODS);
      expect(Object.keys(apiAfter)).toHaveLength(1);
      expect(Object.keys(apiAfter)).not.toEqual(Object.keys(apiBefore));
      const level = await kubectlOk(env, [
        'get',
        'deployment',
        release,
        '-n',
        namespace,
        '-o',
        'jsonpath={.spec.template.spec.containers[0].env[?(@.name=="KWDB_CONNECT_LOG_LEVEL")].value}',
      ]);
      expect(level).toBe('debug');
      // The workers take their log level from config-api: the operator rolls them, every old Pod replaced.
      await eventually(
        async () => {
          const now = await pods(WORKER_PODS);
          const names = Object.keys(now);
          return names.length === 3 && names.every((n) => !(n in workersBefore)) ? now : undefined;
        },
        'the 3 worker Pods replaced',
        3 * MINUTE,
      );
      // Nothing lost: both connectors still there through the ingress, all tasks running again, and
      // records produced after the upgrade land exactly once next to the first ones.
      const list = await eventually(
        async () => {
          const res = await http('GET', api('/connectors'));
          return res.status === 200 ? res : undefined;
        },
        'GET /connectors after the upgrade',
        2 * MINUTE,
      );
      expect((list.body as string[]).sort()).toEqual([sinkName, sourceName].sort());
      await tasksRunning(sinkName, 2);
      await tasksRunning(sourceName, 1);
      await produce(kafka, sinkTopic, guideData('179'));
      const rows = await rowsAre([...GUIDE_SINK_C3, ...GUIDE_SINK_C3]);
      expect(rows).toEqual([...GUIDE_SINK_C3, ...GUIDE_SINK_C3]);
    },
    10 * MINUTE,
  );

  it(
    'helm uninstall: every object it created is gone, the CRD stays',
    async () => {
      for (const name of [sinkName, sourceName]) {
        expect((await http('DELETE', api(`/connectors/${name}`))).status).toBe(204);
      }
      await eventually(
        async () => (Object.keys(await pods(WORKER_PODS)).length === 0 ? true : undefined),
        'the worker Pods gone',
        2 * MINUTE,
      );
      const uninstalled = await helmUninstall(['--wait', '--timeout', '3m']);
      expect(uninstalled.stderr).toBe('');
      expect(uninstalled.code).toBe(0);
      // Helm deletes its objects; their Pods go when the garbage collector and the kubelet are done.
      const left = await eventually(
        async () =>
          (
            await kubectlOk(env, [
              'get',
              'deployments,replicasets,pods,services,ingresses,serviceaccounts,roles,rolebindings,poddisruptionbudgets,networkpolicies,configmaps,secrets',
              '-n',
              namespace,
              '-l',
              `app.kubernetes.io/instance=${release}`,
              '-o',
              'name',
            ])
          ).trim() === ''
            ? ''
            : undefined,
        'every object of the release gone',
        2 * MINUTE,
      );
      expect(left.trim()).toBe('');
      const crd = await kubectl(env, ['get', 'crd', 'kwdbconnectors.kwdb-connect.io', '-o', 'name']);
      expect(crd.stdout.trim()).toBe(
        'customresourcedefinition.apiextensions.k8s.io/kwdbconnectors.kwdb-connect.io',
      );
    },
    10 * MINUTE,
  );
});
