import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/data/**', 'docs/openapi.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // The app's CommonJS config for Babel and Jest (and Jest's set-up), as those tools load it.
    files: ['apps/app/*.js', 'apps/app/jest/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node, ...globals.jest } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Dependency direction: protocol <- client <- app; protocol <- server. Nothing imports the server.
  {
    files: ['packages/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@parley/*', '**/apps/**'], message: 'The protocol depends on nothing of ours.' }] },
      ],
    },
  },
  {
    files: ['packages/**/*.ts', 'apps/app/**/*.{ts,tsx}'],
    // Tests of clients run them against a real server, started through the server's test kit.
    ignores: ['**/*.test.ts', '**/src/testing/**', 'apps/app/e2e/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@parley/server', '**/apps/server/**'], message: 'Nothing imports the server.' }] },
      ],
    },
  },
  {
    // Clients carry no schema library: the protocol's schemas (zod) were a third of the web app's
    // script, parsed on every start. Types from the protocol, values from its plain entry points.
    files: ['packages/client/**/*.ts', 'apps/app/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}', 'apps/app/e2e/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@parley/protocol',
              allowTypeImports: true,
              message: 'Types only here: values come from @parley/protocol/constants (or /search-query).',
            },
            { name: 'zod', message: 'Clients carry no schema library.' },
          ],
        },
      ],
    },
  },
  {
    // Message markdown is pure text in, tree out: the server and every client may use it.
    files: ['packages/markdown/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@parley/*', '**/apps/**'], message: 'The markdown package depends on nothing of ours.' },
          ],
        },
      ],
    },
  },
  prettier,
);
