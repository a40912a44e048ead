// The connector store in Kubernetes mode: one KwdbConnector resource per connector, the password in
// a Secret the resource names (created and owned by the resource when the REST API made it).
// Resources applied with kubectl are connectors like any other. Updates carry the resourceVersion
// they were read at: a concurrent change (kubectl, another config-api replica) is a 409, never lost.
import { PASSWORD_KEY } from '@kwdb-connect/connector-config';
import { AlreadyExistsError, ApiError, connectorNotFound } from '../../errors';
import { desiredPasswordSecret } from '../../operator/desired';
import { isConflict, isNotFound, type KubeHttp } from '../../operator/kube-http';
import {
  API_VERSION,
  connectorNameOf,
  GROUP,
  KIND,
  ownedNames,
  PLURAL,
  resourceNameFor,
  specStateOf,
  targetStateOf,
  VERSION,
  type KwdbConnector,
  type KwdbConnectorSpec,
} from '../../operator/resource';
import type { ConnectorDefinition, ConnectorSecrets, ConnectorStore } from '../connector-store';

/** 409: the resource changed between the read and the write of one request. */
export class ConcurrentChangeError extends ApiError {
  constructor(name: string) {
    super(
      'CONFLICT',
      409,
      `Connector ${name} was changed by someone else (kubectl or another config-api) while this request ` +
        'was being handled; read it again and retry',
    );
    this.name = 'ConcurrentChangeError';
  }
}

/** The resource changed between our read and our PUT; the next attempt's read decides whether the spec did. */
class StatusOnlyConflict extends Error {}
const UPDATE_ATTEMPTS = 5;

/** Keys that live in their own spec field rather than in spec.config. */
const OWN_FIELDS = new Set(['connector.class', 'tasks.max', 'name', PASSWORD_KEY]);

interface SecretObject {
  metadata: { name: string; resourceVersion?: string; ownerReferences?: { uid: string }[] };
  data?: Record<string, string>;
}

export function resourcePath(namespace: string, name?: string): string {
  return `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${PLURAL}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

export function secretPath(namespace: string, name?: string): string {
  return `/api/v1/namespaces/${namespace}/secrets${name ? `/${encodeURIComponent(name)}` : ''}`;
}

/** The ConnectorDefinition a resource stands for (the flat config as the REST API shows it). */
export function definitionOf(resource: KwdbConnector): ConnectorDefinition {
  const name = connectorNameOf(resource);
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(resource.spec.config ?? {})) {
    if (value === null || value === undefined || OWN_FIELDS.has(key)) continue;
    config[key] = typeof value === 'string' ? value : String(value);
  }
  config['connector.class'] = resource.spec.class;
  config['tasks.max'] = String(resource.spec.tasksMax ?? 1);
  config['name'] = name;
  const created = resource.metadata.creationTimestamp ?? new Date(0).toISOString();
  return {
    name,
    config,
    targetState: targetStateOf(resource.spec),
    generation: resource.metadata.generation ?? 1,
    createdAt: created,
    updatedAt: created,
    // metadata.generation moves only with the spec: status writes and annotations do not conflict.
    ...(resource.metadata.generation !== undefined ? { revision: String(resource.metadata.generation) } : {}),
  };
}

/** The spec for a definition, keeping what the REST API does not manage (template, autoRestart). */
export function specFor(
  definition: ConnectorDefinition,
  resourceName: string,
  previous: KwdbConnectorSpec | undefined,
  passwordSecretRef: KwdbConnectorSpec['passwordSecretRef'],
): KwdbConnectorSpec {
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(definition.config)) if (!OWN_FIELDS.has(key)) config[key] = value;
  const tasksMax = Number(definition.config['tasks.max'] ?? '1');
  const spec: KwdbConnectorSpec = {
    ...(definition.name !== resourceName ? { connectorName: definition.name } : {}),
    class: definition.config['connector.class'] ?? '',
    tasksMax: Number.isSafeInteger(tasksMax) && tasksMax >= 1 ? tasksMax : 1,
    state: specStateOf(definition.targetState),
    config,
    ...(passwordSecretRef ? { passwordSecretRef } : {}),
    ...(previous?.autoRestart ? { autoRestart: previous.autoRestart } : {}),
    ...(previous?.template ? { template: previous.template } : {}),
  };
  return spec;
}

export class KubernetesConnectorStore implements ConnectorStore {
  private readonly http: KubeHttp;
  readonly namespace: string;

  constructor(http: KubeHttp, namespace: string) {
    this.http = http;
    this.namespace = namespace;
  }

  async listResources(): Promise<KwdbConnector[]> {
    const list = await this.http.get<{ items: KwdbConnector[] }>(resourcePath(this.namespace));
    return list.items;
  }

  async list(): Promise<string[]> {
    const names = (await this.listResources()).map(connectorNameOf);
    return [...new Set(names)].sort();
  }

  /** The resource holding connector `name`: the derived resource name first, else a search. */
  async findResource(name: string): Promise<KwdbConnector | undefined> {
    const direct = await this.http.find<KwdbConnector>(resourcePath(this.namespace, resourceNameFor(name)));
    if (direct && connectorNameOf(direct) === name) return direct;
    const all = await this.listResources();
    const matches = all.filter((r) => connectorNameOf(r) === name);
    // Two resources naming one connector: the oldest holds it (the operator marks the other).
    matches.sort((a, b) =>
      (a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? -1 : 1,
    );
    return matches[0];
  }

  async get(name: string): Promise<ConnectorDefinition | undefined> {
    const resource = await this.findResource(name);
    return resource ? definitionOf(resource) : undefined;
  }

  async getSecrets(name: string): Promise<ConnectorSecrets> {
    const resource = await this.findResource(name);
    const ref = resource?.spec.passwordSecretRef;
    if (!ref) return {};
    const secret = await this.http.find<SecretObject>(secretPath(this.namespace, ref.name));
    const data = secret?.data?.[ref.key ?? PASSWORD_KEY];
    return data === undefined ? {} : { password: Buffer.from(data, 'base64').toString('utf8') };
  }

  async create(definition: ConnectorDefinition, secrets: ConnectorSecrets): Promise<void> {
    const resourceName = resourceNameFor(definition.name);
    const ownSecret = ownedNames(resourceName).secret;
    const ref = secrets.password !== undefined ? { name: ownSecret, key: PASSWORD_KEY } : undefined;
    const body: KwdbConnector = {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: { name: resourceName, namespace: this.namespace },
      spec: specFor(definition, resourceName, undefined, ref),
    };
    let created: KwdbConnector;
    try {
      created = await this.http.request<KwdbConnector>('POST', resourcePath(this.namespace), { body });
    } catch (error) {
      if (isConflict(error)) {
        const holder = await this.http.find<KwdbConnector>(resourcePath(this.namespace, resourceName));
        const other = holder ? connectorNameOf(holder) : definition.name;
        throw new AlreadyExistsError(
          other === definition.name
            ? `Connector ${definition.name} already exists`
            : `Connector ${definition.name} cannot be created: its resource name ${resourceName} holds connector ${other}`,
        );
      }
      throw error;
    }
    if (secrets.password === undefined) return;
    try {
      await this.writeSecret(created, ownSecret, PASSWORD_KEY, secrets.password);
    } catch (error) {
      // No connector without its password: take the resource back.
      await this.http.request('DELETE', resourcePath(this.namespace, resourceName)).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Replaces the spec. A definition read at an older spec generation than the stored one is a 409
   * (someone changed the spec since); a write that loses only to a status or annotation change (the
   * operator) is retried on a fresh read.
   */
  async update(definition: ConnectorDefinition, secrets: ConnectorSecrets): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.updateOnce(definition, secrets);
        return;
      } catch (error) {
        if (!(error instanceof StatusOnlyConflict) || attempt >= UPDATE_ATTEMPTS) {
          if (error instanceof StatusOnlyConflict) throw new ConcurrentChangeError(definition.name);
          throw error;
        }
      }
    }
  }

  private async updateOnce(definition: ConnectorDefinition, secrets: ConnectorSecrets): Promise<void> {
    const current = await this.findResource(definition.name);
    if (!current) throw connectorNotFound(definition.name);
    if (definition.revision !== undefined && definition.revision !== String(current.metadata.generation)) {
      throw new ConcurrentChangeError(definition.name);
    }
    const resourceName = current.metadata.name;
    const ownSecret = ownedNames(resourceName).secret;
    const previousRef = current.spec.passwordSecretRef;
    let ref: KwdbConnectorSpec['passwordSecretRef'];
    if (secrets.password !== undefined) ref = previousRef ?? { name: ownSecret, key: PASSWORD_KEY };
    const body: KwdbConnector = {
      ...current,
      spec: specFor(definition, resourceName, current.spec, ref),
    };
    delete body.status;
    let updated: KwdbConnector;
    try {
      // PUT with the resourceVersion read above: the API server refuses it if anything changed since.
      updated = await this.http.request<KwdbConnector>('PUT', resourcePath(this.namespace, resourceName), {
        body,
      });
    } catch (error) {
      if (isConflict(error)) throw new StatusOnlyConflict();
      if (isNotFound(error)) throw connectorNotFound(definition.name);
      throw error;
    }
    if (ref && secrets.password !== undefined) {
      const existing = await this.getSecretsOf(current);
      if (existing !== secrets.password)
        await this.writeSecret(updated, ref.name, ref.key ?? PASSWORD_KEY, secrets.password);
    } else if (!ref && previousRef?.name === ownSecret) {
      await this.http.request('DELETE', secretPath(this.namespace, ownSecret)).catch((e: unknown) => {
        if (!isNotFound(e)) throw e;
      });
    }
  }

  private async getSecretsOf(resource: KwdbConnector): Promise<string | undefined> {
    const ref = resource.spec.passwordSecretRef;
    if (!ref) return undefined;
    const secret = await this.http.find<SecretObject>(secretPath(this.namespace, ref.name));
    const data = secret?.data?.[ref.key ?? PASSWORD_KEY];
    return data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8');
  }

  /** Creates or updates a password Secret; a Secret we create is owned by the resource. */
  private async writeSecret(
    owner: KwdbConnector,
    name: string,
    key: string,
    password: string,
  ): Promise<void> {
    const existing = await this.http.find<SecretObject>(secretPath(this.namespace, name));
    if (existing === undefined) {
      const body = desiredPasswordSecret(owner, password);
      (body['metadata'] as { name: string }).name = name;
      body['stringData'] = { [key]: password };
      await this.http.request('POST', secretPath(this.namespace), { body });
      return;
    }
    await this.http.request('PATCH', secretPath(this.namespace, name), {
      patch: 'merge',
      body: {
        metadata: { resourceVersion: existing.metadata.resourceVersion },
        stringData: { [key]: password },
      },
    });
  }

  async delete(name: string): Promise<boolean> {
    const resource = await this.findResource(name);
    if (!resource) return false;
    try {
      // Background propagation: the garbage collector removes the owned Deployment, ConfigMap and Secret.
      await this.http.request('DELETE', resourcePath(this.namespace, resource.metadata.name), {
        body: {
          kind: 'DeleteOptions',
          apiVersion: 'v1',
          propagationPolicy: 'Background',
          preconditions: { uid: resource.metadata.uid },
        },
      });
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
    return true;
  }
}
