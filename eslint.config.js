import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-output/**', 'scratch/**', 'src/console/app/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // policy/ is a pure library: no I/O, no clock, nothing of ours (DESIGN.md rule 1).
    files: ['src/policy/**/*.ts'],
    ignores: ['src/policy/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'net', 'http', '../*', '!./*'] }],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'policy/ never reads the clock' },
      ],
    },
  },
  {
    files: ['src/policy/conditions/**/*.ts'],
    ignores: ['src/policy/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'net', 'http', '../../*'] }],
    },
  },
);
