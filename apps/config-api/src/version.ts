// What GET / reports. `version` is the Kafka Connect REST API level config-api implements, because
// tools gate features on it (kcctl parses "major.minor" and treats anything below 2.5 as old
// Connect); the product's own version and git commit go in `commit`, which tools only display.
// docs/adr/0021-connect-rest-4-1-compatibility.md explains the choice.
import { CONNECTOR_PLUGIN_VERSION } from '@kwdb-connect/connector-config';

/** The Kafka Connect release whose REST API config-api implements. */
export const CONNECT_REST_API_VERSION = '4.1.0';

/** `kwdb-connect-<product version>-<git commit>` (without the commit when it is unknown). */
export function serverCommit(
  gitCommit: string | undefined,
  productVersion = CONNECTOR_PLUGIN_VERSION,
): string {
  const product = `kwdb-connect-${productVersion}`;
  return gitCommit === undefined || gitCommit === '' || gitCommit === 'unknown'
    ? product
    : `${product}-${gitCommit}`;
}
