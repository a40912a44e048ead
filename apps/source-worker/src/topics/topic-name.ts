// Topic names of the source: `[prefix][delimiter][database][delimiter][table]`, as the guide's
// example shows (prefix `kw`, database `benchmark`, table `cpu_kaiwudb_tb` ->
// `kw-benchmark-cpu_kaiwudb_tb`). Pure.
//
// - topic.ignore.db=true leaves the database out: `kw-cpu_kaiwudb_tb`.
// - topic.per.stable=false leaves the table out: every table of the database goes to one topic,
//   `kw-benchmark` (records stay distinguishable: json formats carry the table name, line
//   formats the measurement/metric, and every record key starts with the table).
// - An empty prefix is left out (no leading delimiter).
import { SourceWorkerError } from '../errors';

export interface TopicNaming {
  prefix: string;
  delimiter: string;
  perStable: boolean;
  ignoreDb: boolean;
}

const LEGAL = /^[A-Za-z0-9._-]+$/;
const MAX_LENGTH = 249;

/** The Kafka topic a table's records go to. Throws SourceWorkerError when no legal name results. */
export function topicName(naming: TopicNaming, database: string, table: string): string {
  const parts: string[] = [];
  if (naming.prefix !== '') parts.push(naming.prefix);
  if (!naming.ignoreDb) parts.push(database);
  if (naming.perStable) parts.push(table);
  if (parts.length === 0) {
    throw new SourceWorkerError(
      'TOPIC_NAME_EMPTY',
      'topic.prefix is empty, topic.ignore.db is true and topic.per.stable is false: no topic name is left',
    );
  }
  const name = parts.join(naming.delimiter);
  if (!LEGAL.test(name) || name.length > MAX_LENGTH || name === '.' || name === '..') {
    throw new SourceWorkerError(
      'TOPIC_NAME_INVALID',
      `topic name ${JSON.stringify(name)} (database ${JSON.stringify(database)}, table ${JSON.stringify(table)}) ` +
        'is not a legal Kafka topic name (at most 249 of A-Z a-z 0-9 . _ -)',
    );
  }
  return name;
}
