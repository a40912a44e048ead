// The CRD file as committed (charts/kwdb-connect/crds/kwdbconnector.yaml).
import { kwdbConnectorCrd } from './crd';
import { toYaml } from './yaml';

/** Path of the CRD file, relative to the repository root. */
export const CRD_FILE = 'charts/kwdb-connect/crds/kwdbconnector.yaml';

export function renderCrdFile(): string {
  return (
    '# Generated from apps/config-api/src/operator/crd.ts by `npx nx run config-api:crd`; do not edit.\n' +
    toYaml(kwdbConnectorCrd())
  );
}
