// Shared flat config: typescript-eslint recommended rules plus the few house rules that
// keep services honest (no floating promises would need type info; we keep lint fast and
// leave type errors to `tsc --noEmit`).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/.tap/**', '**/drizzle/meta/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Command-line tools and benchmarks print their results to stdout; services log with pino.
    files: ['**/cli/**', '**/bench/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
);
