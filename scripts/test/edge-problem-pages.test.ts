// nginx's own error responses are problem+json in both edges: the native configuration
// (ingress-nginx/native/problem-pages.conf + problem-locations.conf) and the ingress-nginx
// controller's server-snippet (ingress-nginx/values-kind.yaml) map the same statuses to the
// same codes, and no protocol error nginx raises is left as a 5xx.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { REPO_ROOT } from '../lib/local-env.ts';

const native = `${REPO_ROOT}/ingress-nginx/native`;
const pages = readFileSync(`${native}/problem-pages.conf`, 'utf8');
const locations = readFileSync(`${native}/problem-locations.conf`, 'utf8');
const values = parse(readFileSync(`${REPO_ROOT}/ingress-nginx/values-kind.yaml`, 'utf8')) as { controller: { config: Record<string, string> } };
const snippet = values.controller.config['server-snippet'] ?? '';

const errorPages = (text: string) => [...text.matchAll(/^\s*error_page ([\d ]+) =\d{3} (\/_edge\/problem\/[\w-]+);/gm)].map((m) => `${m[1]!.trim()} → ${m[2]}`);
const problems = (text: string) =>
  Object.fromEntries([...text.matchAll(/location = (\/_edge\/problem\/[\w-]+) \{.*?return (\d+) '(\{.*?\})';/gs)].map((m) => [m[1]!, { status: Number(m[2]), body: m[3]! }]));

t.test('every nginx error page answers problem+json with a stable code', async (t) => {
  const named = problems(locations);
  t.ok(Object.keys(named).length >= 10, `${Object.keys(named).length} problem locations`);
  for (const [name, { status, body }] of Object.entries(named)) {
    const parsed = JSON.parse(body.replace('$edge_request_id', 'id')) as { status: number; code: string };
    t.equal(parsed.status, status, `${name}: body status matches`);
    t.match(parsed.code, /^[A-Z][A-Z0-9_]+$/, `${name}: code ${parsed.code}`);
  }
  for (const page of errorPages(pages)) t.ok(named[page.split('→ ')[1]!], `${page} has a location`);
  t.match(pages, /error_page 400 494 501 505 =400 \/_edge\/problem\/bad-request;/, 'unsupported transfer-encoding / HTTP version: 400, not 5xx');
  t.ok(locations.split('location = ').slice(1).every((l) => l.includes('internal;') && l.includes('types { }') && l.includes('default_type application/problem+json')), 'internal only; the URI extension never changes the type');
});

t.test('ingress-nginx (Kubernetes) uses the same pages and codes', async (t) => {
  t.same(errorPages(snippet), errorPages(pages), 'same error_page mapping');
  const native = problems(locations);
  const ingress = problems(snippet);
  for (const [name, { status, body }] of Object.entries(native)) {
    t.equal(ingress[name]?.status, status, `${name}: ${status}`);
    t.equal(ingress[name]?.body, body.replace('$edge_request_id', '$request_id'), `${name}: same body`);
  }
});
