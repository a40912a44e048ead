// Last line of defence against secrets in logs: rewrites one serialized JSON log line so that
// password-like values are replaced by "[Redacted]" wherever they appear, including inside
// strings (an error message that embeds a config object as JSON, util.inspect output, a URL
// with credentials, `password=...`). pino's `redact` paths handle structured fields first;
// this catches what paths cannot reach (free text, deep or unexpected nesting).
//
// Every replacement swaps whole JSON string tokens for plain text, so the line stays valid JSON.

export const REDACTED = '[Redacted]';

/** Key names whose values are secrets (matched case-insensitively, anywhere in the key). */
const SECRET_KEY = String.raw`[^"'\\\s:=,{}]*(?:password|passwd|pwd|secret)[^"'\\\s:=,{}]*`;

const JSON_SCALAR = String.raw`"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false`;

const PATTERNS: readonly { regex: RegExp; replace: string }[] = [
  // A structured field at any depth: "connection.password":"s3cret"
  {
    regex: new RegExp(String.raw`("${SECRET_KEY}"\s*:\s*)(?:${JSON_SCALAR})`, 'gi'),
    replace: `$1"${REDACTED}"`,
  },
  // JSON embedded in a string: \"connection.password\":\"s3cret\"
  {
    regex: new RegExp(String.raw`(\\"${SECRET_KEY}\\"\s*:\s*\\")((?:[^"\\]|\\[^"])*)(\\")`, 'gi'),
    replace: `$1${REDACTED}$3`,
  },
  {
    regex: new RegExp(String.raw`(\\"${SECRET_KEY}\\"\s*:\s*)(-?\d+(?:\.\d+)?)`, 'gi'),
    replace: `$1"${REDACTED}"`.replace(/"/g, '\\"'),
  },
  // util.inspect output in a string: { 'connection.password': 's3cret' } or { password: 's3cret' }
  {
    regex: new RegExp(String.raw`(${SECRET_KEY}'?\s*:\s*')((?:[^'"\\]|\\.)*)(')`, 'gi'),
    replace: `$1${REDACTED}$3`,
  },
  // key: value text: "password: s3cret"
  {
    regex: new RegExp(String.raw`(${SECRET_KEY}\s*:\s*)([^\s&;,'"\\{}\[\]]+)`, 'gi'),
    replace: `$1${REDACTED}`,
  },
  // key=value text: password=s3cret, connection.password = s3cret
  { regex: new RegExp(String.raw`(${SECRET_KEY}\s*=\s*)([^\s&;,'"\\]+)`, 'gi'), replace: `$1${REDACTED}` },
  // URL credentials: postgres://user:s3cret@host
  {
    regex: /([a-z][a-z0-9+.-]*:\/\/[^:@/\s"'\\]+:)([^@/\s"'\\]+)(@)/gi,
    replace: `$1${REDACTED}$3`,
  },
];

/**
 * The forms a literal secret takes inside a JSON line: escaped once (a string field) and twice
 * (JSON embedded in a string field). Each form is a sequence of whole JSON string tokens.
 */
function encodedForms(secret: string): string[] {
  const once = JSON.stringify(secret).slice(1, -1);
  const twice = JSON.stringify(once).slice(1, -1);
  return once === twice ? [once] : [once, twice];
}

/** True when `index` in `line` is preceded by an odd number of backslashes (inside an escape). */
function insideEscape(line: string, index: number): boolean {
  let backslashes = 0;
  for (let i = index - 1; i >= 0 && line[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

function replaceLiteral(line: string, needle: string): string {
  let out = '';
  let from = 0;
  for (let at = line.indexOf(needle); at !== -1; at = line.indexOf(needle, at + 1)) {
    if (at < from || insideEscape(line, at)) continue;
    out += line.slice(from, at) + REDACTED;
    from = at + needle.length;
  }
  return out + line.slice(from);
}

/**
 * Returns `line` with password-like values and every occurrence of `knownSecrets` replaced by
 * "[Redacted]". Pure; used as pino's `hooks.streamWrite`.
 */
export function scrubSecrets(line: string, knownSecrets: readonly string[] = []): string {
  let out = line;
  for (const secret of knownSecrets) {
    if (secret.length === 0) continue;
    for (const form of encodedForms(secret)) out = replaceLiteral(out, form);
  }
  for (const { regex, replace } of PATTERNS) out = out.replace(regex, replace);
  return out;
}
