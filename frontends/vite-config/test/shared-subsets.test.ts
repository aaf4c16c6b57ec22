// The shared subsets (shared/*.mjs) re-export by name from the real packages: a name that a new
// version drops would only fail in a browser, so every name is checked against the installed
// package here, and the subset must stay a subset (smaller than the package's own exports).
import t from 'tap';
import * as reactRouter from 'react-router';
import * as reactQuery from '@tanstack/react-query';
import * as routerSubset from '../shared/react-router.mjs';
import * as querySubset from '../shared/react-query.mjs';

for (const [name, full, subset] of [
  ['react-router', reactRouter, routerSubset],
  ['@tanstack/react-query', reactQuery, querySubset],
] as const) {
  t.test(`${name}: every name of the subset is an export of the package`, async (t) => {
    const names = Object.keys(subset);
    t.ok(names.length > 5, 'the subset exports the routing/query API');
    for (const n of names) t.equal((subset as Record<string, unknown>)[n], (full as Record<string, unknown>)[n], `${n} is the package's own export`);
    t.ok(names.length < Object.keys(full).length, 'and it is smaller than the package');
  });
}
