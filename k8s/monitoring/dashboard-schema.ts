// What a Grafana dashboard JSON must be for Grafana's file provisioning (the sidecar) to load it
// and for every panel to query the Prometheus data source the user picks: a JSON schema of the
// fields Grafana needs (dashboard model, schemaVersion 36+), plus the rules a schema cannot say
// (unique panel ids and refIds, grid inside 24 columns without overlaps, every $variable
// declared). Used by scripts/test/helm.test.ts on the ConfigMaps real Helm renders.
import { Ajv } from 'ajv';

const datasourceRef = {
  type: 'object', required: ['type', 'uid'],
  properties: { type: { const: 'prometheus' }, uid: { type: 'string', pattern: '^\\$\\{[a-z_]+\\}$' } },
};
const schema = {
  type: 'object',
  required: ['uid', 'title', 'schemaVersion', 'panels', 'templating', 'time', 'tags'],
  properties: {
    uid: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,40}$' },
    title: { type: 'string', minLength: 1 },
    schemaVersion: { type: 'integer', minimum: 36 },
    tags: { type: 'array', items: { type: 'string' } },
    time: { type: 'object', required: ['from', 'to'], properties: { from: { type: 'string' }, to: { type: 'string' } } },
    refresh: { type: 'string', pattern: '^[0-9]+[smhd]$' },
    templating: {
      type: 'object', required: ['list'],
      properties: { list: { type: 'array', items: { type: 'object', required: ['name', 'type'], properties: { name: { type: 'string', pattern: '^[a-z_]+$' }, type: { enum: ['datasource', 'query', 'custom', 'constant', 'interval'] } } } } },
    },
    panels: {
      type: 'array', minItems: 1,
      items: {
        type: 'object',
        required: ['id', 'type', 'title', 'gridPos', 'datasource', 'targets'],
        properties: {
          id: { type: 'integer', minimum: 1 },
          type: { enum: ['timeseries', 'stat', 'barchart', 'gauge', 'table'] },
          title: { type: 'string', minLength: 1 },
          datasource: datasourceRef,
          gridPos: {
            type: 'object', required: ['h', 'w', 'x', 'y'],
            properties: { h: { type: 'integer', minimum: 1 }, w: { type: 'integer', minimum: 1, maximum: 24 }, x: { type: 'integer', minimum: 0, maximum: 23 }, y: { type: 'integer', minimum: 0 } },
          },
          targets: {
            type: 'array', minItems: 1,
            items: { type: 'object', required: ['refId', 'expr', 'datasource'], properties: { refId: { type: 'string', pattern: '^[A-Z]$' }, expr: { type: 'string', minLength: 1 }, legendFormat: { type: 'string' }, datasource: datasourceRef } },
          },
        },
      },
    },
  },
};

const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed JSON

/** Problems of one dashboard JSON text (empty = valid). */
export function dashboardProblems(text: string): string[] {
  let d: Obj;
  try {
    d = JSON.parse(text) as Obj;
  } catch (err) {
    return [`not JSON: ${(err as Error).message}`];
  }
  if (!validate(d)) return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
  const problems: string[] = [];
  const variables = new Set<string>((d.templating.list as Obj[]).map((v) => v.name));
  const builtins = new Set(['__rate_interval', '__interval', '__range', '__all']);
  const ids = new Set<number>();
  const cells = new Map<string, number>();
  for (const p of d.panels as Obj[]) {
    if (ids.has(p.id)) problems.push(`panel id ${p.id} is used twice`);
    ids.add(p.id);
    const { h, w, x, y } = p.gridPos;
    if (x + w > 24) problems.push(`panel ${p.id} "${p.title}": gridPos x + w = ${x + w} > 24`);
    for (let row = y; row < y + h; row++) {
      for (let col = x; col < Math.min(x + w, 24); col++) {
        const other = cells.get(`${row}:${col}`);
        if (other !== undefined && other !== p.id) problems.push(`panel ${p.id} "${p.title}" overlaps panel ${other}`);
        cells.set(`${row}:${col}`, p.id);
      }
    }
    const refIds = (p.targets as Obj[]).map((t) => t.refId);
    if (new Set(refIds).size !== refIds.length) problems.push(`panel ${p.id}: duplicate refId`);
    const texts = [p.datasource.uid, ...(p.targets as Obj[]).flatMap((t) => [t.expr, t.datasource.uid])];
    for (const s of texts) {
      for (const m of String(s).matchAll(/\$\{?([A-Za-z_]+)\}?/g)) {
        if (!variables.has(m[1]!) && !builtins.has(m[1]!)) problems.push(`panel ${p.id} "${p.title}": $${m[1]} is not a dashboard variable`);
      }
    }
  }
  return [...new Set(problems)];
}
