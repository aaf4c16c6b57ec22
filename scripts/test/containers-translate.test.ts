// The translations behind the container suites, without a Docker engine: rendered pod specs →
// `docker run` flags (scripts/containers/pods.ts) and rendered Ingress objects → the edge's
// nginx configuration (scripts/containers/edge.ts). Charts are rendered with the pinned Helm 4.
import t from 'tap';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../lib/local-env.ts';
import { ingressNginxConf } from '../containers/edge.ts';
import { dockerRun, expand, resolveEnv, urlHosts, workloads, type K8sObject, type SecretStore, type Workload } from '../containers/pods.ts';
import { releases, render } from '../containers/render.ts';

const secrets: SecretStore = {
  'auth-db-credentials': { username: 'auth', password: 'pw-db' },
  'auth-rabbitmq-credentials': { username: 'auth', password: 'pw-mq' },
  'redis-credentials': { password: '' },
  'auth-jwt': { 'private.pem': '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n' },
};
const ctx = (objects: K8sObject[], name: string) => ({ containerName: name, network: 'host' as const, objects, secrets, volumeDir: mkdtempSync(join(tmpdir(), 'pod-')) });
const flag = (args: string[], f: string) => args.flatMap((a, i) => (a === f ? [args[i + 1]] : []));

t.test('$(VAR) expansion follows Kubernetes', async (t) => {
  t.equal(expand('a$(X)b', { X: '1' }), 'a1b');
  t.equal(expand('$(MISSING)', {}), '$(MISSING)', 'undefined references stay');
  t.equal(expand('$$(X)', { X: '1' }), '$(X)', '$$ escapes');
});

t.test('auth: Deployment and migration Job as docker run', async (t) => {
  const { objects } = render(releases().find((r) => r.chart === 'auth')!, 'machine');
  const ws = workloads(objects);
  const dep = ws.find((w) => w.kind === 'Deployment')!;
  const job = ws.find((w) => w.kind === 'Job')!;
  const c = ctx(objects, 'auth-0');
  const run = dockerRun(dep, dep.pod.containers[0]!, c);
  t.equal(run.env.DATABASE_URL, 'postgres://auth:pw-db@auth-db-rw:5432/auth_db?sslmode=disable', 'DATABASE_URL built from the Secret by $(VAR) expansion');
  t.equal(run.env.REDIS_URL, 'redis://:@redis.bank-redis.svc.cluster.local:6379/0');
  t.equal(run.env.RABBITMQ_URL, 'amqp://auth:pw-mq@bank-rabbitmq.bank-messaging.svc.cluster.local:5672/%2F');
  t.equal(run.env.POD_NAME, 'auth-0', 'fieldRef metadata.name');
  t.equal(run.env.HOST, '0.0.0.0', 'ConfigMap env through envFrom');
  t.notOk('SENTRY_DSN' in run.env, 'an optional Secret that does not exist is skipped');
  t.ok(run.args.includes('--read-only'));
  t.same(flag(run.args, '--user'), ['1000:1000']);
  t.same(flag(run.args, '--group-add'), ['1000']);
  t.same(flag(run.args, '--cap-drop'), ['ALL']);
  t.same(flag(run.args, '--memory'), [String(512 * 2 ** 20)]);
  t.same(flag(run.args, '--cpu-shares'), ['102'], 'requests.cpu 100m → 102 shares (kubelet formula)');
  t.same(flag(run.args, '--tmpfs'), [`/tmp:rw,exec,nosuid,nodev,mode=3777,size=${64 * 2 ** 20}`]);
  t.same(flag(run.args, '--mount'), [`type=bind,source=${c.volumeDir}/jwt,target=/var/run/secrets/bank/jwt,readonly`]);
  t.equal(statSync(`${c.volumeDir}/jwt/private.pem`).mode & 0o777, 0o440, 'secret file mode = defaultMode');
  t.notOk(run.args.join(' ').includes('pw-db'), 'no secret on the command line');
  t.match(readFileSync(flag(run.args, '--env-file')[0]!, 'utf8'), /^DATABASE_PASSWORD=pw-db$/m, 'secrets in the 0600 env file');
  t.equal(run.args.at(-1), 'bank/auth:local', 'image, no command override');
  t.same(urlHosts(run.env), ['auth-db-rw', 'bank-rabbitmq.bank-messaging.svc.cluster.local', 'redis.bank-redis.svc.cluster.local']);

  const jrun = dockerRun(job, job.pod.containers[0]!, ctx(objects, 'auth-migrate'));
  t.same(jrun.args.slice(jrun.args.indexOf('--entrypoint')), ['--entrypoint', 'node', 'bank/auth:local', 'src/db/migrate-cli.ts'], 'command replaces the entrypoint');
  t.same(flag(jrun.args, '--memory'), [String(256 * 2 ** 20)], 'the Job has its own limits');
  t.equal(jrun.env.DATABASE_URL, run.env.DATABASE_URL);
});

t.test('what the translation does not understand fails loudly', async (t) => {
  const { objects } = render(releases().find((r) => r.chart === 'auth')!, 'machine');
  const dep = workloads(objects).find((w) => w.kind === 'Deployment')!;
  const clone = (): Workload => structuredClone(dep);
  const a = clone();
  (a.pod as unknown as Record<string, unknown>).hostPID = true;
  t.throws(() => dockerRun(a, a.pod.containers[0]!, ctx(objects, 'x')), /pod field hostPID/);
  const b = clone();
  b.pod.securityContext = { ...b.pod.securityContext, runAsUser: 0 };
  t.throws(() => dockerRun(b, b.pod.containers[0]!, ctx(objects, 'x')), /runAsNonRoot with runAsUser 0/);
  const c = clone();
  t.throws(() => resolveEnv(c.pod.containers[0]!, { ...ctx(objects, 'x'), secrets: {} }, 'ns', 'auth'), /Secret auth-db-credentials key username does not exist/);
});

t.test('edge: every Ingress path of charts/gateway becomes an nginx location with its annotations', async (t) => {
  const { objects } = render(releases().find((r) => r.chart === 'gateway')!, 'machine');
  const ingresses = objects.filter((o) => o.kind === 'Ingress');
  const controller = (parse(readFileSync(`${REPO_ROOT}/ingress-nginx/values-kind.yaml`, 'utf8')) as { controller: Record<string, unknown> }).controller;
  const backends = { gateway: '127.0.0.1:3000', shell: '172.17.0.2:8080', 'mfe-auth': '172.17.0.3:8080', 'mfe-payments': '172.17.0.4:8080', 'mfe-admin': '172.17.0.5:8080' };
  const conf = ingressNginxConf({ ingresses, controller, backends, httpsPort: 8443, httpPort: 8080, certDir: '/tls' });
  const https = conf.slice(conf.lastIndexOf('server {'));
  for (const ing of ingresses) {
    for (const p of ing.spec.rules[0].http.paths as Array<{ path: string; pathType: string }>) {
      const match = p.pathType === 'Exact' ? `= ${p.path}` : p.path === '/' ? '/' : `${p.path}/`;
      t.ok(https.includes(`location ${match} {`), `${ing.metadata.name}: ${p.pathType} ${p.path}`);
    }
  }
  t.match(conf, /limit_req_zone \$binary_remote_addr zone=bank_edge_gateway_credentials_rpm:5m rate=10r\/m;/, 'limit-rpm of the credentials route');
  t.match(conf, /proxy_set_header X-Forwarded-For \$remote_addr;/, 'compute-full-forwarded-for off: X-Forwarded-For overwritten with the peer, like ingress-nginx');
  t.match(https, /error_page 413 =413 \/_edge\/problem\/too-large;/, "the controller's server-snippet (nginx's own errors as problem+json) is in the server");
  t.match(https, /location = \/_edge\/problem\/too-large \{ internal;/, 'and its problem locations');
  t.match(https, /location = \/ws \{[^}]*limit_conn bank_edge_gateway_ws_conn 20;[^}]*proxy_read_timeout 3600s;/, '/ws: connection limit and long timeouts');
  t.match(https, /location \/ \{[^}]*proxy_pass http:\/\/bank-edge-shell-http;/, '/ → the shell container');
  t.match(conf, /server 172\.17\.0\.3:8080;/, 'mfe-auth upstream');
  t.match(conf, /return 301 https:\/\/\$host:8443\$request_uri;/, 'ssl-redirect with http-redirect-code 301 to the TLS port');
  t.match(https, /add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;/);
  t.match(https, /add_header Content-Security-Policy "default-src 'self';/, 'controller addHeaders');
  t.match(conf, /ssl_protocols TLSv1\.2 TLSv1\.3;/);
  t.match(conf, /limit_req_status 429;/);
  const bad = structuredClone(ingresses);
  bad[0]!.metadata.annotations = { ...bad[0]!.metadata.annotations, 'nginx.ingress.kubernetes.io/configuration-snippet': 'x' };
  t.throws(() => ingressNginxConf({ ingresses: bad, controller, backends, httpsPort: 8443, httpPort: 8080, certDir: '/tls' }), /configuration-snippet is not translated/);
});
