// Shared Jest settings for every project. The repository is ESM (see
// docs/adr/0001-esm-and-jest.md): Jest runs with --experimental-vm-modules and
// ts-jest transpiles TypeScript as ES modules, without type-checking (that is
// the `typecheck` target's job).
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));

/** Maps each `@kwdb-connect/x` path alias to its source entry point. */
function aliasMapper() {
  const mapper = {};
  for (const [alias, [target]] of Object.entries(tsconfig.compilerOptions.paths ?? {})) {
    mapper[`^${alias.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`] = join(root, target);
  }
  return mapper;
}

/**
 * Jest config for one project.
 * @param {string} projectDir absolute path of the project (import.meta.dirname of its jest.config.js)
 * @param {{ unitOnly?: boolean }} options unitOnly leaves out *.int.test.ts (tests that need services)
 */
export function jestConfig(projectDir, options = {}) {
  return {
    displayName: relative(root, projectDir),
    rootDir: projectDir,
    testEnvironment: 'node',
    extensionsToTreatAsEsm: ['.ts'],
    moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
    testMatch: ['<rootDir>/**/*.test.ts'],
    testPathIgnorePatterns: [
      '/node_modules/',
      '/dist/',
      ...(options.unitOnly ? ['\\.int\\.test\\.ts$'] : []),
    ],
    transform: {
      '^.+\\.ts$': [
        'ts-jest',
        { useESM: true, tsconfig: join(projectDir, 'tsconfig.json'), diagnostics: false },
      ],
    },
    moduleNameMapper: aliasMapper(),
    testTimeout: 60_000,
  };
}

export default jestConfig;
