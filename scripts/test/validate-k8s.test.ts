// Runs the consistency validation (scripts/validate-k8s.ts) the way CI does, and checks that it
// really fails on broken input: a copy of the delivery files with one defect per area (port
// drift, wrong CRD field, an undefined library template, a required env var missing from a
// chart, a variable no service reads, a RabbitMQ permission drifting from permissionsFor) must
// make it exit non-zero and name each defect. (Values against values.schema.json and the charts'
// rendering are real Helm's: scripts/test/helm.test.ts.)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

t.setTimeout(300_000); // two full runs, each rendering the service charts with Helm
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = path.join(repo, 'scripts', 'validate-k8s.ts');

function run(root?: string) {
  const env = { ...process.env, ...(root ? { VALIDATE_K8S_ROOT: root } : {}) };
  return spawnSync(process.execPath, [script], { cwd: repo, env, encoding: 'utf8', timeout: 170_000 });
}

/** A scratch copy of the delivery files inside the repository (scripts/.tap/scratch, git-ignored)
 * so the copied TypeScript (event contracts, dashboard generator) still resolves the repository's
 * dependencies; Node refuses to strip types under node_modules, hence not node_modules/.cache. */
function scratch(t: Tap.Test): string {
  const cache = path.join(repo, 'scripts', '.tap', 'scratch');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(path.join(cache, 'validate-k8s-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const p of ['charts', 'k8s', 'ingress-nginx', 'skaffold.yaml', 'Tiltfile', '.yamllint', 'services', 'frontends', 'docs']) {
    cpSync(path.join(repo, p), path.join(dir, p), {
      recursive: true,
      filter: (src) => !/(^|\/)(node_modules|\.tap|test|dist)(\/|$)/.test(path.relative(repo, src)),
    });
  }
  return dir;
}
declare namespace Tap { type Test = Parameters<Parameters<typeof t.test>[1]>[0] }

t.test('the repository passes', async (t) => {
  const r = run();
  t.equal(r.status, 0, `exit 0\n${r.stdout}\n${r.stderr}`);
  const summary = /^(\d+) passed, (\d+) failed$/m.exec(r.stdout);
  t.ok(summary, 'prints an "N passed, N failed" line');
  t.ok(Number(summary?.[1]) > 500, `runs hundreds of checks (${summary?.[1]})`);
  t.equal(Number(summary?.[2]), 0, 'no failed check');
  t.notMatch(r.stdout, /^\s+! /m, 'no warnings (every service config checked)');
  t.match(r.stdout, /5 service config\.ts read/, 'all five services\' config.ts read');
  for (const s of ['yamllint', 'charts', 'k8s manifests', 'consistency', 'service env', 'event topology', 'ingress-nginx', 'dashboards']) {
    t.match(r.stdout, new RegExp(`✓ ${s}\\s+\\d+ passed, 0 failed`), `section ${s} ran`);
  }
});

t.test('broken input fails, each defect named', async (t) => {
  const dir = scratch(t);
  const edit = (file: string, f: (text: string) => string) => writeFileSync(path.join(dir, file), f(readFileSync(path.join(dir, file), 'utf8')));
  // Port drift between the chart, the Dockerfile and the Tiltfile.
  edit('charts/profile/values.yaml', (s) => s.replace(/^containerPort: 3004$/m, 'containerPort: 3999'));
  // An unknown field in a custom resource and a mistyped field of a built-in kind.
  edit('k8s/postgres/profile.yaml', (s) => s.replace('  instances: 1', '  instances: 1\n  instancez: 2'));
  edit('k8s/redis/redis.yaml', (s) => s.replace('  replicas: 1\n  selector:', '  replicas: "one"\n  selector:'));
  // A template including an undefined library template.
  writeFileSync(path.join(dir, 'charts/shell/templates/pdb.yaml'), '{{ include "lib.podDisruption" . }}\n');
  // A required env var missing from the chart (Deployment and migration Job).
  edit('charts/auth/values.yaml', (s) => {
    t.match(s, /^  JWT_PRIVATE_KEY_FILE: /m, 'the fixture sets JWT_PRIVATE_KEY_FILE');
    return s.replace(/^  JWT_PRIVATE_KEY_FILE: .*\n/m, '');
  });
  // An env var no service reads, a bad value, EVENTS_PREFIX and MIGRATE_ON_START=true.
  edit('charts/payments/values.yaml', (s) => s
    .replace('  MIGRATE_ON_START: "false"\n', '  MIGRATE_ON_START: "true"\n  PAYMENTS_TYPO_MS: "1"\n  EVENTS_PREFIX: "t."\n')
    .replace('  PROCESSOR_ENABLED: "true"\n', '  PROCESSOR_ENABLED: "maybe"\n'));
  // A gateway RabbitMQ permission without its gateway.ws.* bridge queues; payments drifting from permissionsFor.
  edit('k8s/rabbitmq/users.yaml', (s) => {
    t.match(s, /read: '\^\(gateway\\\.\.\*\|events\)\$'/, 'the fixture has the gateway read permission');
    // Function replacements: a replacement string would treat the `$'` in these regexes as a pattern.
    return s.replace(String.raw`read: '^(gateway\..*|events)$'`, () => "read: '^events$'").replace(String.raw`read: '^(payments\..*|events)$'`, () => String.raw`read: '^payments\..*$'`);
  });
  // A dashboard query naming a metric no service declares (and so differing from the generator),
  // and an alert without its runbook.
  edit('charts/payments/monitoring/dashboards/bank-business.json', (s) => s.replace('payments_failed_total', 'payments_failed_totl'));
  rmSync(path.join(dir, 'docs/runbooks/BankOutboxBacklog.md'));
  const r = run(dir);
  t.equal(r.status, 1, `exit 1\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`);
  t.match(r.stdout, /profile: Dockerfile EXPOSE = chart containerPort/);
  t.match(r.stdout, /Cluster profile-db matches its schema: .*instancez: unknown field/);
  t.match(r.stdout, /StatefulSet redis matches its schema/);
  t.match(r.stdout, /shell\/templates\/pdb\.yaml includes a defined template/);
  t.match(r.stdout, /✗ \[service env\] auth \(values\.yaml\): required env var JWT_PRIVATE_KEY_FILE is set by the chart's Deployment/);
  t.match(r.stdout, /✗ \[service env\] auth \(values\.yaml\): required env var JWT_PRIVATE_KEY_FILE is set in the migration Job/);
  t.match(r.stdout, /✗ \[service env\] auth \(values\.yaml\): the Deployment's env passes the service's loadConfig: JWT_PRIVATE_KEY_FILE: is required/);
  t.match(r.stdout, /payments \(values\.yaml\): every env var the chart sets is read by config\.ts or the kit: PAYMENTS_TYPO_MS/);
  t.match(r.stdout, /payments \(values\.yaml\): the Deployment's env passes the service's loadConfig: PROCESSOR_ENABLED: invalid value/);
  t.match(r.stdout, /payments \(values\.yaml\): EVENTS_PREFIX unset/);
  t.match(r.stdout, /payments \(values\.yaml\): MIGRATE_ON_START=false/);
  t.match(r.stdout, /permission gateway: configure\/write\/read its bridge queue gateway\.ws\./);
  t.match(r.stdout, /permission payments = permissionsFor\('payments'\)/);
  t.match(r.stdout, /charts\/payments\/monitoring\/dashboards\/bank-business\.json is up to date/);
  t.match(r.stdout, /payments_failed_totl is declared by the services' code/);
  t.match(r.stdout, /docs\/runbooks\/BankOutboxBacklog\.md exists/);
});
