// The KwdbConnector custom resource: its API coordinates, the TypeScript shape of spec and status,
// the names and labels of everything the operator creates for a connector, and the mapping between
// a Kafka Connect connector name (any text) and a Kubernetes object name (a DNS label). Pure.
import { createHash } from 'node:crypto';
import { CONNECTOR_CLASSES, type ConnectorKind } from '@kwdb-connect/connector-config';
import type { TargetState } from '../store/connector-store';

export const GROUP = 'kwdb-connect.io';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const KIND = 'KwdbConnector';
export const PLURAL = 'kwdbconnectors';
export const SINGULAR = 'kwdbconnector';
export const SHORT_NAMES = ['kwc'] as const;
export const CRD_NAME = `${PLURAL}.${GROUP}`;

/** Labels and annotations the operator reads or writes (one place, shared with the chart). */
export const LABELS = {
  /** On every object made for a connector: the resource's name. */
  connector: `${GROUP}/connector`,
  /** `worker` on worker Pods, `config` on the ConfigMap, `password` on the Secret. */
  component: `${GROUP}/component`,
  managedBy: 'app.kubernetes.io/managed-by',
  name: 'app.kubernetes.io/name',
} as const;
export const MANAGED_BY = 'kwdb-connect';

export const ANNOTATIONS = {
  /** On a KwdbConnector: `true`, `includeTasks`, `onlyFailed` or `includeTasks,onlyFailed` (as strimzi.io/restart). */
  restart: `${GROUP}/restart`,
  /** On a KwdbConnector: a task id to restart (as strimzi.io/restart-task). */
  restartTask: `${GROUP}/restart-task`,
  /** On a KwdbConnector: when its topics were last reset (PUT .../topics/reset); rendered into the worker file. */
  topicsResetAt: `${GROUP}/topics-reset-at`,
  /** On the Pod template: hash of the worker config and password; a change rolls the Deployment. */
  configHash: `${GROUP}/config-hash`,
  /** On the Pod template: bumped by a restart of every task. */
  restartedAt: `${GROUP}/restarted-at`,
  /** On a worker Pod: the task id the operator assigned to it (read by the worker through the downward API). */
  taskId: `${GROUP}/task-id`,
  /** On the Pod template: the Kafka Connect connector name (scrape configs label targets with it). */
  connectorName: `${GROUP}/connector-name`,
} as const;

export type SpecState = 'running' | 'paused' | 'stopped';
export const SPEC_STATES: readonly SpecState[] = ['running', 'paused', 'stopped'];

export interface KwdbConnectorSpec {
  /** The Kafka Connect connector name; default metadata.name. */
  connectorName?: string;
  class: string;
  tasksMax?: number;
  state?: SpecState;
  config?: Record<string, string | number | boolean>;
  passwordSecretRef?: { name: string; key?: string };
  autoRestart?: { enabled?: boolean; maxRestarts?: number };
  template?: PodTemplateOverrides;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface PodTemplateOverrides {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  resources?: {
    requests?: Record<string, string | number>;
    limits?: Record<string, string | number>;
  };
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
}

export interface ConnectorStatusShape {
  name: string;
  connector: { state: string; worker_id: string; trace?: string };
  tasks: { id: number; state: string; worker_id: string; trace?: string }[];
  type: ConnectorKind | 'unknown';
}

export interface KwdbConnectorStatus {
  conditions?: Condition[];
  observedGeneration?: number;
  /** Kafka Connect's GET /connectors/{name}/status body. */
  connectorStatus?: ConnectorStatusShape;
  /** The connector's state (RUNNING, PAUSED, STOPPED, FAILED), for `kubectl get`. */
  state?: string;
  topics?: string[];
  /** Replicas the operator asks for (spec.tasksMax after the bound; 0 when stopped). */
  tasksMax?: number;
  /** Worker Pods ready now. */
  replicas?: number;
  /** `<tasks RUNNING>/<tasksMax>`, for `kubectl get`. */
  tasks?: string;
  autoRestart?: { count: number; lastRestartTimestamp?: string; nextRestartAfter?: string };
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface KwdbConnector {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: KwdbConnectorSpec;
  status?: KwdbConnectorStatus;
}

/** The connector name of a resource (spec.connectorName, else metadata.name). */
export function connectorNameOf(resource: KwdbConnector): string {
  return resource.spec.connectorName ?? resource.metadata.name;
}

export function targetStateOf(spec: KwdbConnectorSpec): TargetState {
  switch (spec.state ?? 'running') {
    case 'paused':
      return 'PAUSED';
    case 'stopped':
      return 'STOPPED';
    default:
      return 'RUNNING';
  }
}

export function specStateOf(state: TargetState): SpecState {
  return state.toLowerCase() as SpecState;
}

/** Longest resource name we make: leaves room for `-worker-<rs hash>-<pod hash>` under 63. */
const MAX_NAME = 40;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The resource name for a connector name: the name itself when it is already a short DNS label,
 * else a lower-cased, cleaned prefix plus 8 hex digits of its SHA-256 (so `KwdbSinkConnector`
 * and `kwdbsinkconnector` do not collide).
 */
export function resourceNameFor(connectorName: string): string {
  if (connectorName.length <= MAX_NAME && DNS_LABEL.test(connectorName)) return connectorName;
  const hash = createHash('sha256').update(connectorName, 'utf8').digest('hex').slice(0, 8);
  const cleaned = connectorName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_NAME - 9)
    .replace(/-+$/, '');
  return cleaned === '' ? `kwc-${hash}` : `${cleaned}-${hash}`;
}

/** Names of the objects the operator owns for a resource. */
export function ownedNames(resourceName: string): {
  configMap: string;
  deployment: string;
  secret: string;
} {
  return {
    configMap: `${resourceName}-config`,
    deployment: `${resourceName}-worker`,
    secret: `${resourceName}-password`,
  };
}

/** The canonical class name of a (valid) spec.class. */
export function canonicalClass(kind: ConnectorKind): string {
  return CONNECTOR_CLASSES[kind];
}

export function ownerReferenceTo(resource: KwdbConnector): OwnerReference {
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    name: resource.metadata.name,
    uid: resource.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function connectorLabels(resourceName: string, component: string): Record<string, string> {
  return {
    [LABELS.name]: 'kwdb-connect',
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.connector]: resourceName,
    [LABELS.component]: component,
  };
}
