import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { runCli } from './cli';

const root = join(import.meta.dirname, '..', '..', '..');
const testdata = join(root, 'libs', 'formats', 'src');
const guide = (path: string) => readFileSync(join(testdata, path), 'utf8');

async function run(argv: string[], input = '') {
  const out: string[] = [];
  const err: string[] = [];
  const status = await runCli(argv, {
    readInput: async () => Buffer.from(input),
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
  });
  return { status, out, err };
}

describe('kwdb-connect decode', () => {
  it.each([
    ['json_kaiwudb', 'ms', 'json-kaiwudb/testdata/guide-format-example'],
    ['json_kaiwudb', 'ms', 'json-kaiwudb/testdata/guide-source-output'],
    ['json_opentsdb', 'ms', 'json-opentsdb/testdata/guide-example'],
    ['line_influxdb', 'ns', 'line-influxdb/testdata/guide-example'],
  ])('prints the guide example of %s as exact batch JSON (%s)', async (protocol, precision, file) => {
    const { status, out, err } = await run(
      ['decode', '--protocol', protocol, '--precision', precision, '-'],
      guide(`${file}.txt`),
    );
    expect(err).toEqual([]);
    expect(status).toBe(0);
    if (protocol !== 'line_influxdb') expect(out.join('\n') + '\n').toBe(guide(`${file}.expected.jsonl`));
    else expect(out).toHaveLength(4); // one message (and batch) per input line
    expect(out.join('\n')).not.toContain('2535208944865431000');
  });

  it('prints c3 digit for digit', async () => {
    const { out } = await run(
      ['decode', '--protocol=json_kaiwudb'],
      guide('json-kaiwudb/testdata/guide-sink-test-data.txt'),
    );
    expect(out[0]).toContain('"c3":2535208944865431245');
  });

  it('reports errors as <file>:<line>:<column>: <code>: <message>, prints the good lines and exits 1', async () => {
    const input = 't.c 1 1 k=v\nt.c 2 x k=v\n\nt.c 3 3\n';
    const { status, out, err } = await run(['decode', '--protocol', 'line_opentsdb', 'points.txt'], input);
    expect(status).toBe(1);
    expect(out).toEqual([expect.stringContaining('"rows":[{"timestamp":1,"c":"1","k":"v"}]')]);
    expect(err).toEqual([
      'points.txt:2:7: FORMAT_INVALID_NUMBER: invalid value "x"',
      'points.txt:4:8: FORMAT_MISSING_PRIMARY_TAG: line ends before its tag',
    ]);
  });

  it.each([
    ['no command', ['frobnicate'], 2, /unknown command/],
    ['no protocol', ['decode'], 2, /needs --protocol/],
    ['an unknown protocol', ['decode', '--protocol', 'csv'], 2, /unknown protocol "csv"/],
    [
      'an unknown precision',
      ['decode', '--protocol', 'json_kaiwudb', '--precision', 'h'],
      2,
      /unknown precision "h"/,
    ],
    [
      'a precision the format refuses',
      ['decode', '--protocol', 'line_opentsdb', '--precision', 'ns'],
      2,
      /supports --precision s, ms/,
    ],
    ['two files', ['encode', '--format', 'json_kaiwudb', 'a', 'b'], 2, /more than one FILE/],
  ])('refuses %s with status 2', async (_name, argv, status, message) => {
    const result = await run(argv);
    expect(result.status).toBe(status);
    expect(result.err.join('\n')).toMatch(message);
  });

  it('documents both commands in --help', async () => {
    const { status, out } = await run(['--help']);
    expect(status).toBe(0);
    expect(out[0]).toContain('kwdb-connect decode --protocol <p> [--precision <u>] [FILE|-]');
    expect(out[0]).toContain('kwdb-connect encode --format <f> [--precision <u>] [FILE|-]');
  });
});

describe('kwdb-connect encode', () => {
  it('turns decoded batches back into the guide source message, digit for digit', async () => {
    const message = guide('json-kaiwudb/testdata/guide-source-output.txt');
    const decoded = await run(['decode', '--protocol', 'json_kaiwudb'], message);
    const encoded = await run(['encode', '--format', 'json_kaiwudb'], decoded.out.join('\n'));
    expect(encoded.err).toEqual([]);
    expect(encoded.status).toBe(0);
    // The guide prints "columns","data","tags" in that order; our encoder follows it exactly.
    expect(encoded.out.join('\n') + '\n').toBe(message);
  });

  it.each([
    [
      'line_influxdb',
      'ms',
      'json-kaiwudb/testdata/guide-sink-test-data',
      'ts_json_kaiwudb_tb,location=tianjin,temperature=35.5 c1=11i16,c2=21i32,c3=2535208944865431245i64,c4=6.14545f32,c5=5.15656f64,c6=true 1690855924005',
    ],
    [
      'line_opentsdb',
      'ms',
      'line-opentsdb/testdata/guide-example',
      'ts_line_opentsdb_tb.c1 1648432611249 10.3 tag1=1',
    ],
  ])('encodes to %s', async (format, precision, file, firstLine) => {
    const protocol = file.startsWith('json-kaiwudb') ? 'json_kaiwudb' : 'line_opentsdb';
    const decoded = await run(
      ['decode', '--protocol', protocol, '--precision', precision],
      guide(`${file}.txt`),
    );
    const encoded = await run(
      ['encode', '--format', format, '--precision', precision],
      decoded.out.join('\n'),
    );
    expect(encoded.status).toBe(0);
    expect(encoded.out[0]).toBe(firstLine);
  });

  it('reports values the format cannot express with the input line', async () => {
    const decoded = await run(
      ['decode', '--protocol', 'json_kaiwudb'],
      guide('json-kaiwudb/testdata/guide-sink-test-data.txt'),
    );
    const encoded = await run(
      ['encode', '--format', 'line_opentsdb', 'batches.jsonl'],
      decoded.out.join('\n'),
    );
    expect(encoded.status).toBe(1);
    expect(encoded.err).toEqual([
      'batches.jsonl:1:1: FORMAT_NOT_REPRESENTABLE: value "true" of ts_json_kaiwudb_tb.c6 is not a number',
    ]);
  });
});

describe('the built kwdb-connect bundle', () => {
  it('runs as a process: reads stdin, writes stdout and stderr, sets the exit status', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'kwdb-connect-cli-'));
    await build({
      entryPoints: [join(root, 'apps', 'cli', 'src', 'main.ts')],
      outfile: join(outdir, 'main.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      tsconfig: join(root, 'apps', 'cli', 'tsconfig.json'),
      logLevel: 'silent',
    });
    const input = 'm,t=a f=1i,s="x y" 1700000000000\nm f=oops 1\n';
    const result = spawnSync(
      process.execPath,
      [join(outdir, 'main.mjs'), 'decode', '--protocol', 'line_influxdb', '-'],
      { input, encoding: 'utf8' },
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toBe(
      '{"table":"m","columns":[{"name":"","type":"TIMESTAMPTZ"},{"name":"f","type":"INT8","inferred":true},{"name":"s","type":"VARCHAR","inferred":true}],' +
        '"tags":[{"name":"t","type":"VARCHAR","primary":false,"nullable":true,"inferred":true}],"rows":[{"":1700000000000,"f":1,"s":"x y","t":"a"}]}\n',
    );
    expect(result.stderr).toBe('<stdin>:2:5: FORMAT_WRONG_TYPE: field "f" has invalid value "oops"\n');
  });
});
