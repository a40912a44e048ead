// Entry point of the `kwdb-connect` command (see `kwdb-connect --help`).
import { readFile } from 'node:fs/promises';
import { runCli } from './cli';

async function readInput(file: string): Promise<Uint8Array> {
  if (file !== '-') return readFile(file);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const status = await runCli(process.argv.slice(2), {
  readInput,
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
});
process.exitCode = status;
