// Table, column, tag and database names come from messages: they are validated
// here and always double-quoted in SQL, never concatenated raw.
//
// kwdb dialect: KWDB's own rules (kwdb-rules.ts): at most 128 bytes for tables, columns and tags,
// 63 for databases, and only ASCII letters, digits, punctuation and spaces (KWDB refuses every
// other character in time-series names, error 42602).
// postgres dialect: its own rule. PostgreSQL silently truncates names longer than 63 bytes
// (NAMEDATALEN), so every name is at most 63 bytes (two long names must never collide after
// truncation), and Han characters are refused as KWDB's documentation says.
// Both: we refuse what no quoting can make safe or readable: an empty name, control characters
// (including NUL), double quotes and invalid UTF-16.

import { IdentifierError } from './errors';
import {
  NAME_CHARACTER_RULE,
  NAME_FORBIDDEN_CHARACTER,
  NAME_MAX_BYTES,
  type IdentifierKind,
} from './kwdb-rules';

export type { IdentifierKind } from './kwdb-rules';
export type DialectName = 'kwdb' | 'postgres';

/** Maximum name length in UTF-8 bytes per dialect and kind. */
export function maxIdentifierBytes(dialect: DialectName, kind: IdentifierKind): number {
  return dialect === 'postgres' ? 63 : NAME_MAX_BYTES[kind];
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const HAN = /\p{Script=Han}/u;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** `"é" (U+00E9)`: a character and its code point, for messages. */
function showCharacter(ch: string): string {
  const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `${JSON.stringify(ch)} (U+${code})`;
}

/**
 * Throws an IdentifierError naming the name and the rule when `name` is not a valid name of this
 * kind. `table`: the table a column or tag name belongs to, named in the message.
 */
export function validateIdentifier(
  name: string,
  kind: IdentifierKind,
  dialect: DialectName,
  table?: string,
): string {
  const where = table === undefined || kind === 'table' ? '' : `table ${JSON.stringify(table)}: `;
  const fail = (message: string): never => {
    throw new IdentifierError(`${where}${message}`);
  };
  if (typeof name !== 'string' || name.length === 0) fail(`${kind} name must not be empty`);
  const shown = JSON.stringify(name);
  if (LONE_SURROGATE.test(name)) fail(`${kind} name ${shown} is not valid UTF-8`);
  if (CONTROL.test(name)) fail(`${kind} name ${shown} contains a control character`);
  if (name.includes('"')) fail(`${kind} name ${shown} contains a double quote`);
  if (dialect === 'kwdb') {
    const bad = NAME_FORBIDDEN_CHARACTER.exec(name);
    if (bad) fail(`${kind} name ${shown} contains ${showCharacter(bad[0])}: ${NAME_CHARACTER_RULE}`);
  } else if (HAN.test(name)) {
    fail(`${kind} name ${shown} contains Chinese characters (KWDB forbids them)`);
  }
  const max = maxIdentifierBytes(dialect, kind);
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > max) fail(`${kind} name ${shown} is ${bytes} bytes long; the limit is ${max}`);
  return name;
}

/** Quotes a validated name: `"name"`. Validation rejects `"`, so no escaping is needed, but we double it anyway. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Validates then quotes. */
export function ident(name: string, kind: IdentifierKind, dialect: DialectName): string {
  return quoteIdentifier(validateIdentifier(name, kind, dialect));
}
