import config from '@bank/eslint-config';
export default config;
