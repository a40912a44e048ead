// The OpenAPI 3 description of config-api, served at /openapi.json. It follows Kafka Connect's
// REST API (connect_rest.yaml of apache/kafka) for the endpoints config-api implements.

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json, description: string): Json => ({
  description,
  content: { 'application/json': { schema } },
});
const error = (description: string): Json => json(ref('ErrorMessage'), description);
const noContent = (description: string): Json => ({ description });
const nameParam = {
  name: 'name',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: 'Connector name',
};
const taskParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'integer' },
  description: 'Task id',
};
const pluginParam = {
  name: 'plugin',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: 'Connector class (full class name or alias, e.g. KwdbSinkConnector)',
};
const notFound = error('Unknown connector, task or plugin');
const badRequest = error(
  'Invalid request or configuration (every problem listed, e.g. tasks.max above the per-connector or runtime limit, or a refused connector name)',
);
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const configBody = {
  required: true,
  content: {
    'application/json': {
      schema: {
        type: 'object',
        additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
      },
    },
  },
};

// Every operation can also answer 503: while config-api is starting up (with Retry-After), and when a
// request needs the status, config or offsets topic while Kafka is unreachable (error-handler.ts).
const unavailable = error(
  'config-api is starting, or Kafka is unreachable for a request that needs it; retry',
);

function op(summary: string, responses: Json, extra: Json = {}): Json {
  return {
    summary,
    ...extra,
    responses: { '503': unavailable, ...responses, '500': error('Unexpected error') },
  };
}

export function openApiDocument(version: string): Json {
  return {
    openapi: '3.0.3',
    info: {
      title: 'kwdb-connect config-api',
      version,
      description:
        'Kafka Connect compatible REST API for the KaiwuDB sink and source connectors. Every error is {"error_code", "message"}; connection.password is always shown as [hidden].',
    },
    paths: {
      '/': {
        get: op('Server version, commit and Kafka cluster id', {
          '200': json(ref('ServerInfo'), 'Server info'),
        }),
      },
      '/health': {
        get: op('Health check (KIP-1017)', {
          '200': json(ref('Health'), 'Healthy'),
          '503': json(ref('Health'), 'Starting'),
        }),
      },
      '/metrics': {
        get: op('Prometheus metrics of the API', {
          '200': { description: 'Prometheus text format', content: { 'text/plain': {} } },
        }),
      },
      '/prometheus/targets': {
        get: op(
          'Prometheus HTTP service discovery: config-api and every running task (local processes, or Kubernetes worker Pods with scrape annotations)',
          {
            '200': json(
              {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { targets: { type: 'array', items: { type: 'string' } }, labels: stringMap },
                },
              },
              'Target groups (http_sd_configs format)',
            ),
          },
        ),
      },
      '/openapi.json': { get: op('This document', { '200': json({ type: 'object' }, 'OpenAPI document') }) },
      '/connectors': {
        get: op(
          'List connector names, or with expand=status/info a map of name -> {status, info}',
          {
            '200': json(
              { oneOf: [{ type: 'array', items: { type: 'string' } }, { type: 'object' }] },
              'Connectors',
            ),
          },
          {
            parameters: [
              {
                name: 'expand',
                in: 'query',
                required: false,
                schema: { type: 'array', items: { type: 'string', enum: ['status', 'info'] } },
                style: 'form',
                explode: true,
              },
            ],
          },
        ),
        post: op(
          'Create a connector',
          {
            '201': {
              ...json(ref('ConnectorInfo'), 'Created'),
              headers: { Location: { schema: { type: 'string' }, description: '/connectors/{name}' } },
            },
            '400': badRequest,
            '409': error('A connector with this name already exists'),
            '413': error('Request body too large'),
          },
          {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: ref('CreateConnectorRequest') } },
            },
          },
        ),
      },
      '/connectors/{name}': {
        parameters: [nameParam],
        get: op('Connector info', { '200': json(ref('ConnectorInfo'), 'Connector'), '404': notFound }),
        delete: op('Delete a connector (its tasks are stopped)', {
          '204': noContent('Deleted'),
          '404': notFound,
        }),
      },
      '/connectors/{name}/config': {
        parameters: [nameParam],
        get: op('Connector config (password hidden)', { '200': json(stringMap, 'Config'), '404': notFound }),
        put: op(
          'Create or replace the config',
          {
            '200': json(ref('ConnectorInfo'), 'Updated'),
            '201': {
              ...json(ref('ConnectorInfo'), 'Created'),
              headers: { Location: { schema: { type: 'string' } } },
            },
            '400': badRequest,
          },
          { requestBody: configBody },
        ),
        patch: op(
          'Merge into the config; a null value removes the key',
          { '200': json(ref('ConnectorInfo'), 'Updated'), '400': badRequest, '404': notFound },
          { requestBody: configBody },
        ),
      },
      '/connectors/{name}/status': {
        parameters: [nameParam],
        get: op('Connector and task states (from the status topic)', {
          '200': json(ref('ConnectorStateInfo'), 'Status'),
          '404': notFound,
        }),
      },
      '/connectors/{name}/tasks': {
        parameters: [nameParam],
        get: op('Task ids and configs', {
          '200': json({ type: 'array', items: ref('TaskInfo') }, 'Tasks'),
          '404': notFound,
        }),
      },
      '/connectors/{name}/tasks/{id}/status': {
        parameters: [nameParam, taskParam],
        get: op('One task state', { '200': json(ref('TaskState'), 'Task state'), '404': notFound }),
      },
      '/connectors/{name}/restart': {
        parameters: [
          nameParam,
          { name: 'includeTasks', in: 'query', schema: { type: 'boolean', default: false } },
          { name: 'onlyFailed', in: 'query', schema: { type: 'boolean', default: false } },
        ],
        post: op('Restart the connector (and its tasks with includeTasks)', {
          '202': json(ref('ConnectorStateInfo'), 'Accepted; targeted instances shown RESTARTING'),
          '204': noContent('Connector instance restarted (both flags false)'),
          '404': notFound,
        }),
      },
      '/connectors/{name}/tasks/{id}/restart': {
        parameters: [nameParam, taskParam],
        post: op('Restart one task', { '204': noContent('Restarted'), '404': notFound }),
      },
      '/connectors/{name}/pause': {
        parameters: [nameParam],
        put: op('Pause the connector (tasks stop fetching, keep their claims)', {
          '202': noContent('Accepted'),
          '404': notFound,
        }),
      },
      '/connectors/{name}/resume': {
        parameters: [nameParam],
        put: op('Resume a PAUSED or STOPPED connector', { '202': noContent('Accepted'), '404': notFound }),
      },
      '/connectors/{name}/stop': {
        parameters: [nameParam],
        put: op('Stop the connector (no tasks run; config kept)', {
          '204': noContent('Stopped'),
          '404': notFound,
        }),
      },
      '/connectors/{name}/offsets': {
        parameters: [nameParam],
        get: op('List offsets (sink: consumer group connect-<name>; source: table cursors)', {
          '200': json(ref('ConnectorOffsets'), 'Offsets'),
          '404': notFound,
        }),
        patch: op(
          'Alter offsets (connector must be STOPPED); offset null resets one partition',
          { '200': json(ref('Message'), 'Altered'), '400': badRequest, '404': notFound },
          {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: ref('ConnectorOffsets') } },
            },
          },
        ),
        delete: op('Reset every offset (connector must be STOPPED)', {
          '200': json(ref('Message'), 'Reset'),
          '400': badRequest,
          '404': notFound,
        }),
      },
      '/connectors/{name}/topics': {
        parameters: [nameParam],
        get: op('Topics the connector used since it was created or its topics were last reset (KIP-558)', {
          '200': json(
            {
              type: 'object',
              additionalProperties: {
                type: 'object',
                properties: { topics: { type: 'array', items: { type: 'string' } } },
              },
            },
            '{"<name>": {"topics": [...]}}',
          ),
          '403': error('Topic tracking is disabled (KWDB_CONNECT_TOPIC_TRACKING_ENABLE=false)'),
          '404': notFound,
        }),
      },
      '/connectors/{name}/topics/reset': {
        parameters: [nameParam],
        put: op("Forget the connector's used topics; running tasks record them again as they use them", {
          '202': noContent('Reset'),
          '403': error(
            'Topic tracking or topics reset is disabled (KWDB_CONNECT_TOPIC_TRACKING_ENABLE or _ALLOW_RESET false)',
          ),
          '404': notFound,
        }),
      },
      '/admin/loggers': {
        get: op("config-api's loggers and their levels (KIP-495)", {
          '200': json(
            { type: 'object', additionalProperties: ref('LoggerLevel') },
            '{"<logger>": LoggerLevel}',
          ),
        }),
      },
      '/admin/loggers/{logger}': {
        parameters: [
          {
            name: 'logger',
            in: 'path',
            required: true,
            schema: { type: 'string' },
            description: 'Logger name',
          },
        ],
        get: op("One logger's level", {
          '200': json(ref('LoggerLevel'), 'Level'),
          '404': error('Unknown logger'),
        }),
        put: op(
          'Set the level of the logger and every logger under it; scope=cluster also sets it in every worker',
          {
            '200': json({ type: 'array', items: { type: 'string' } }, 'Affected loggers (scope=worker)'),
            '204': noContent('Set on config-api and every worker (scope=cluster)'),
            '400': badRequest,
            '404': error('Unknown level'),
          },
          {
            parameters: [
              {
                name: 'scope',
                in: 'query',
                schema: { type: 'string', enum: ['worker', 'cluster'], default: 'worker' },
              },
            ],
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: { type: 'object', required: ['level'], properties: { level: { type: 'string' } } },
                },
              },
            },
          },
        ),
      },
      '/connector-plugins': {
        get: op(
          'The connector plugins (connectorsOnly=false: also the converter they accept)',
          { '200': json({ type: 'array', items: ref('PluginInfo') }, 'Plugins') },
          {
            parameters: [{ name: 'connectorsOnly', in: 'query', schema: { type: 'boolean', default: true } }],
          },
        ),
      },
      '/connector-plugins/{plugin}/config': {
        parameters: [pluginParam],
        get: op('Config keys of a plugin', {
          '200': json({ type: 'array', items: ref('ConfigKeyInfo') }, 'Keys'),
          '404': notFound,
        }),
      },
      '/connector-plugins/{plugin}/config/validate': {
        parameters: [pluginParam],
        put: op(
          'Validate a config (200 even when invalid; see error_count)',
          {
            '200': json(ref('ConfigInfos'), 'Validation result'),
            '400': error('connector.class in the body does not match the plugin of the path'),
            '404': notFound,
          },
          { requestBody: configBody },
        ),
      },
    },
    components: {
      schemas: {
        ErrorMessage: {
          type: 'object',
          required: ['error_code', 'message'],
          properties: { error_code: { type: 'integer' }, message: { type: 'string' } },
        },
        Message: { type: 'object', properties: { message: { type: 'string' } } },
        ServerInfo: {
          type: 'object',
          properties: {
            version: {
              type: 'string',
              description: 'The Kafka Connect REST API version implemented (4.1.0)',
            },
            commit: { type: 'string', description: 'kwdb-connect-<product version>-<git commit>' },
            kafka_cluster_id: { type: 'string' },
          },
        },
        Health: { type: 'object', properties: { status: { type: 'string' }, message: { type: 'string' } } },
        CreateConnectorRequest: {
          type: 'object',
          required: ['name', 'config'],
          properties: {
            name: { type: 'string' },
            config: configBody.content['application/json'].schema,
            initial_state: { type: 'string', enum: ['RUNNING', 'PAUSED', 'STOPPED'] },
          },
        },
        ConnectorTaskId: {
          type: 'object',
          properties: { connector: { type: 'string' }, task: { type: 'integer' } },
        },
        ConnectorInfo: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            config: stringMap,
            tasks: { type: 'array', items: ref('ConnectorTaskId') },
            type: { type: 'string', enum: ['sink', 'source', 'unknown'] },
          },
        },
        TaskInfo: { type: 'object', properties: { id: ref('ConnectorTaskId'), config: stringMap } },
        ConnectorState: {
          type: 'object',
          properties: {
            state: {
              type: 'string',
              enum: ['UNASSIGNED', 'RUNNING', 'PAUSED', 'FAILED', 'STOPPED', 'RESTARTING'],
            },
            worker_id: { type: 'string' },
            trace: { type: 'string' },
            version: { type: 'string', description: 'Plugin version the instance runs (Kafka Connect 4.1)' },
          },
        },
        TaskState: {
          allOf: [ref('ConnectorState'), { type: 'object', properties: { id: { type: 'integer' } } }],
        },
        ConnectorStateInfo: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            connector: ref('ConnectorState'),
            tasks: { type: 'array', items: ref('TaskState') },
            type: { type: 'string' },
          },
        },
        ConnectorOffsets: {
          type: 'object',
          properties: {
            offsets: {
              type: 'array',
              items: {
                type: 'object',
                properties: { partition: { type: 'object' }, offset: { type: 'object', nullable: true } },
              },
            },
          },
        },
        PluginInfo: {
          type: 'object',
          properties: { class: { type: 'string' }, type: { type: 'string' }, version: { type: 'string' } },
        },
        ConfigKeyInfo: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            type: { type: 'string' },
            required: { type: 'boolean' },
            default_value: { type: 'string', nullable: true },
            importance: { type: 'string' },
            documentation: { type: 'string' },
            group: { type: 'string' },
            order: { type: 'integer' },
            width: { type: 'string' },
            display_name: { type: 'string' },
            dependents: { type: 'array', items: { type: 'string' } },
          },
        },
        LoggerLevel: {
          type: 'object',
          properties: {
            level: { type: 'string', enum: ['OFF', 'FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE'] },
            last_modified: {
              type: 'integer',
              nullable: true,
              description: 'Epoch ms of the last change through the API',
            },
          },
        },
        ConfigInfos: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            error_count: { type: 'integer' },
            groups: { type: 'array', items: { type: 'string' } },
            configs: { type: 'array', items: { type: 'object' } },
          },
        },
      },
    },
  };
}

/** Every (method, path) the document describes, e.g. "GET /connectors/{name}". */
export function documentedOperations(doc: Json = openApiDocument('test')): string[] {
  const ops: string[] = [];
  for (const [path, item] of Object.entries(doc['paths'] as Record<string, Json>)) {
    for (const method of Object.keys(item)) {
      if (method !== 'parameters') ops.push(`${method.toUpperCase()} ${path}`);
    }
  }
  return ops.sort();
}
