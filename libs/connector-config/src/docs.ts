// Renders docs/configuration.md from the definition table. `npx nx run connector-config:docs` writes
// it; docs.test.ts fails when the committed file is stale.
import { STRING_CONVERTER } from './checks';
import { integerRule } from './coerce';
import { CONNECTOR_CLASSES, type ConnectorKind } from './connector-class';
import { documentationFor, keysFor, type ConfigKeyDef } from './definitions';
import { WORKER_ENV_VARS } from './worker-env';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function typeOf(def: ConfigKeyDef): string {
  if (def.type === 'enum') return `enum: ${(def.values ?? []).map((v) => `\`${v}\``).join(', ')}`;
  if (def.type === 'int' || def.type === 'long') {
    const rule = integerRule(def.min, def.max).replace('must be an integer', '').trim();
    return rule === '' ? def.type : `${def.type}, ${rule}`;
  }
  return def.type;
}

function defaultOf(def: ConfigKeyDef): string {
  if (def.required) return '(required)';
  if (def.default === undefined) return '(none)';
  if (def.default === '') return '`""`';
  return `\`${Array.isArray(def.default) ? def.default.join(',') : String(def.default)}\``;
}

/** A Markdown table with padded columns, as Prettier writes it (so `prettier --check` passes). */
function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const all = [header, ...rows].map((row) => row.map(cell));
  const widths = header.map((_, i) => Math.max(3, ...all.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) =>
    `| ${row.map((text, i) => text.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const [head, ...body] = all as [string[], ...string[][]];
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
}

function keyTable(kind: ConnectorKind): string[] {
  const rows = keysFor(kind).map((def) => [
    `\`${def.name}\``,
    typeOf(def),
    defaultOf(def),
    documentationFor(def, kind),
  ]);
  return markdownTable(['Key', 'Type', 'Default', 'Description'], rows);
}

/** The whole of docs/configuration.md. */
export function renderConfigurationDoc(): string {
  const lines = [
    '# Connector configuration',
    '',
    '<!-- Generated from libs/connector-config/src/definitions.ts by `npx nx run connector-config:docs`.',
    '     Do not edit by hand: a unit test fails when this file is stale. -->',
    '',
    'Both connectors take the configuration of the KaiwuDB Kafka Connector guide, plus Kafka Connect',
    '`errors.*` options and a few additions (TLS, pool size, dialect, late rows, exactly-once). Values may be',
    'written as JSON strings, numbers or booleans (`"tasks.max": "5"` and `"tasks.max": 5` are the same).',
    'Every problem is reported at once, naming its key. Keys the connector does not know are kept and',
    'reported as warnings, as Kafka Connect passes them through.',
    '',
    '`timestamp.precision` must suit the format: `json_kaiwudb` and `line_influxdb` take `ms`, `us`, `ns`;',
    '`json_opentsdb` and `line_opentsdb` take `s`, `ms`.',
    '',
    `## Sink connector (\`${CONNECTOR_CLASSES.sink}\`)`,
    '',
    'Exactly one of `topics` and `topics.regex` must be set, and neither may name the dead letter queue topic.',
    '',
    ...keyTable('sink'),
    '',
    `## Source connector (\`${CONNECTOR_CLASSES.source}\`)`,
    '',
    ...keyTable('source'),
    '',
    '## Converters',
    '',
    `\`key.converter\` and \`value.converter\` accept only \`${STRING_CONVERTER}\`, or nothing: records are`,
    'plain text in one of the four message formats.',
    '',
    '## Worker environment',
    '',
    'Each worker process (one task) also reads these variables; they are not part of the connector configuration.',
    '',
    ...markdownTable(
      ['Variable', 'Default', 'Description'],
      WORKER_ENV_VARS.map((v) => [`\`${v.name}\``, v.default, v.description]),
    ),
    '',
  ];
  return lines.join('\n');
}
