// Every Deployment and migration Job of every chart, run from its built image with exactly the
// settings Helm renders (scripts/containers/pods.ts translates them to `docker run`) against
// this machine's PostgreSQL, Redis and RabbitMQ: the Job exits 0 within activeDeadlineSeconds;
// then the Deployment's startup, liveness and readiness probe paths answer 200 within each
// probe's own budget; the settings are in effect in the running container (user, read-only
// root with only the rendered volumes writable, memory limit, no capabilities); front-ends serve
// their files and config.json; SIGTERM stops it within terminationGracePeriodSeconds.
// Binds the services' fixed ports (host network): run under the stack lock, never next to
// `npm start`. CONTAINERS_ONLY=payments,shell limits the charts.
import t from 'tap';
import { request } from 'undici';
import { bytes, workloads } from '../pods.ts';
import { busyPorts, missingPrerequisites, provision } from '../platform.ts';
import { chartValues, releases, render } from '../render.ts';
import { containerState, docker, logsOf, prepare, probeAll, removeContainers, runJob, startDeployment, stopContainer } from '../runner.ts';

const SESSION = 'podtest';
const only = process.env.CONTAINERS_ONLY?.split(',').map((s) => s.trim());

const missing = missingPrerequisites(only ?? releases().map((r) => r.chart));
if (missing.length) {
  t.fail(`cannot run the containers: ${missing.join('; ')}`);
} else {
  const selected = releases().filter((r) => !only || only.includes(r.chart));
  // Provisioning re-sets the shared roles' passwords: only when a selected chart uses the infrastructure.
  const usesInfra = selected.some((r) => ['database', 'redis', 'rabbitmq'].some((k) => chartValues(r.chart)[k]?.enabled));
  const secrets = usesInfra ? await provision() : {};
  removeContainers(SESSION);
  const busy = await busyPorts(selected.flatMap((r) => (chartValues(r.chart).database?.enabled || chartValues(r.chart).redis?.enabled ? [Number(chartValues(r.chart).containerPort)] : [])));
  if (busy.length) throw new Error(`ports ${busy.join(', ')} are in use (the native platform? stop it, or run under the stack lock)`);
  t.teardown(() => void removeContainers(SESSION));
  const timings: string[] = [];
  t.teardown(() => console.log(`# probe report\n${timings.map((l) => `#   ${l}`).join('\n')}`));

  for (const release of selected) {
    t.test(`${release.chart}: pods as rendered by Helm`, async (t) => {
      const { objects, valuesFile } = render(release, 'machine');
      t.comment(`values: charts/${release.chart}/values.yaml + ${valuesFile}`);
      const ws = workloads(objects);
      const deployments = ws.filter((w) => w.kind === 'Deployment');
      t.equal(deployments.length, 1, 'one Deployment');

      for (const job of ws.filter((w) => w.kind === 'Job')) {
        t.match(job.hook ?? '', /pre-install/, `${job.name} is a pre-install hook (runs before the Deployment)`);
        const p = prepare(job, objects, secrets, SESSION, release.chart);
        const r = await runJob(p);
        t.equal(r.exitCode, 0, `${job.name} exits 0 (${r.seconds.toFixed(1)} s)`, r.exitCode ? { logs: r.logs.slice(-3000) } : {});
        t.ok(r.seconds <= (job.deadlineSeconds ?? Infinity), `${job.name} within activeDeadlineSeconds ${job.deadlineSeconds}`);
        timings.push(`${job.name}: exit ${r.exitCode} in ${r.seconds.toFixed(1)} s`);
      }

      for (const dep of deployments) {
        const p = prepare(dep, objects, secrets, SESSION, release.chart);
        t.teardown(() => void docker(['rm', '-f', p.name]));
        const s = await startDeployment(p);
        const results = await probeAll(s);
        const c = p.container;
        t.equal(results.length, [c.startupProbe, c.livenessProbe, c.readinessProbe].filter(Boolean).length, 'every rendered probe was run');
        for (const r of results) {
          t.ok(r.ok, `${r.kind} ${r.path}: 200 in ${r.latencyMs} ms (timeout ${r.timeoutMs} ms), ${(r.afterMs / 1000).toFixed(1)} s ≤ budget ${r.budgetMs / 1000} s, attempt ${r.attempts}`, r.ok ? {} : { last: r.last, logs: logsOf(p.name) });
        }
        timings.push(`${dep.name}: ${results.map((r) => `${r.kind} ${r.ok ? `${r.latencyMs} ms after ${(r.afterMs / 1000).toFixed(1)} s` : 'FAILED'}`).join(', ')}`);
        if (results.some((r) => !r.ok)) continue;

        // The rendered settings are what the engine applied.
        const [user, ro, memory, capDrop, groups, tmpfs] = docker([
          'inspect', '-f', '{{.Config.User}}|{{.HostConfig.ReadonlyRootfs}}|{{.HostConfig.Memory}}|{{.HostConfig.CapDrop}}|{{.HostConfig.GroupAdd}}|{{json .HostConfig.Tmpfs}}', p.name,
        ]).trim().split('|');
        const pod = dep.pod.securityContext as { runAsUser: number; runAsGroup: number; fsGroup: number };
        t.equal(user, `${pod.runAsUser}:${pod.runAsGroup}`, `runs as ${pod.runAsUser}:${pod.runAsGroup}`);
        t.not(pod.runAsUser, 0, 'runAsNonRoot holds (uid ≠ 0)');
        t.equal(groups, `[${pod.fsGroup}]`, 'fsGroup as a supplementary group');
        t.equal(ro, String((c.securityContext as { readOnlyRootFilesystem?: boolean }).readOnlyRootFilesystem === true), 'readOnlyRootFilesystem');
        t.equal(capDrop, '[ALL]', 'every capability dropped');
        const limit = c.resources?.limits?.memory;
        if (limit) {
          t.equal(Number(memory), bytes(limit), `memory limit ${limit}`);
          t.equal(docker(['inspect', '-f', '{{.HostConfig.MemorySwap}}', p.name]).trim(), memory, 'no swap beyond it');
        }
        t.same(Object.keys(JSON.parse(tmpfs!) as object), (c.volumeMounts ?? []).filter((m) => dep.pod.volumes?.find((v) => v.name === m.name)?.emptyDir).map((m) => m.mountPath), 'only the emptyDirs are writable mounts');

        // Writes: the root file system refuses them, /tmp (the emptyDir) takes them.
        const write = (path: string) => {
          try {
            docker(['exec', p.name, 'sh', '-c', `echo x > ${path} && rm ${path}`]);
            return 'ok';
          } catch (err) {
            return String((err as { stderr?: string }).stderr);
          }
        };
        t.match(write('/probe-root-write'), /Read-only file system/, 'the root file system is read-only');
        t.equal(write('/tmp/probe-write'), 'ok', '/tmp is writable');
        const id = docker(['exec', p.name, 'id', '-u']).trim();
        t.equal(id, String(pod.runAsUser), 'the process user inside');

        if (release.chart === 'shell' || release.chart.startsWith('mfe-')) {
          const base = `http://${s.address}:${p.run.ports.http}`;
          const get = async (path: string) => {
            const res = await request(`${base}${path}`);
            return { status: res.statusCode, type: String(res.headers['content-type']), body: await res.body.text() };
          };
          if (release.chart === 'shell') {
            const index = await get('/');
            t.equal(index.status, 200, 'index.html');
            t.match(index.body, /<div id="root"|<script/, 'the SPA shell');
            const config = await get('/config.json');
            t.equal(config.status, 200, 'config.json served');
            t.ok((JSON.parse(config.body) as { remotes?: object }).remotes, 'config.json names the remotes');
          } else {
            const remote = await get(`/mfe/${release.chart.slice(4)}/assets/remoteEntry.js`);
            t.equal(remote.status, 200, 'remoteEntry.js served');
            t.match(remote.type, /javascript/, 'as JavaScript');
          }
        }

        const grace = dep.pod.terminationGracePeriodSeconds ?? 30;
        const stopped = stopContainer(p.name);
        t.ok(stopped.seconds < grace, `SIGTERM: stopped in ${stopped.seconds.toFixed(1)} s (< terminationGracePeriodSeconds ${grace})`);
        t.equal(stopped.exitCode, 0, 'graceful exit code 0');
        t.notOk(containerState(p.name).oomKilled, 'not OOM-killed');
      }
    });
  }
}
