// Good values of every kind, each with what its rendering must contain. Shared by the template
// test (checks) and the server-side dry run (every object accepted by the kube-apiserver).
import { expect } from '@jest/globals';
import { MINIMAL_VALUES, configApiContainer, envValue, findObject, kinds, podSpec } from './chart';
import type { K8sObject } from './chart';

export const withKafka = (values: Record<string, unknown>) => ({ ...MINIMAL_VALUES, ...values });

export interface GoodCase {
  name: string;
  values: Record<string, unknown>;
  check: (objects: K8sObject[]) => void;
}

export const goodCases: GoodCase[] = [
  {
    name: 'defaults: 2 replicas with leader election, namespaced RBAC, PDB, no Ingress, no NetworkPolicy',
    values: MINIMAL_VALUES,
    check: (objects) => {
      expect(kinds(objects)).toEqual([
        'Deployment/kc-kwdb-connect',
        'PodDisruptionBudget/kc-kwdb-connect',
        'Role/kc-kwdb-connect',
        'Role/kc-kwdb-connect-leader-election',
        'RoleBinding/kc-kwdb-connect',
        'RoleBinding/kc-kwdb-connect-leader-election',
        'Service/kc-kwdb-connect',
        'ServiceAccount/kc-kwdb-connect',
      ]);
      for (const o of objects) expect(o.metadata.namespace).toBe('kwdb');
      const deployment = findObject(objects, 'Deployment') as K8sObject & { spec: { replicas: number } };
      expect(deployment.spec.replicas).toBe(2);
      expect(envValue(objects, 'KWDB_CONNECT_RUNTIME')).toBe('kubernetes');
      expect(envValue(objects, 'KWDB_CONNECT_NAMESPACE')).toBe('kwdb');
      expect(envValue(objects, 'KWDB_CONNECT_POD_NAME')).toBe('$(POD_NAME)');
      expect(envValue(objects, 'KWDB_CONNECT_LEASE_NAME')).toBe('kc-kwdb-connect-operator');
      expect(envValue(objects, 'KWDB_CONNECT_LEASE_DURATION_SECONDS')).toBe('15');
      expect(envValue(objects, 'KWDB_CONNECT_MAX_TASKS_PER_CONNECTOR')).toBe('64');
      expect(envValue(objects, 'KWDB_CONNECT_WORKER_PORT')).toBe('8084');
      expect(envValue(objects, 'KWDB_CONNECT_WORKER_HOST_NETWORK')).toBe('false');
      expect(envValue(objects, 'KAFKA_BOOTSTRAP_SERVERS')).toBe('kafka.example.com:9092');
      expect(envValue(objects, 'KWDB_CONNECT_STATUS_TOPIC')).toBe('kwdb-connect-status');
      expect(envValue(objects, 'KWDB_CONNECT_OFFSETS_TOPIC')).toBe('kwdb-connect-offsets');
      expect(envValue(objects, 'KWDB_CONNECT_WORKER_IMAGE')).toBe('kwdb-connect:0.1.0');
      expect(envValue(objects, 'KUBERNETES_SERVICE_HOST')).toBeUndefined();
      const spec = podSpec(deployment);
      expect(spec['hostNetwork']).toBeUndefined();
      expect(spec['serviceAccountName']).toBe('kc-kwdb-connect');
      expect(spec['securityContext']).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      const container = configApiContainer(objects);
      expect(container['image']).toBe('kwdb-connect:0.1.0');
      expect(container['command']).toEqual(['kwdb-config-api']);
      expect(container['securityContext']).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        privileged: false,
        capabilities: { drop: ['ALL'] },
      });
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
        expect(container[probe]).toMatchObject({ httpGet: { path: '/health', port: 'http' } });
      }
      expect(container['resources']).toMatchObject({ requests: { cpu: '100m', memory: '128Mi' } });
      expect(container['ports']).toEqual([{ name: 'http', containerPort: 8083, protocol: 'TCP' }]);
      expect(findObject(objects, 'PodDisruptionBudget')['spec']).toMatchObject({ maxUnavailable: 1 });
      expect(findObject(objects, 'Service')['spec']).toMatchObject({
        type: 'ClusterIP',
        ports: [{ name: 'http', port: 8083, targetPort: 'http' }],
      });
      const role = findObject(objects, 'Role', 'kc-kwdb-connect') as K8sObject & {
        rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
      };
      // Exactly what docs/kubernetes.md says config-api needs, nothing more.
      expect(role.rules.map((r) => `${r.apiGroups.join()}:${r.resources.join()}:${r.verbs.join()}`)).toEqual([
        'kwdb-connect.io:kwdbconnectors:get,list,watch,create,update,patch,delete',
        'kwdb-connect.io:kwdbconnectors/status:get,update,patch',
        ':secrets:get,create,patch,delete',
        ':configmaps:get,list,watch,create,patch',
        ':pods:get,list,watch,patch,delete',
        'apps:deployments:get,list,watch,create,patch',
      ]);
      expect(role.rules.flatMap((r) => r.resources)).not.toContain('leases');
      const lease = findObject(objects, 'Role', 'kc-kwdb-connect-leader-election') as K8sObject & {
        rules: Array<{ resources: string[]; verbs: string[] }>;
      };
      expect(lease.rules).toEqual([
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
      ]);
    },
  },
  {
    name: 'Ingress with class, host, paths and a TLS Secret',
    values: withKafka({
      ingress: {
        enabled: true,
        className: 'traefik',
        annotations: { 'example.com/owner': 'data-team' },
        hosts: [
          {
            host: 'connect.example.com',
            paths: [
              { path: '/', pathType: 'Prefix' },
              { path: '/metrics', pathType: 'Exact' },
            ],
          },
        ],
        tls: [{ secretName: 'connect-tls', hosts: ['connect.example.com'] }],
      },
    }),
    check: (objects) => {
      const ingress = findObject(objects, 'Ingress', 'kc-kwdb-connect');
      expect(ingress.metadata.annotations).toEqual({ 'example.com/owner': 'data-team' });
      expect(ingress['spec']).toEqual({
        ingressClassName: 'traefik',
        tls: [{ secretName: 'connect-tls', hosts: ['connect.example.com'] }],
        rules: [
          {
            host: 'connect.example.com',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'kc-kwdb-connect', port: { name: 'http' } } },
                },
                {
                  path: '/metrics',
                  pathType: 'Exact',
                  backend: { service: { name: 'kc-kwdb-connect', port: { name: 'http' } } },
                },
              ],
            },
          },
        ],
      });
    },
  },
  {
    name: 'Ingress without a host or class (every host, the default class)',
    values: withKafka({
      ingress: { enabled: true, hosts: [{ paths: [{ path: '/', pathType: 'Prefix' }] }] },
    }),
    check: (objects) => {
      const spec = findObject(objects, 'Ingress')['spec'] as { rules: Array<Record<string, unknown>> };
      expect(spec).not.toHaveProperty('ingressClassName');
      expect(spec.rules[0]).not.toHaveProperty('host');
    },
  },
  {
    name: 'cluster-wide RBAC only when asked; the Lease stays namespaced',
    values: withKafka({ rbac: { create: true, clusterWide: true } }),
    check: (objects) => {
      const clusterRole = findObject(objects, 'ClusterRole', 'kc-kwdb-connect');
      expect(clusterRole.metadata.namespace).toBeUndefined();
      expect(findObject(objects, 'ClusterRoleBinding', 'kc-kwdb-connect')['roleRef']).toMatchObject({
        kind: 'ClusterRole',
      });
      expect(findObject(objects, 'Role', 'kc-kwdb-connect-leader-election').metadata.namespace).toBe('kwdb');
      expect(objects.filter((o) => o.kind === 'Role').map((o) => o.metadata.name)).toEqual([
        'kc-kwdb-connect-leader-election',
      ]);
      expect(envValue(objects, 'KWDB_CONNECT_NAMESPACE')).toBe('kwdb');
    },
  },
  {
    name: 'no RBAC, an existing ServiceAccount',
    values: withKafka({
      rbac: { create: false, clusterWide: false },
      serviceAccount: { create: false, name: 'connect-sa' },
    }),
    check: (objects) => {
      expect(objects.filter((o) => /Role|ServiceAccount/.test(o.kind))).toEqual([]);
      expect(podSpec(findObject(objects, 'Deployment'))['serviceAccountName']).toBe('connect-sa');
    },
  },
  {
    name: 'NetworkPolicy: the REST port only, from the given peers',
    values: withKafka({
      networkPolicy: {
        enabled: true,
        ingressFrom: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } }],
      },
    }),
    check: (objects) => {
      expect(findObject(objects, 'NetworkPolicy')['spec']).toEqual({
        podSelector: {
          matchLabels: {
            'app.kubernetes.io/name': 'kwdb-connect',
            'app.kubernetes.io/instance': 'kc',
            'app.kubernetes.io/component': 'config-api',
          },
        },
        policyTypes: ['Ingress'],
        ingress: [
          {
            ports: [{ port: 'http', protocol: 'TCP' }],
            _from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } }],
          },
        ],
      });
    },
  },
  {
    name: 'connectors in another namespace: the Role is created there, the Lease stays',
    values: withKafka({ operator: { namespace: 'connectors' } }),
    check: (objects) => {
      expect(findObject(objects, 'Role', 'kc-kwdb-connect').metadata.namespace).toBe('connectors');
      expect(findObject(objects, 'RoleBinding', 'kc-kwdb-connect').metadata.namespace).toBe('connectors');
      expect(findObject(objects, 'Role', 'kc-kwdb-connect-leader-election').metadata.namespace).toBe('kwdb');
      expect(findObject(objects, 'Deployment').metadata.namespace).toBe('kwdb');
      expect(envValue(objects, 'KWDB_CONNECT_NAMESPACE')).toBe('connectors');
    },
  },
  {
    name: 'worker defaults: own image, metrics address, ServiceAccount; operator settings',
    values: withKafka({
      image: { repository: 'registry.example.com/kwdb-connect', tag: '1.2.3', pullPolicy: 'Always' },
      worker: {
        image: { repository: 'registry.example.com/kwdb-worker', tag: '1.2.4', pullPolicy: 'IfNotPresent' },
        listen: { host: '127.0.0.1', port: 0 },
        serviceAccountName: 'workers',
      },
      operator: { leaseDurationSeconds: 30, resyncSeconds: 120, maxTasksPerConnector: 8 },
    }),
    check: (objects) => {
      expect(configApiContainer(objects)['image']).toBe('registry.example.com/kwdb-connect:1.2.3');
      expect(envValue(objects, 'KWDB_CONNECT_WORKER_IMAGE')).toBe('registry.example.com/kwdb-worker:1.2.4');
      expect(envValue(objects, 'KWDB_CONNECT_WORKER_IMAGE_PULL_POLICY')).toBe('IfNotPresent');
      expect(envValue(objects, 'KWDB_CONNECT_WORKER_HTTP_HOST')).toBe('127.0.0.1');
      expect(envValue(objects, 'KWDB_CONNECT_WORKER_PORT')).toBe('0');
      expect(envValue(objects, 'KWDB_CONNECT_WORKER_SERVICE_ACCOUNT')).toBe('workers');
      expect(envValue(objects, 'KWDB_CONNECT_LEASE_DURATION_SECONDS')).toBe('30');
      expect(envValue(objects, 'KWDB_CONNECT_RESYNC_SECONDS')).toBe('120');
      expect(envValue(objects, 'KWDB_CONNECT_MAX_TASKS_PER_CONNECTOR')).toBe('8');
    },
  },
  {
    name: 'a long name: Service, Deployment and Lease names stay DNS labels (63 characters)',
    values: withKafka({ fullnameOverride: 'a'.repeat(63) }),
    check: (objects) => {
      for (const kind of ['Service', 'Deployment', 'ServiceAccount', 'PodDisruptionBudget']) {
        expect(findObject(objects, kind).metadata.name).toBe('a'.repeat(63));
      }
      expect(envValue(objects, 'KWDB_CONNECT_LEASE_NAME')).toHaveLength(63);
    },
  },
  {
    name: 'test-cluster settings: host network, API address override, never pull, one replica',
    values: withKafka({
      image: { repository: 'docker.io/local/kwdb-connect', tag: 'test', pullPolicy: 'Never' },
      hostNetwork: true,
      kubernetesApi: { host: '127.0.0.1', port: '46443' },
      configApi: {
        replicas: 1,
        listen: { host: '$(POD_IP)', port: 18083 },
        updateStrategy: { type: 'Recreate' },
      },
    }),
    check: (objects) => {
      const spec = podSpec(findObject(objects, 'Deployment'));
      expect(spec['hostNetwork']).toBe(true);
      expect(spec['dnsPolicy']).toBe('ClusterFirstWithHostNet');
      expect(envValue(objects, 'KUBERNETES_SERVICE_HOST')).toBe('127.0.0.1');
      expect(envValue(objects, 'KUBERNETES_SERVICE_PORT')).toBe('46443');
      expect(envValue(objects, 'KWDB_CONNECT_REST_HOST')).toBe('$(POD_IP)');
      expect(envValue(objects, 'KWDB_CONNECT_REST_PORT')).toBe('18083');
      expect(envValue(objects, 'KWDB_CONNECT_WORKER_HOST_NETWORK')).toBe('true');
      expect(configApiContainer(objects)['imagePullPolicy']).toBe('Never');
      expect(findObject(objects, 'Deployment')['spec']).toMatchObject({
        replicas: 1,
        strategy: { type: 'Recreate' },
      });
    },
  },
  {
    name: 'PodDisruptionBudget off',
    values: withKafka({ podDisruptionBudget: { enabled: false } }),
    check: (objects) => expect(objects.filter((o) => o.kind === 'PodDisruptionBudget')).toEqual([]),
  },
  {
    name: 'scrape annotations on (default): config-api Pods annotated, config-api tells the operator to annotate worker Pods, no scrape-config ConfigMap',
    values: MINIMAL_VALUES,
    check: (objects) => {
      expect(envValue(objects, 'KWDB_CONNECT_WORKER_SCRAPE_ANNOTATIONS')).toBe('true');
      const template = findObject(objects, 'Deployment')['spec'] as {
        template: { metadata: { annotations?: Record<string, string> } };
      };
      expect(template.template.metadata.annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '8083',
        'prometheus.io/path': '/metrics',
      });
      expect(objects.filter((o) => o.kind === 'ConfigMap')).toEqual([]);
    },
  },
  {
    name: 'metrics port name: the operator names the worker port as the PodMonitor selects it',
    values: withKafka({ monitoring: { metricsPortName: 'prom', podMonitor: { enabled: true } } }),
    check: (objects) => {
      expect(envValue(objects, 'KWDB_CONNECT_WORKER_METRICS_PORT_NAME')).toBe('prom');
      const podMonitor = findObject(objects, 'PodMonitor')['spec'] as {
        podMetricsEndpoints: { port: string }[];
      };
      expect(podMonitor.podMetricsEndpoints.map((e) => e.port)).toEqual(['prom']);
    },
  },
  {
    name: 'scrape annotations off: neither config-api nor worker Pods annotated',
    values: withKafka({ monitoring: { scrapeAnnotations: { enabled: false } } }),
    check: (objects) => {
      expect(envValue(objects, 'KWDB_CONNECT_WORKER_SCRAPE_ANNOTATIONS')).toBe('false');
      const template = findObject(objects, 'Deployment')['spec'] as {
        template: { metadata: { annotations?: Record<string, string> } };
      };
      expect(Object.keys(template.template.metadata.annotations ?? {})).toEqual([]);
    },
  },
  {
    name: 'scrape config on: a ConfigMap with a kubernetes_sd job for both namespaces',
    values: withKafka({
      operator: { namespace: 'connectors' },
      monitoring: { scrapeConfig: { enabled: true, labels: { team: 'data' } } },
    }),
    check: (objects) => {
      const configMap = findObject(objects, 'ConfigMap', 'kc-prometheus-scrape-config') as K8sObject & {
        data: Record<string, string>;
      };
      expect(configMap.metadata.labels).toMatchObject({ team: 'data' });
      expect(Object.keys(configMap.data)).toEqual(['kwdb-connect-scrape.yaml']);
      const file = configMap.data['kwdb-connect-scrape.yaml']!;
      expect(file).toContain('- job_name: kwdb-connect');
      expect(file).toContain('- role: pod');
      expect(file).toContain('names: ["kwdb","connectors"]');
      for (const label of ['namespace', 'pod', 'component', 'connector', 'task']) {
        expect(file).toContain(`target_label: ${label}`);
      }
    },
  },
];
