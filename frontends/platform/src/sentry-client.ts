// The part of @sentry/browser the platform uses, in a module of its own so it is loaded with one
// dynamic import (error-reporting.ts) only when a DSN is configured, and tree-shaken to these
// functions (a namespace import of the package would pull in replay, feedback, tracing…).
export { captureException, init, setUser } from '@sentry/browser';
