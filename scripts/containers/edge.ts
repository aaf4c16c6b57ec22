// The edge of the containerised platform: an nginx configuration generated from what the
// cluster's ingress-nginx controller would read — the Ingress objects rendered by
// charts/gateway (paths, pathTypes, per-route annotations) and the controller's own settings
// in ingress-nginx/values-kind.yaml (TLS policy, redirect, HSTS, addHeaders, gzip, limits,
// log format, request ids) — translated the way ingress-nginx's template does. The native
// configuration (ingress-nginx/native) serves the front-ends from disk and hard-codes the
// routes, so it cannot stand in for the Ingress here. Annotations or controller keys this
// translation does not know throw, so a chart edit cannot be silently dropped.
// Not reproducible here: brotli (Debian's nginx has no brotli module; gzip is served), the
// controller's metrics and dynamic (Lua) upstreams, cert-manager issuing the certificate.
import type { K8sObject } from './pods.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Values = Record<string, any>;

export interface EdgeOptions {
  /** networking.k8s.io/v1 Ingress objects (rendered). */
  ingresses: K8sObject[];
  /** `controller` of ingress-nginx/values-kind.yaml. */
  controller: Values;
  /** Service name → "address:port" of the container behind it. */
  backends: Record<string, string>;
  httpsPort: number;
  httpPort: number;
  /** Directory (inside the edge container) with tls.crt and tls.key — the TLS Secret's files. */
  certDir: string;
}

const A = 'nginx.ingress.kubernetes.io/';
const KNOWN_ANNOTATIONS = new Set(['ssl-redirect', 'force-ssl-redirect', 'proxy-body-size', 'proxy-connect-timeout', 'proxy-read-timeout', 'proxy-send-timeout', 'limit-rpm', 'limit-rps', 'limit-burst-multiplier', 'limit-connections', 'whitelist-source-range']);
const KNOWN_CONFIG = new Set([
  'ssl-protocols', 'ssl-ciphers', 'ssl-prefer-server-ciphers', 'ssl-session-tickets', 'ssl-redirect', 'force-ssl-redirect', 'http-redirect-code',
  'hsts', 'hsts-max-age', 'hsts-include-subdomains', 'hsts-preload', 'use-forwarded-headers', 'compute-full-forwarded-for', 'enable-real-ip',
  'use-proxy-protocol', 'use-gzip', 'gzip-level', 'gzip-min-length', 'gzip-types', 'enable-brotli', 'brotli-level', 'brotli-types', 'proxy-body-size',
  'client-header-buffer-size', 'limit-req-status-code', 'limit-conn-status-code', 'server-tokens', 'hide-headers', 'log-format-escape-json',
  'log-format-upstream', 'generate-request-id', 'enable-opentelemetry', 'server-snippet',
]);

const bool = (v: unknown) => String(v) === 'true';
const seconds = (v: unknown) => `${String(v).replace(/s$/, '')}s`;
const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

interface Location {
  match: string;
  ingress: string;
  annotations: Record<string, string>;
  backend: string;
}

export function ingressNginxConf(o: EdgeOptions): string {
  const cfg: Record<string, string> = Object.fromEntries(Object.entries(o.controller.config ?? {}).map(([k, v]) => [k, String(v)]));
  for (const k of Object.keys(cfg)) if (!KNOWN_CONFIG.has(k)) throw new Error(`ingress-nginx config ${k} is not translated`);
  if (bool(cfg['use-proxy-protocol']) || bool(cfg['enable-real-ip']) || bool(cfg['use-forwarded-headers'])) throw new Error('forwarded-header/proxy-protocol modes are not translated');

  const upstreams = new Map<string, string>();
  const locations: Location[] = [];
  const zones: string[] = [];
  for (const ing of o.ingresses) {
    if (ing.kind !== 'Ingress') continue;
    const name = `${ing.metadata.namespace ?? 'default'}-${ing.metadata.name}`;
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(ing.metadata.annotations ?? {})) {
      if (!k.startsWith(A)) continue; // e.g. cert-manager.io/*: not the controller's
      const key = k.slice(A.length);
      if (!KNOWN_ANNOTATIONS.has(key)) throw new Error(`${ing.metadata.name}: annotation ${k} is not translated`);
      annotations[key] = String(v);
    }
    if (ing.spec.ingressClassName !== (o.controller.ingressClassResource?.name ?? 'nginx')) continue;
    const zone = name.replace(/[^A-Za-z0-9_]/g, '_');
    if (annotations['limit-rpm'] || annotations['limit-rps']) {
      const rate = annotations['limit-rps'] ? `${annotations['limit-rps']}r/s` : `${annotations['limit-rpm']}r/m`;
      zones.push(`limit_req_zone $binary_remote_addr zone=${zone}_${annotations['limit-rps'] ? 'rps' : 'rpm'}:5m rate=${rate};`);
    }
    if (annotations['limit-connections']) zones.push(`limit_conn_zone $binary_remote_addr zone=${zone}_conn:5m;`);
    for (const rule of ing.spec.rules ?? []) {
      for (const p of rule.http?.paths ?? []) {
        const svc = p.backend.service.name as string;
        const address = o.backends[svc];
        if (!address) throw new Error(`${ing.metadata.name}: no container behind Service ${svc}`);
        const upstream = `${ing.metadata.namespace ?? 'default'}-${svc}-${p.backend.service.port.name ?? p.backend.service.port.number}`;
        upstreams.set(upstream, address);
        const entry = { ingress: zone, annotations, backend: upstream };
        if (p.pathType === 'Exact') locations.push({ ...entry, match: `= ${p.path}` });
        else if (p.pathType === 'Prefix') {
          // ingress-nginx: Prefix /x matches /x and /x/… (element-wise), never /xy.
          if (p.path === '/') locations.push({ ...entry, match: '/' });
          else {
            const path = String(p.path).replace(/\/+$/, '');
            locations.push({ ...entry, match: `${path}/` }, { ...entry, match: `= ${path}` });
          }
        } else throw new Error(`${ing.metadata.name}: pathType ${p.pathType} is not translated`);
      }
    }
  }
  const seen = new Set<string>();
  for (const l of locations) {
    if (seen.has(l.match)) throw new Error(`two Ingress paths render location ${l.match}`);
    seen.add(l.match);
  }

  const global = (key: string, fallback: string) => cfg[key] ?? fallback;
  const redirectCode = global('http-redirect-code', '308');
  const redirectTarget = o.httpsPort === 443 ? 'https://$host$request_uri' : `https://$host:${o.httpsPort}$request_uri`;
  const headers = Object.entries((o.controller.addHeaders ?? {}) as Record<string, string>);
  if (bool(global('hsts', 'true'))) {
    const hsts = [`max-age=${global('hsts-max-age', '31536000')}`, ...(bool(global('hsts-include-subdomains', 'true')) ? ['includeSubDomains'] : []), ...(bool(global('hsts-preload', 'false')) ? ['preload'] : [])].join('; ');
    headers.unshift(['Strict-Transport-Security', hsts]);
  }
  // The controller's `server-snippet` goes into every server block it generates (here: nginx's own
  // errors as problem+json), verbatim.
  const fullForwardedFor = bool(cfg['compute-full-forwarded-for']);
  const serverSnippet = (cfg['server-snippet'] ?? '').trimEnd().split('\n').filter(Boolean).map((l) => `    ${l}`).join('\n');
  const headerLines = headers.map(([k, v]) => `    add_header ${k} ${quote(String(v))} always;`).join('\n');
  const hidden = (cfg['hide-headers'] ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  const logFormat = cfg['log-format-upstream'] ?? '$remote_addr - [$time_local] "$request" $status $body_bytes_sent $request_time $upstream_addr';

  const locationBlock = (l: Location, https: boolean) => {
    const a = l.annotations;
    const sslRedirect = bool(a['ssl-redirect'] ?? global('ssl-redirect', 'true')) || bool(a['force-ssl-redirect'] ?? global('force-ssl-redirect', 'false'));
    const lines: string[] = [];
    if (!https && sslRedirect) return `    location ${l.match} {\n      return ${redirectCode} ${redirectTarget};\n    }`;
    if (a['whitelist-source-range']) {
      for (const cidr of a['whitelist-source-range'].split(',')) lines.push(`allow ${cidr.trim()};`);
      lines.push('deny all;');
    }
    if (a['limit-rpm'] || a['limit-rps']) {
      const rate = Number(a['limit-rps'] ?? a['limit-rpm']);
      const burst = rate * Number(a['limit-burst-multiplier'] ?? 5);
      lines.push(`limit_req zone=${l.ingress}_${a['limit-rps'] ? 'rps' : 'rpm'} burst=${burst} nodelay;`);
    }
    if (a['limit-connections']) lines.push(`limit_conn ${l.ingress}_conn ${a['limit-connections']};`);
    lines.push(`client_max_body_size ${a['proxy-body-size'] ?? global('proxy-body-size', '1m')};`);
    lines.push(`proxy_connect_timeout ${seconds(a['proxy-connect-timeout'] ?? '5')};`);
    lines.push(`proxy_read_timeout ${seconds(a['proxy-read-timeout'] ?? '60')};`);
    lines.push(`proxy_send_timeout ${seconds(a['proxy-send-timeout'] ?? '60')};`);
    lines.push(`proxy_pass http://${l.backend};`);
    return `    location ${l.match} {\n${lines.map((x) => `      ${x}`).join('\n')}\n    }`;
  };

  // Longest prefix wins and `=` beats any prefix in nginx itself, which is what ingress-nginx
  // relies on when it sorts the paths of every Ingress of a host into one server.
  const sorted = [...locations].sort((a, b) => b.match.replace(/^= /, '').length - a.match.replace(/^= /, '').length);
  const hosts = [...new Set(o.ingresses.flatMap((i) => (i.spec?.rules ?? []).map((r: { host?: string }) => r.host ?? '_')))];

  return `# Generated by scripts/containers/edge.ts from the Ingress objects of charts/gateway and the
# controller settings of ingress-nginx/values-kind.yaml. Do not edit: regenerate.
worker_processes 1;
pid /tmp/nginx.pid;
error_log /dev/stderr warn;
daemon off;
events { worker_connections 4096; }

http {
  include /etc/nginx/mime.types;
  default_type text/html;
  server_tokens ${bool(global('server-tokens', 'true')) ? 'on' : 'off'};
  sendfile on;
  keepalive_timeout 75s;
  client_header_buffer_size ${global('client-header-buffer-size', '1k')};
  client_body_temp_path /tmp/client_temp;
  proxy_temp_path /tmp/proxy_temp;
  fastcgi_temp_path /tmp/fastcgi_temp;
  uwsgi_temp_path /tmp/uwsgi_temp;
  scgi_temp_path /tmp/scgi_temp;

  # generate-request-id: keep the client's X-Request-ID, otherwise mint one.
  map $http_x_request_id $req_id {
    default $http_x_request_id;
    '' $request_id;
  }
  # Upstream keep-alive is on (keepalive 320 below, the controller's default), so a request
  # without Upgrade carries no Connection header (ingress-nginx sends "close" only when
  # upstream-keepalive-connections is 0).
  map $http_upgrade $connection_upgrade {
    default upgrade;
    '' '';
  }
${fullForwardedFor ? `  # compute-full-forwarded-for on (use-forwarded-headers off): the client's X-Forwarded-For is kept and the peer appended.
  map $http_x_forwarded_for $full_x_forwarded_for {
    default "$http_x_forwarded_for, $remote_addr";
    '' "$remote_addr";
  }
` : ''}  log_format upstreaminfo${bool(cfg['log-format-escape-json']) ? ' escape=json' : ''} ${quote(logFormat)};
  access_log /dev/stdout upstreaminfo;

  limit_req_status ${global('limit-req-status-code', '503')};
  limit_conn_status ${global('limit-conn-status-code', '503')};
${zones.map((z) => `  ${z}`).join('\n')}

  gzip ${bool(global('use-gzip', 'false')) ? 'on' : 'off'};
  gzip_comp_level ${global('gzip-level', '1')};
  gzip_min_length ${global('gzip-min-length', '256')};
  gzip_types ${global('gzip-types', 'application/json text/css')};
  gzip_proxied any;
  gzip_vary on;
  # enable-brotli: ${global('enable-brotli', 'false')} in the controller; Debian's nginx has no brotli module (gzip only here).

  # ingress-nginx's proxy defaults.
  proxy_http_version 1.1;
  proxy_buffering off;
  proxy_request_buffering on;
  proxy_buffer_size 4k;
  proxy_next_upstream error timeout;
  proxy_set_header Host $host;
  proxy_set_header Upgrade $http_upgrade;
  proxy_set_header Connection $connection_upgrade;
  proxy_set_header X-Request-ID $req_id;
  proxy_set_header X-Real-IP $remote_addr;
  # ingress-nginx: the peer appended with compute-full-forwarded-for, else overwritten with it.
  proxy_set_header X-Forwarded-For ${fullForwardedFor ? '$full_x_forwarded_for' : '$remote_addr'};
  proxy_set_header X-Forwarded-Host $host;
  proxy_set_header X-Forwarded-Port $server_port;
  proxy_set_header X-Forwarded-Proto $scheme;
  proxy_set_header X-Forwarded-Scheme $scheme;
  proxy_set_header X-Scheme $scheme;
  proxy_set_header X-Original-URI $request_uri;
  proxy_set_header Proxy "";
${hidden.map((h) => `  proxy_hide_header ${h};`).join('\n')}

${[...upstreams].map(([name, address]) => `  upstream ${name} {\n    server ${address};\n    keepalive 320;\n  }`).join('\n')}

  ssl_protocols ${global('ssl-protocols', 'TLSv1.2 TLSv1.3')};
  ssl_ciphers ${global('ssl-ciphers', 'HIGH:!aNULL:!MD5')};
  ssl_prefer_server_ciphers ${bool(global('ssl-prefer-server-ciphers', 'true')) ? 'on' : 'off'};
  ssl_session_tickets ${bool(global('ssl-session-tickets', 'false')) ? 'on' : 'off'};
  ssl_session_cache shared:SSL:10m;
  ssl_session_timeout 10m;
  ssl_certificate ${o.certDir}/tls.crt;
  ssl_certificate_key ${o.certDir}/tls.key;

  # The controller's catch-all server: hosts without an Ingress rule get 404.
  server {
    listen ${o.httpPort} default_server;
    listen ${o.httpsPort} ssl http2 default_server;
    server_name _;
${serverSnippet}
    location / { return 404; }
  }

  server {
    listen ${o.httpPort};
    server_name ${hosts.join(' ')};
${serverSnippet}
${sorted.map((l) => locationBlock(l, false)).join('\n')}
  }

  server {
    listen ${o.httpsPort} ssl http2;
    server_name ${hosts.join(' ')};
${headerLines}
${serverSnippet}
${sorted.map((l) => locationBlock(l, true)).join('\n')}
  }
}
`;
}
