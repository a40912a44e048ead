// Flat ESLint config for the whole workspace.
// Module boundaries: libs/formats (tag scope:pure) may import no I/O package; the
// rule is proven to fire by tools/workspace/src/module-boundaries.test.ts.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** npm packages that do I/O: a scope:pure project may import none of them. */
export const IO_PACKAGES = [
  'pg',
  'pg-*',
  'kafkajs',
  'express',
  '@kubernetes/client-node',
  'prom-client',
  'pino',
];

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '.nx/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'scope:pure',
              onlyDependOnLibsWithTags: ['scope:pure'],
              bannedExternalImports: IO_PACKAGES,
            },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Node built-ins that do I/O are off limits in pure libraries (tag scope:pure) too;
    // their tests and test helpers may read fixtures.
    files: ['libs/formats/src/**/*.ts', 'libs/connector-config/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/test-helpers.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^(node:)?(fs|fs/promises|net|http|https|http2|dgram|child_process|cluster|worker_threads|tls|dns)$',
              message: 'scope:pure libraries (libs/formats, libs/connector-config) do no I/O.',
            },
          ],
        },
      ],
    },
  },
  prettier,
];
