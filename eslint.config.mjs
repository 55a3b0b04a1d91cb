// @ts-check
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', 'bench/results/**'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
    },
  },
  // Decorated classes need runtime imports for emitted metadata, so type-only imports can't be forced there.
  {
    files: ['src/**/*.entity.ts', 'src/**/*.resolver.ts', 'src/**/*.inputs.ts', 'src/**/*.types.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  // Which layer may import which is checked by dependency-cruiser (.dependency-cruiser.cjs, npm run lint:layers).
  { files: ['src/cli/**', 'tests/**', 'bench/**', 'tools/**', '*.config.*'], rules: { 'no-console': 'off' } },
  { files: ['**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  prettier,
);
