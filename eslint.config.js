// ESLint (flat config) with typescript-eslint: `npm run lint`, run by .ci/run before the tests.
// Formatting is Prettier's (`npm run format:check`); the folder rules of lib/ (no import cycles
// between folders, layers) are checked by test/architecture.test.ts over the import graph.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['imports/**', 'dist/**', 'examples/dist/**', 'node_modules/**', 'cdk8s.out/**', 'build/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Type-aware rules that catch bugs (the full type-checked presets are slow on this machine).
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      // Unused names are type errors already (noUnusedLocals/noUnusedParameters); `_x` marks a deliberate one.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always'],
      // The escaping and validation code names control characters on purpose (to show or refuse them).
      'no-control-regex': 'off',
      'no-console': 'error',
      'prefer-const': 'error',
      'no-var': 'error',
      'object-shorthand': 'error',
    },
  },
  {
    // A class of static members only is how the public API names Guardrails.allow/configure (cdk-nag style).
    files: ['**/*.ts'],
    rules: { '@typescript-eslint/no-extraneous-class': ['error', { allowStaticOnly: true }] },
  },
  {
    // The command's launcher (plain JavaScript: it runs before any loader).
    files: ['bin/**/*.mjs'],
    languageOptions: { globals: { URL: 'readonly' } },
  },
  {
    // Tests, benchmarks and scripts may print.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Tests walk the emitted manifests as untyped JSON (`obj.spec.provider.aws.auth`); lib/ and
    // the public API stay free of `any` (test/api.test.ts checks the latter too).
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
