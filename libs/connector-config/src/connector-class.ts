/** Which way a connector moves data: Kafka -> KWDB (sink) or KWDB -> Kafka (source). */
export type ConnectorKind = 'sink' | 'source';

/** The class names the guide uses; they are also the plugin names of the REST API. */
export const CONNECTOR_CLASSES: Readonly<Record<ConnectorKind, string>> = Object.freeze({
  sink: 'com.kaiwudb.kafka.connect.sink.KwdbSinkConnector',
  source: 'com.kaiwudb.kafka.connect.source.KwdbSourceConnector',
});

/**
 * The version of both connector plugins: `GET /connector-plugins` and the `version` of every
 * connector and task status (config-api and the workers publish it; one build, one version).
 */
export const CONNECTOR_PLUGIN_VERSION = '0.1.0';

/**
 * Every accepted spelling of `connector.class`, as Kafka Connect accepts them: the full class name,
 * the simple class name, and the simple name without the "Connector" suffix.
 */
const ALIASES: ReadonlyMap<string, ConnectorKind> = new Map([
  [CONNECTOR_CLASSES.sink, 'sink'],
  ['KwdbSinkConnector', 'sink'],
  ['KwdbSink', 'sink'],
  [CONNECTOR_CLASSES.source, 'source'],
  ['KwdbSourceConnector', 'source'],
  ['KwdbSource', 'source'],
]);

/** The accepted `connector.class` values, in a stable order (for messages and docs). */
export const CONNECTOR_CLASS_ALIASES: readonly string[] = Object.freeze([...ALIASES.keys()]);

/** The kind a `connector.class` value names, or undefined when it names neither connector. */
export function resolveConnectorClass(value: string): ConnectorKind | undefined {
  return ALIASES.get(value.trim());
}
