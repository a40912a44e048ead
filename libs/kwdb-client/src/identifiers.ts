// Table, column, tag and database names come from messages: they are validated
// here and always double-quoted in SQL, never concatenated raw.
//
// KWDB's rules (reference/kwdb.md section 1, KWDB/docs en/sql-reference/ddl/ts-db/ts-table.md
// and ts-database.md): table, column and tag names at most 128 bytes, database
// names at most 63 bytes, no Chinese characters. PostgreSQL silently truncates
// names longer than 63 bytes (NAMEDATALEN), so the postgres dialect allows 63
// bytes for every name: two long names must never collide after truncation.
// On top of that we refuse what no quoting can make safe or readable: an empty
// name, control characters (including NUL), double quotes and invalid UTF-16.

import { IdentifierError } from './errors';

export type IdentifierKind = 'table' | 'column' | 'tag' | 'database';
export type DialectName = 'kwdb' | 'postgres';

/** Maximum name length in UTF-8 bytes per dialect and kind. */
export function maxIdentifierBytes(dialect: DialectName, kind: IdentifierKind): number {
  if (dialect === 'postgres') return 63;
  return kind === 'database' ? 63 : 128;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const HAN = /\p{Script=Han}/u;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Throws an IdentifierError naming the rule when `name` is not a valid name of this kind. */
export function validateIdentifier(name: string, kind: IdentifierKind, dialect: DialectName): string {
  if (typeof name !== 'string' || name.length === 0)
    throw new IdentifierError(`${kind} name must not be empty`);
  const shown = JSON.stringify(name);
  if (LONE_SURROGATE.test(name)) throw new IdentifierError(`${kind} name ${shown} is not valid UTF-8`);
  if (CONTROL.test(name)) throw new IdentifierError(`${kind} name ${shown} contains a control character`);
  if (name.includes('"')) throw new IdentifierError(`${kind} name ${shown} contains a double quote`);
  if (HAN.test(name))
    throw new IdentifierError(`${kind} name ${shown} contains Chinese characters (KWDB forbids them)`);
  const max = maxIdentifierBytes(dialect, kind);
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > max)
    throw new IdentifierError(`${kind} name ${shown} is ${bytes} bytes long; the limit is ${max}`);
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
