// decode(): one Kafka record value -> batches and errors, for any of the four formats.
import type { DecodeContext, DecodeResult } from './decode-context';
import { addError } from './decode-context';
import { FormatError } from './errors';
import { decodeJsonKaiwudb } from './json-kaiwudb/decode';
import { decodeJsonOpentsdb } from './json-opentsdb/decode';
import type { Limits } from './limits';
import { resolveLimits } from './limits';
import { decodeLineInfluxdb } from './line-influxdb/decode';
import { decodeLineOpentsdb } from './line-opentsdb/decode';
import type { Batch, Precision, Protocol } from './model';
import { PROTOCOLS } from './model';
import { decodeUtf8, utf8LineAndColumn } from './utf8';
import { utf8ByteLength } from './values';

export interface DecodeOptions {
  /** `timestamp.precision`: the unit of epoch numbers in messages (OpenTSDB: s or ms; others: ms, us, ns). */
  precision: Precision;
  /** Where the message comes from, for error locations: a name and the line of its first line (default 1). */
  source?: { name?: string; line?: number };
  limits?: Partial<Limits>;
}

/** Precisions each format accepts (guide, sink parameter `timestamp.precision`). */
export const SUPPORTED_PRECISIONS: Record<Protocol, readonly Precision[]> = {
  json_kaiwudb: ['ms', 'us', 'ns'],
  json_opentsdb: ['s', 'ms'],
  line_opentsdb: ['s', 'ms'],
  line_influxdb: ['ms', 'us', 'ns'],
};

const DECODERS: Record<Protocol, (text: string, ctx: DecodeContext) => Batch[]> = {
  json_kaiwudb: decodeJsonKaiwudb,
  json_opentsdb: decodeJsonOpentsdb,
  line_opentsdb: decodeLineOpentsdb,
  line_influxdb: decodeLineInfluxdb,
};

/**
 * Decodes one message. Never throws for a bad message: every good row is returned in `batches`
 * and every problem in `errors`. Throws FormatError FORMAT_UNSUPPORTED_PRECISION for a precision
 * the format does not support (a configuration error, not a message error).
 */
export function decode(
  protocol: Protocol,
  message: string | Uint8Array,
  options: DecodeOptions,
): DecodeResult {
  const ctx = createContext(protocol, options);
  const text = messageText(message, ctx);
  if (text === undefined) return { batches: [], errors: ctx.errors };
  const batches = DECODERS[protocol](text, ctx);
  return { batches, errors: ctx.errors };
}

export function createContext(protocol: Protocol | undefined, options: DecodeOptions): DecodeContext {
  if (protocol !== undefined) {
    if (!PROTOCOLS.includes(protocol)) {
      throw new FormatError({
        code: 'FORMAT_UNKNOWN_FIELD',
        message: `unknown protocol ${JSON.stringify(protocol)}; expected one of ${PROTOCOLS.join(', ')}`,
      });
    }
    if (!SUPPORTED_PRECISIONS[protocol].includes(options.precision)) {
      throw new FormatError({
        code: 'FORMAT_UNSUPPORTED_PRECISION',
        format: protocol,
        expected: SUPPORTED_PRECISIONS[protocol].join(', '),
        message: `${protocol} supports timestamp.precision ${SUPPORTED_PRECISIONS[protocol].join(', ')}, not ${JSON.stringify(options.precision)}`,
      });
    }
  }
  return {
    format: protocol,
    precision: options.precision,
    limits: resolveLimits(options.limits),
    source: options.source?.name,
    firstLine: options.source?.line ?? 1,
    errors: [],
  };
}

/** The message as text: size-checked, and UTF-8-checked when given as bytes. */
export function messageText(message: string | Uint8Array, ctx: DecodeContext): string | undefined {
  const max = ctx.limits.maxMessageBytes;
  const size =
    typeof message === 'string'
      ? message.length > max / 3
        ? utf8ByteLength(message)
        : message.length
      : message.length;
  if (size > max) {
    addError(
      ctx,
      'FORMAT_MESSAGE_TOO_LARGE',
      `at most ${max} bytes`,
      `message is ${size} bytes, more than the limit of ${max}`,
      { line: 1, column: 1 },
    );
    return undefined;
  }
  if (typeof message === 'string') return message;
  const text = decodeUtf8(message);
  if (typeof text === 'string') return text;
  addError(
    ctx,
    'FORMAT_INVALID_UTF8',
    'UTF-8 text',
    `invalid UTF-8 at byte ${text.invalidAt}`,
    utf8LineAndColumn(message, text.invalidAt),
  );
  return undefined;
}
