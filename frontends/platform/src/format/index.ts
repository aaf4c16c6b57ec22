// @bank/platform/format — dates, times and amounts in the display locale, and amounts typed by a
// person parsed into minor units. Pure functions: not a federation singleton, so each app bundles
// what it uses and the sign-in page does not download them (docs/benchmarks/frontend.md). The
// display locale itself (getDisplayLocale, setDisplayLocale, useDisplayLocale) is state and stays
// in '@bank/platform'.
export { formatDate, formatDateTime, formatNumber, formatRelative, formatTimestamp, shortId } from './date-time.ts';
export * from './money.ts';
