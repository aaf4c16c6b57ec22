// PromQL read by Prometheus' own grammar (@prometheus-io/lezer-promql, the parser of the
// Prometheus web UI): syntax errors, and which metrics and labels an expression uses. Shared by
// scripts/test/helm.test.ts (every expression the charts render must parse) and
// services/platform-tests/test/monitoring-metrics.test.ts (every metric and label it names must
// be on the services' real /metrics).
import { parser } from '@prometheus-io/lezer-promql';

/** Grafana's built-in interval variables, replaced by a sample value before parsing. */
const GRAFANA_VARIABLES: Array<[RegExp, string]> = [[/\$__rate_interval|\$__interval|\$__range/g, '5m']];

export interface PromqlUse {
  /** Metric names of vector selectors (a histogram's _bucket/_sum/_count as written). */
  metric: string;
  /** Label names matched in the selector, with the values of `=` matchers. */
  matchers: Record<string, { op: string; value: string }>;
}

export interface PromqlAnalysis {
  /** "offset N: near '…'" for each error node; empty when the expression parses. */
  errors: string[];
  selectors: PromqlUse[];
  /** Label names of by(…) / without(…) / on(…) / ignoring(…) clauses. */
  groupingLabels: string[];
}

const unquote = (s: string) => JSON.parse(s.startsWith("'") ? `"${s.slice(1, -1).replace(/"/g, '\\"')}"` : s.startsWith('`') ? JSON.stringify(s.slice(1, -1)) : s) as string;

export function analysePromql(input: string): PromqlAnalysis {
  let expr = input;
  for (const [re, value] of GRAFANA_VARIABLES) expr = expr.replace(re, value);
  const tree = parser.parse(expr);
  const errors: string[] = [];
  const selectors: PromqlUse[] = [];
  const groupingLabels: string[] = [];
  const text = (from: number, to: number) => expr.slice(from, to);
  const cursor = tree.cursor();
  do {
    const node = cursor.node;
    if (node.type.isError) errors.push(`offset ${node.from}: near '${expr.slice(Math.max(0, node.from - 15), node.to + 15)}'`);
    if (node.name === 'VectorSelector') {
      const id = node.getChild('Identifier');
      const matchers: PromqlUse['matchers'] = {};
      for (const m of node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []) {
        const name = m.getChild('LabelName');
        const op = m.getChild('MatchOp');
        const value = m.getChild('StringLiteral');
        if (name && op && value) matchers[text(name.from, name.to)] = { op: text(op.from, op.to), value: unquote(text(value.from, value.to)) };
      }
      if (id) selectors.push({ metric: text(id.from, id.to), matchers });
    }
    if (node.name === 'GroupingLabels') for (const l of node.getChildren('LabelName')) groupingLabels.push(text(l.from, l.to));
  } while (cursor.next());
  if (expr.trim() === '') errors.push('empty expression');
  return { errors, selectors, groupingLabels };
}

/** Histogram series names map to the metric family prom-client declares. */
export function metricFamily(name: string): string {
  return name.replace(/_(bucket|sum|count)$/, '');
}
