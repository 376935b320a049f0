import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
    // TypeScript already checks names; ESLint's no-undef does not know type-only names.
    rules: { 'no-undef': 'off' },
  },
  {
    // The core is pure: it runs the same in Node, in a worker and in the CLI.
    files: ['src/core/**/*.ts'],
    languageOptions: { globals: { ...globals.es2022 } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['svelte', 'svelte/*', 'maplibre-gl', 'maplibre-gl/*', 'comlink'],
              message: 'src/core stays free of UI and worker libraries.',
            },
            {
              group: ['**/app/**', '**/ui/**', '**/workers/**', 'node:*'],
              message: 'src/core must not depend on the app, the UI, workers or Node built-ins.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'localStorage', 'navigator'],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/app/**', '**/ui/**', '**/workers/**', 'svelte', 'maplibre-gl'], message: 'The CLI imports only src/core.' },
          ],
        },
      ],
    },
  },
);
