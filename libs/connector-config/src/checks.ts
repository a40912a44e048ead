// Shape checks for single string values. Each returns undefined when the value is fine, or the text
// of the problem (without the key; the caller adds it). They never echo a value that may hold a secret.
import { CONNECTOR_CLASS_ALIASES, resolveConnectorClass } from './connector-class';
import { HIDDEN } from './secret';

/** The one converter the connectors accept: messages are text in one of the four formats. */
export const STRING_CONVERTER = 'org.apache.kafka.connect.storage.StringConverter';

/** Renders a user's value for a message: JSON-quoted and cut to a readable length. */
export function show(value: unknown): string {
  let text: string;
  if (value === undefined) text = 'nothing';
  else if (typeof value === 'object' && value !== null && !Array.isArray(value)) text = 'an object';
  else text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `postgres://user:pass@host` -> `postgres://user:[hidden]@host` (such a URL is invalid, but may be shown). */
export function hideUrlPassword(url: string): string {
  return url.replace(/^([a-z:]+\/\/[^:/@?#\s]*):[^@/?#\s]*@/i, `$1:${HIDDEN}@`);
}

const HOST = String.raw`(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.~%-]+)`;
const TAIL = String.raw`(?::(\d+))?(?:/([^?#\s]*))?(?:\?([^#\s]*))?`;
const JDBC_URL = new RegExp(String.raw`^jdbc:kaiwudb://(${HOST})${TAIL}$`);
const POSTGRES_URL = new RegExp(String.raw`^postgres(?:ql)?://(?:([^@/?#\s]*)@)?(${HOST})${TAIL}$`);
const URL_SHAPES =
  'must look like jdbc:kaiwudb://host[:port][/database][?params] or postgres://host[:port][/database][?params]';

/** `connection.url`: the shape only; kwdb-client parses it. A password inside the URL is refused. */
export function checkConnectionUrl(url: string): string | undefined {
  const jdbc = JDBC_URL.exec(url);
  const pg = jdbc ? undefined : POSTGRES_URL.exec(url);
  if (!jdbc && !pg) {
    // A URL with user info may carry a password: say what is wrong without repeating it.
    return url.includes('@') ? `${URL_SHAPES}` : `${URL_SHAPES}, got ${show(url)}`;
  }
  const userInfo = pg ? pg[1] : undefined;
  if (userInfo !== undefined && userInfo.includes(':')) {
    return 'must not contain a password; set connection.password instead';
  }
  const port = jdbc ? jdbc[2] : pg?.[3];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    return `port must be between 1 and 65535, got ${port}`;
  }
  return undefined;
}

const TIMESTAMP_INITIAL = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** `timestamp.initial`: `yyyy-MM-dd HH:mm:ss`, and a real calendar date and time. */
export function checkTimestampInitial(value: string): string | undefined {
  const m = TIMESTAMP_INITIAL.exec(value);
  const bad = `must be a date and time as yyyy-MM-dd HH:mm:ss, got ${show(value)}`;
  if (!m) return bad;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const valid =
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59;
  return valid ? undefined : bad;
}

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
const TOPIC_CHARS = /^[A-Za-z0-9._-]*$/;

/** A Kafka topic name: letters, digits, '.', '_' and '-', at most 249 characters. */
export function checkTopicName(name: string): string | undefined {
  return TOPIC_NAME.test(name) && name !== '.' && name !== '..'
    ? undefined
    : `${show(name)} is not a valid Kafka topic name (letters, digits, '.', '_', '-'; at most 249 characters)`;
}

/** Parts of topic names (`topic.prefix`, `topic.delimiter`): only characters Kafka allows in topic names. */
export function checkTopicPart(value: string): string | undefined {
  return TOPIC_CHARS.test(value)
    ? undefined
    : `may contain only letters, digits, '.', '_' and '-' (it becomes part of topic names), got ${show(value)}`;
}

/** `topics.regex`: a regular expression that compiles. */
export function checkRegex(value: string): string | undefined {
  try {
    new RegExp(value);
    return undefined;
  } catch (error) {
    return `is not a valid regular expression: ${(error as Error).message}`;
  }
}

/** `errors.deadletterqueue.topic.name`: empty (no dead letter queue) or a valid topic name. */
export function checkOptionalTopicName(value: string): string | undefined {
  return value === '' ? undefined : checkTopicName(value);
}

const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/** `name`: as in Kafka Connect, not empty and without control characters. */
export function checkConnectorName(value: string): string | undefined {
  if (value === '') return 'must not be empty';
  return CONTROL_CHARS.test(value) ? `must not contain control characters, got ${show(value)}` : undefined;
}

/** `connector.class`: one of the two connectors, by class name or alias. */
export function checkConnectorClass(value: string): string | undefined {
  return resolveConnectorClass(value)
    ? undefined
    : `unknown connector class ${show(value)}; use one of ${CONNECTOR_CLASS_ALIASES.join(', ')}`;
}

/** `key.converter`, `value.converter`: only the StringConverter (or nothing). */
export function checkConverter(value: string): string | undefined {
  return value === STRING_CONVERTER
    ? undefined
    : `only ${STRING_CONVERTER} is supported, because records are plain text in one of the four ` +
        `message formats (json_kaiwudb, json_opentsdb, line_opentsdb, line_influxdb); got ${show(value)}`;
}
