// Command-line arguments of `kwdb-connect`.
import type { Precision, Protocol } from '@kwdb-connect/formats';
import { PRECISIONS, PROTOCOLS } from '@kwdb-connect/formats';

export const USAGE = `Usage:
  kwdb-connect decode --protocol <p> [--precision <u>] [FILE|-]
  kwdb-connect encode --format <f> [--precision <u>] [FILE|-]
  kwdb-connect --help

decode  Reads messages of protocol <p>, one per line (a JSON document per line for the JSON
        formats), from FILE or standard input (- or no FILE). Prints one line per decoded batch:
          {"table":...,"columns":[...],"tags":[...],"rows":[{...}]}
        rows keyed by column and tag name; INT8 values and timestamps as exact JSON integers,
        timestamps as epochs in <u>. Errors go to standard error as
          <file>:<line>:<column>: <code>: <message>
        and the exit status is 1 if any message failed (good rows are still printed).

encode  Reads batches in the form decode prints, one per line, and prints the Kafka record
        values of format <f>, one per line (a json_opentsdb or json_kaiwudb record holds all
        rows of one device; line formats give one line per row or data point).

Options:
  --protocol <p>   json_kaiwudb | json_opentsdb | line_opentsdb | line_influxdb
  --format <f>     same values as --protocol
  --precision <u>  unit of epoch timestamps: s | ms | us | ns (default ms; OpenTSDB: s or ms,
                   others: ms, us or ns)
  -h, --help       show this help

Exit status: 0 all messages succeeded, 1 some message failed, 2 usage error.`;

export type Command =
  { kind: 'help' } | { kind: 'decode' | 'encode'; protocol: Protocol; precision: Precision; file: string };

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseArgs(argv: string[]): Command {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) return { kind: 'help' };
  const [kind, ...rest] = argv;
  if (kind !== 'decode' && kind !== 'encode') throw new UsageError(`unknown command ${JSON.stringify(kind)}`);
  const formatFlag = kind === 'decode' ? '--protocol' : '--format';
  let protocol: string | undefined;
  let precision = 'ms';
  let file: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === formatFlag || arg === '--precision') {
      const value = rest[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      if (arg === formatFlag) protocol = value;
      else precision = value;
    } else if (arg.startsWith('--') && arg.includes('=')) {
      const [flag, value] = [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)];
      if (flag === formatFlag) protocol = value;
      else if (flag === '--precision') precision = value;
      else throw new UsageError(`unknown option ${flag}`);
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option ${arg}`);
    } else if (file === undefined) {
      file = arg;
    } else {
      throw new UsageError(`more than one FILE: ${JSON.stringify(file)} and ${JSON.stringify(arg)}`);
    }
  }
  if (protocol === undefined) throw new UsageError(`${kind} needs ${formatFlag} <${PROTOCOLS.join('|')}>`);
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new UsageError(
      `unknown ${formatFlag.slice(2)} ${JSON.stringify(protocol)}; expected one of ${PROTOCOLS.join(', ')}`,
    );
  }
  if (!(PRECISIONS as readonly string[]).includes(precision)) {
    throw new UsageError(
      `unknown precision ${JSON.stringify(precision)}; expected one of ${PRECISIONS.join(', ')}`,
    );
  }
  return { kind, protocol: protocol as Protocol, precision: precision as Precision, file: file ?? '-' };
}
