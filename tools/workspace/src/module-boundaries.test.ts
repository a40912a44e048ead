// Proves the module-boundary rules in eslint.config.js fire: libs/formats (tag scope:pure)
// may import no I/O package, and libraries may not import applications.
import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root });

async function lintAs(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('module boundaries', () => {
  it.each([
    ['pg', "import pg from 'pg';\nexport const x = pg;\n"],
    ['kafkajs', "import { Kafka } from 'kafkajs';\nexport const x = Kafka;\n"],
    ['express', "import express from 'express';\nexport const x = express;\n"],
    ['@kubernetes/client-node', "import * as k8s from '@kubernetes/client-node';\nexport const x = k8s;\n"],
  ])('libs/formats may not import %s', async (pkg, code) => {
    const messages = await lintAs('libs/formats/src/forbidden.ts', code);
    expect(messages).toEqual([expect.stringMatching(new RegExp(`^@nx/enforce-module-boundaries: .*${pkg}`))]);
  });

  it.each([
    ['node:fs', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['net', "import net from 'net';\nexport const x = net;\n"],
  ])('libs/formats may not import the Node built-in %s', async (_name, code) => {
    const messages = await lintAs('libs/formats/src/forbidden.ts', code);
    expect(messages).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*scope:pure libraries .* do no I\/O/),
    ]);
  });

  it('libs/connector-config may not import node:fs either', async () => {
    const messages = await lintAs(
      'libs/connector-config/src/forbidden.ts',
      "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
    );
    expect(messages).toEqual([expect.stringMatching(/^no-restricted-imports: /)]);
  });

  it('libs/formats may import pure packages', async () => {
    const messages = await lintAs(
      'libs/formats/src/allowed.ts',
      "import { inspect } from 'node:util';\nexport const x = inspect;\n",
    );
    expect(messages).toEqual([]);
  });

  it('an I/O library may import pg', async () => {
    const messages = await lintAs(
      'libs/testing/src/allowed.ts',
      "import pg from 'pg';\nexport const x = pg;\n",
    );
    expect(messages).toEqual([]);
  });
});
