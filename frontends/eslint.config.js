// Front-end lint: the repository's shared config plus the React hooks rules.
import base from '@bank/eslint-config';
import reactHooks from 'eslint-plugin-react-hooks';

export default [
  ...base,
  { ignores: ['**/artifacts/**'] },
  {
    files: ['**/*.tsx', '**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
];
