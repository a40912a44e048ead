// The KwdbConnector CustomResourceDefinition, built from the one config schema
// (@kwdb-connect/connector-config) so that `kubectl apply` refuses what config-api would refuse:
// unknown classes, tasksMax < 1, bad states, the password in spec.config, keys that belong to other
// fields, and values of the wrong type for the guide's typed keys. Whole-config checks (required
// keys, cross-key rules) happen in the operator, which reports them in the Ready condition.
// `node apps/config-api/scripts/write-crd.mjs` writes it to charts/kwdb-connect/crds/; a test keeps
// the file up to date.
import {
  CONFIG_KEYS,
  CONNECTOR_CLASS_ALIASES,
  PASSWORD_KEY,
  type ConfigKeyDef,
} from '@kwdb-connect/connector-config';
import { CRD_NAME, GROUP, KIND, PLURAL, SHORT_NAMES, SINGULAR, SPEC_STATES, VERSION } from './resource';

type Schema = Record<string, unknown>;

/** Keys that have their own spec field, with the field to use instead. */
export const KEYS_WITH_OWN_FIELD: Readonly<Record<string, string>> = {
  name: 'metadata.name (or spec.connectorName)',
  'connector.class': 'spec.class',
  'tasks.max': 'spec.tasksMax',
  [PASSWORD_KEY]: 'a Secret named by spec.passwordSecretRef',
};

const MAX_CONFIG_KEYS = 128;

function celString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** One CEL rule per typed key of the guide: integers, booleans and enums. */
function keyRule(def: ConfigKeyDef): { rule: string; message: string } | undefined {
  const k = celString(def.name);
  const v = `self[${k}]`;
  const absent = `!(${k} in self)`;
  switch (def.type) {
    case 'int':
    case 'long': {
      const bounds: string[] = [];
      if (def.min !== undefined && Math.abs(def.min) < 2_147_483_647) bounds.push(`>= ${def.min}`);
      if (def.max !== undefined && Math.abs(def.max) < 2_147_483_647) bounds.push(`<= ${def.max}`);
      const asInt = `(type(${v}) == int ? ${v} : int(${v}))`;
      const isInt = `(type(${v}) == int || (type(${v}) == string && ${v}.matches('^-?[0-9]{1,18}$')))`;
      const inRange = bounds.map((b) => `${asInt} ${b}`).join(' && ');
      return {
        rule: `${absent} || (${isInt}${inRange ? ` && ${inRange}` : ''})`,
        message: `spec.config.${def.name} must be an integer${bounds.length ? ` ${bounds.join(' and ')}` : ''}`,
      };
    }
    case 'boolean':
      return {
        rule: `${absent} || (type(${v}) == string && ${v}.lowerAscii().trim() in ['true', 'false'])`,
        message: `spec.config.${def.name} must be true or false`,
      };
    case 'enum': {
      const values = def.values ?? [];
      return {
        rule: `${absent} || (type(${v}) == string && ${v}.trim() in [${values.map(celString).join(', ')}])`,
        message: `spec.config.${def.name} must be one of ${values.join(', ')}`,
      };
    }
    default:
      return undefined;
  }
}

function configSchema(): Schema {
  const rules: { rule: string; message: string }[] = [
    ...Object.entries(KEYS_WITH_OWN_FIELD).map(([key, instead]) => ({
      rule: `!(${celString(key)} in self)`,
      message: `spec.config must not contain ${key}: use ${instead}`,
    })),
  ];
  for (const def of CONFIG_KEYS) {
    if (def.name in KEYS_WITH_OWN_FIELD) continue;
    const rule = keyRule(def);
    if (rule) rules.push(rule);
  }
  return {
    type: 'object',
    description:
      'The connector\'s settings, as in the guide\'s JSON (strings or integers; booleans as "true"/"false"), without ' +
      'connector.class, tasks.max, name and connection.password (those have their own fields).',
    maxProperties: MAX_CONFIG_KEYS,
    // Values are strings or integers (write booleans as "true"/"false", as Kafka Connect stores them).
    additionalProperties: { 'x-kubernetes-int-or-string': true },
    'x-kubernetes-validations': rules,
  };
}

const stringMap: Schema = { type: 'object', additionalProperties: { type: 'string' } };
const quantityMap: Schema = {
  type: 'object',
  additionalProperties: {
    'x-kubernetes-int-or-string': true,
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    pattern:
      '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
  },
};

function specSchema(): Schema {
  return {
    type: 'object',
    required: ['class'],
    properties: {
      connectorName: {
        type: 'string',
        minLength: 1,
        maxLength: 255,
        description:
          'The Kafka Connect connector name (REST API, status topic, consumer group). Default: metadata.name.',
        'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'spec.connectorName is immutable' }],
      },
      class: {
        type: 'string',
        enum: [...CONNECTOR_CLASS_ALIASES],
        description: 'The connector class (connector.class): the sink or the source connector.',
      },
      tasksMax: {
        type: 'integer',
        minimum: 1,
        maximum: 2147483647,
        default: 1,
        description: 'Maximum number of tasks (tasks.max): one worker Pod each, within the configured bound.',
      },
      state: {
        type: 'string',
        enum: [...SPEC_STATES],
        default: 'running',
        description: 'running, paused (Pods keep running, tasks pause) or stopped (no Pods).',
      },
      config: configSchema(),
      passwordSecretRef: {
        type: 'object',
        required: ['name'],
        description: 'The Secret holding connection.password (mounted into the worker Pods as a file).',
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 253 },
          key: { type: 'string', minLength: 1, default: PASSWORD_KEY },
        },
      },
      autoRestart: {
        type: 'object',
        description: 'Restart FAILED tasks automatically, with backoff (2, 4, 8 ... up to 60 minutes).',
        properties: {
          enabled: { type: 'boolean', default: false },
          maxRestarts: { type: 'integer', minimum: 0, description: 'Unlimited when absent.' },
        },
      },
      template: {
        type: 'object',
        description: 'Overrides for the worker Pods.',
        properties: {
          labels: stringMap,
          annotations: stringMap,
          nodeSelector: stringMap,
          tolerations: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                key: { type: 'string' },
                operator: { type: 'string', enum: ['Exists', 'Equal'] },
                value: { type: 'string' },
                effect: { type: 'string', enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
                tolerationSeconds: { type: 'integer' },
              },
            },
          },
          resources: {
            type: 'object',
            properties: { requests: quantityMap, limits: quantityMap },
          },
        },
      },
    },
  };
}

const instanceSchema: Schema = {
  type: 'object',
  properties: {
    state: { type: 'string' },
    worker_id: { type: 'string' },
    trace: { type: 'string' },
  },
};

function statusSchema(): Schema {
  return {
    type: 'object',
    properties: {
      conditions: {
        type: 'array',
        items: {
          type: 'object',
          required: ['type', 'status'],
          properties: {
            type: { type: 'string' },
            status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
            reason: { type: 'string' },
            message: { type: 'string' },
            lastTransitionTime: { type: 'string', format: 'date-time' },
          },
        },
      },
      observedGeneration: { type: 'integer' },
      state: { type: 'string' },
      tasks: { type: 'string' },
      tasksMax: { type: 'integer' },
      replicas: { type: 'integer' },
      topics: { type: 'array', items: { type: 'string' } },
      connectorStatus: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          type: { type: 'string' },
          connector: instanceSchema,
          tasks: {
            type: 'array',
            items: {
              type: 'object',
              properties: { id: { type: 'integer' }, ...(instanceSchema['properties'] as Schema) },
            },
          },
        },
      },
      autoRestart: {
        type: 'object',
        properties: {
          count: { type: 'integer' },
          lastRestartTimestamp: { type: 'string', format: 'date-time' },
          nextRestartAfter: { type: 'string', format: 'date-time' },
        },
      },
    },
  };
}

/** The CustomResourceDefinition object (apiextensions.k8s.io/v1). */
export function kwdbConnectorCrd(): Schema {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: CRD_NAME,
      labels: { 'app.kubernetes.io/name': 'kwdb-connect', 'app.kubernetes.io/part-of': 'kwdb-connect' },
    },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: {
        kind: KIND,
        listKind: `${KIND}List`,
        plural: PLURAL,
        singular: SINGULAR,
        shortNames: [...SHORT_NAMES],
        categories: ['kwdb-connect'],
      },
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: {
            status: {},
            scale: { specReplicasPath: '.spec.tasksMax', statusReplicasPath: '.status.replicas' },
          },
          additionalPrinterColumns: [
            { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
            { name: 'Tasks', type: 'string', jsonPath: '.status.tasks', description: 'running/desired' },
            { name: 'State', type: 'string', jsonPath: '.status.state' },
            { name: 'Class', type: 'string', jsonPath: '.spec.class', priority: 1 },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: 'A kwdb-connect connector (Kafka <-> KWDB), run as a Deployment of worker Pods.',
              required: ['spec'],
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: specSchema(),
                status: statusSchema(),
              },
            },
          },
        },
      ],
    },
  };
}
