// k6 load test for a cluster (k6 is a Go binary and is not installed on the development
// machines: run it where k6 exists). Native benchmarks use the Node drivers in
// services/*/bench instead.
//
//   k6 run -e BASE_URL=https://bank.localtest.me -e VUS=20 -e DURATION=2m scripts/load/k6-payments.js
//
// Each virtual user signs up once, then loops: list payments, create one (with an
// Idempotency-Key), read it back. Thresholds encode the service objectives; the edge's per-IP
// limits (100 req/min, 10 sign-ins/min) must be raised for the run (ingress annotations /
// NGINX_* variables), or the test measures the limiter.
import http from 'k6/http';
import { check, sleep } from 'k6';
import { uuidv4 } from 'https://jslib.k6.io/k6-utils/1.4.0/index.js';

const BASE = `${__ENV.BASE_URL || 'https://localhost:8443'}/api`;
const JSON_HEADERS = { 'content-type': 'application/json' };

export const options = {
  insecureSkipTLSVerify: true,
  scenarios: {
    payers: {
      executor: 'constant-vus',
      vus: Number(__ENV.VUS || 10),
      duration: __ENV.DURATION || '1m',
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_duration{name:create}': ['p(95)<300'],
    'http_req_duration{name:list}': ['p(95)<200'],
    checks: ['rate>0.99'],
  },
};

export function setup() {
  // The recipient every virtual user pays.
  const email = `k6-payee-${uuidv4()}@example.test`;
  http.post(`${BASE}/auth/signup`, JSON.stringify({ email, password: 'correct horse battery', name: 'k6 payee' }), { headers: JSON_HEADERS });
  return { payee: email };
}

let token;

export default function (data) {
  if (!token) {
    const email = `k6-${__VU}-${uuidv4()}@example.test`;
    http.post(`${BASE}/auth/signup`, JSON.stringify({ email, password: 'correct horse battery', name: `k6 ${__VU}` }), { headers: JSON_HEADERS });
    const res = http.post(`${BASE}/auth/signin`, JSON.stringify({ email, password: 'correct horse battery' }), { headers: JSON_HEADERS });
    check(res, { 'signed in': (r) => r.status === 200 });
    token = res.json('accessToken');
  }
  const auth = { ...JSON_HEADERS, authorization: `Bearer ${token}` };

  const list = http.get(`${BASE}/payments?limit=20`, { headers: auth, tags: { name: 'list' } });
  check(list, { 'list 200': (r) => r.status === 200 });

  const body = { recipientEmail: data.payee, amount: 100 + Math.floor(Math.random() * 10_000), currency: 'EUR', type: 'instant', description: 'k6' };
  const created = http.post(`${BASE}/payments`, JSON.stringify(body), {
    headers: { ...auth, 'idempotency-key': uuidv4() },
    tags: { name: 'create' },
  });
  check(created, { 'created 201': (r) => r.status === 201 });

  if (created.status === 201) {
    const read = http.get(`${BASE}/payments/${created.json('id')}`, { headers: auth, tags: { name: 'get' } });
    check(read, { 'read 200': (r) => r.status === 200 });
  }
  sleep(0.5);
}
