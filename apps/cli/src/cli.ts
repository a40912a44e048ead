// The `kwdb-connect` command: decode and encode messages offline. The I/O is injected so tests
// can run it in memory; main.ts wires it to the process.
import type { FormatError } from '@kwdb-connect/formats';
import {
  FormatError as FormatErrorClass,
  SUPPORTED_PRECISIONS,
  batchFromJson,
  batchToJson,
  decode,
  encode,
} from '@kwdb-connect/formats';
import { USAGE, UsageError, parseArgs } from './args';
import type { Command } from './args';

export interface CliIo {
  /** Reads a whole file, or standard input for "-". */
  readInput(file: string): Promise<Uint8Array>;
  stdout(line: string): void;
  stderr(line: string): void;
}

/** Runs the command and returns the exit status (0 ok, 1 some message failed, 2 usage error). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let command: Command;
  try {
    command = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`kwdb-connect: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (command.kind === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (command.kind === 'decode' && !SUPPORTED_PRECISIONS[command.protocol].includes(command.precision)) {
    io.stderr(
      `kwdb-connect: ${command.protocol} supports --precision ${SUPPORTED_PRECISIONS[command.protocol].join(', ')}`,
    );
    return 2;
  }
  let input: Uint8Array;
  try {
    input = await io.readInput(command.file);
  } catch (error) {
    io.stderr(`kwdb-connect: cannot read ${command.file}: ${(error as Error).message}`);
    return 2;
  }
  const sourceName = command.file === '-' ? '<stdin>' : command.file;
  let failed = false;
  const report = (error: FormatError) => {
    failed = true;
    io.stderr(error.toString());
  };
  for (const { bytes, line } of splitLines(input)) {
    const options = { precision: command.precision, source: { name: sourceName, line } };
    if (command.kind === 'decode') {
      const { batches, errors } = decode(command.protocol, bytes, options);
      for (const batch of batches) {
        if (batch.rows.length > 0 || errors.length === 0) io.stdout(batchToJson(batch, command.precision));
      }
      errors.forEach(report);
    } else {
      const { batches, errors } = batchFromJson(bytes, options);
      errors.forEach(report);
      for (const batch of batches) {
        try {
          for (const record of encode(command.protocol, batch, { precision: command.precision }))
            io.stdout(record.value);
        } catch (error) {
          if (!(error instanceof FormatErrorClass)) throw error;
          report(
            new FormatErrorClass({
              code: error.code,
              format: error.format,
              source: sourceName,
              line,
              column: 1,
              message: error.message,
            }),
          );
        }
      }
    }
  }
  return failed ? 1 : 0;
}

/** Non-empty lines of the input (bytes, so each line's UTF-8 is checked on its own), with 1-based line numbers. */
export function* splitLines(input: Uint8Array): Generator<{ bytes: Uint8Array; line: number }> {
  let start = 0;
  let line = 1;
  while (start < input.length) {
    let end = input.indexOf(0x0a, start);
    if (end < 0) end = input.length;
    const contentEnd = end > start && input[end - 1] === 0x0d ? end - 1 : end;
    if (contentEnd > start) yield { bytes: input.subarray(start, contentEnd), line };
    start = end + 1;
    line++;
  }
}
