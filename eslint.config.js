// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/**
 * The layer arrows of docs/architecture.md, enforced here.
 * `electron` may be imported at run time only by electron/main and electron/preload;
 * type-only imports are allowed everywhere (they vanish at build time).
 */
const electronOnlyAtTheEdge = {
  name: 'electron',
  message:
    'Only electron/main and electron/preload may import electron at run time (see docs/architecture.md).',
  allowTypeImports: true,
};
const nodeBuiltins = {
  group: [
    'node:*',
    'fs',
    'fs/*',
    'path',
    'os',
    'child_process',
    'crypto',
    'http',
    'https',
    'net',
    'url',
    'stream',
    'util',
    'worker_threads',
    'events',
  ],
  message: 'This layer runs without Node: use the typed contract instead.',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'release/',
      'test-results/',
      'coverage/',
      'tests/fixtures/',
      '.restyle-dev/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ ...electronOnlyAtTheEdge, allowTypeImports: false }, 'react'],
          patterns: [
            nodeBuiltins,
            {
              group: ['**/electron/**', '**/renderer/**'],
              message: 'shared/ imports nothing outside shared/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: {
      // Core is handed the environment, the OS and the folders (CoreDeps, HostOs):
      // main, the CLI and scripts read them, so every host and test composes core alike.
      'no-restricted-properties': [
        'error',
        ...['env', 'platform'].map((property) => ({
          object: 'process',
          property,
          message: `electron/core never reads process.${property}: the edge passes it (see docs/architecture.md).`,
        })),
      ],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            electronOnlyAtTheEdge,
            'electron-store',
            'react',
            ...['node:os', 'os'].map((name) => ({
              name,
              importNames: ['homedir', 'userInfo', 'platform'],
              message:
                'electron/core never reads the home folder or the OS itself: the edge passes them (see docs/architecture.md).',
            })),
          ],
          patterns: [
            {
              group: [
                '**/electron/main/**',
                '**/electron/preload/**',
                '**/main/**',
                '**/preload/**',
                '**/renderer/**',
              ],
              message:
                'electron/core is plain Node: it may import shared/ and its own modules only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ ...electronOnlyAtTheEdge, allowTypeImports: false }],
          patterns: [
            nodeBuiltins,
            {
              group: ['**/electron/**'],
              message: 'The renderer talks to main only through the typed contract in shared/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/core/**', '**/main/**', '**/renderer/**'],
              message: 'The preload exposes the contract and nothing else.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
