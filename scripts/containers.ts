// The whole platform in containers, with one command (the closest this machine gets to
// `tilt up`): every image with the settings its chart renders, migration Jobs first, probes
// checked like the kubelet checks them, and an edge nginx generated from the gateway chart's
// Ingress objects, on https://localhost:8443 (the native runner's ports: stop `npm start` first).
//
//   node scripts/containers.ts up [--profile platform|test]   (npm run platform:containers)
//   node scripts/containers.ts down                           (npm run platform:containers:down)
//   node scripts/containers.ts status
// Needs the images (`npm run images`) and a Docker engine; containers are labelled
// bank.containers=platform and `down` removes exactly those.
import { parseArgs } from 'node:util';
import { down, isUp, READY_FILE, SESSION, up } from './containers/platform.ts';
import { docker, LABEL } from './containers/runner.ts';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { profile: { type: 'string', default: 'platform' } } });
const command = positionals[0] ?? 'up';

if (command === 'up') {
  const profile = values.profile as 'platform' | 'test';
  if (!['platform', 'test'].includes(profile)) throw new Error('--profile is platform or test');
  try {
    const report = await up(profile);
    const probes = report.probes
      .map((p) => `  ${p.name.padEnd(14)} ${p.results.map((r) => `${r.kind} ${r.path} ${r.latencyMs} ms (after ${(r.afterMs / 1000).toFixed(1)} s, budget ${r.budgetMs / 1000} s)`).join('; ')}`)
      .join('\n');
    console.log(`
\x1b[1;32m✔ The platform is running in containers\x1b[0m  (${report.seconds.toFixed(1)} s)

  Open        \x1b[1m${report.url}\x1b[0m   (self-signed certificate: .run/certs/tls.crt)
  Jobs        ${report.jobs.map((j) => `${j.name} exit ${j.exitCode} in ${j.seconds.toFixed(1)} s`).join(', ')}
  Probes
${probes}
  Demo users  admin@bank.local / Admin!Passw0rd, customer@bank.local / Customer!Passw0rd
  Logs        docker logs bank-${SESSION}-<deployment>   (docker ps --filter label=${LABEL}=${SESSION})
  Stop        npm run platform:containers:down
`);
  } catch (err) {
    console.error(`\x1b[31m✖ ${(err as Error).message}\x1b[0m`);
    process.exit(1);
  }
} else if (command === 'down') {
  const removed = down();
  console.log(`removed ${removed.length} containers`);
} else if (command === 'status') {
  console.log(isUp() ? `up: ${READY_FILE}` : 'not up');
  console.log(docker(['ps', '-a', '--filter', `label=${LABEL}=${SESSION}`, '--format', '{{.Names}}\t{{.Status}}']));
} else {
  console.error(`unknown command ${command}: use up, down or status`);
  process.exit(1);
}
