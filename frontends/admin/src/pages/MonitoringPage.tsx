// Monitoring: the platform's time series as charts (request and error rates, latency
// percentiles, queues, WebSocket connections, cache hits, payments) and the browsers' web vitals
// p75 per page. Polls every 15 s (paused while the tab is hidden); the range is in the URL.
import { useMemo, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { Card, CardContent, CardHeader, CardTitle, Field, PageHeader, Select } from '@bank/ui';
import { EmptyState, Table, TBody, TD, TH, THead, TR } from '@bank/ui/data';
import { adminApi, useDisplayLocale, type MonitoringRange, type MonitoringSeries } from '@bank/platform';
import { formatTimestamp } from '@bank/platform/format';
import { QueryState } from '../components/QueryState.tsx';
import { TimeSeriesChart, type ChartLine } from '../components/TimeSeriesChart.tsx';
import { VITALS, vitalRating } from '../components/web-vitals.ts';

const RANGES: { value: MonitoringRange; label: string }[] = [
  { value: '15m', label: 'Last 15 minutes' },
  { value: '1h', label: 'Last hour' },
  { value: '6h', label: 'Last 6 hours' },
  { value: '24h', label: 'Last 24 hours' },
];
const isRange = (v: string | null): v is MonitoringRange => RANGES.some((r) => r.value === v);
const REFRESH_MS = 15_000;

const ms = (n: number) => n.toLocaleString(undefined, { maximumFractionDigits: 0 });
const percent = (n: number) => `${Math.round(n)}`;

function Charts({ data }: { data: MonitoringSeries }) {
  const [latencyOf, setLatencyOf] = useState('gateway');
  const perService = (pick: (s: MonitoringSeries['services'][number]) => (number | null)[]): ChartLine[] => data.services.map((s) => ({ label: s.name, values: pick(s) }));
  const perQueue = (pick: (q: MonitoringSeries['queues'][number]) => (number | null)[]): ChartLine[] => data.queues.map((q) => ({ label: q.name, values: pick(q) }));
  const chosen = data.services.find((s) => s.name === latencyOf) ?? data.services[0];
  const t = data.timestamps;

  return (
    <div className="flex flex-col gap-4">
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader><CardTitle>Traffic</CardTitle></CardHeader>
          <CardContent className="flex flex-col gap-6">
            <TimeSeriesChart title="Request rate" unit="req/s" timestamps={t} lines={perService((s) => s.requestRate)} />
            <TimeSeriesChart title="Error rate (5xx)" unit="errors/s" timestamps={t} lines={perService((s) => s.errorRate)} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>Latency</CardTitle></CardHeader>
          <CardContent className="flex flex-col gap-6">
            <TimeSeriesChart title="Latency p95 by service" unit="ms" format={ms} timestamps={t} lines={perService((s) => s.p95)} />
            <div className="flex flex-col gap-2">
              <Field label="Percentiles of" className="max-w-48">
                <Select value={chosen?.name} onChange={(e) => setLatencyOf(e.target.value)}>
                  {data.services.map((s) => <option key={s.name} value={s.name}>{s.name}</option>)}
                </Select>
              </Field>
              {chosen && (
                <TimeSeriesChart
                  title={`Latency of ${chosen.name}`}
                  unit="ms"
                  format={ms}
                  timestamps={t}
                  lines={[{ label: 'p50', values: chosen.p50 }, { label: 'p95', values: chosen.p95 }, { label: 'p99', values: chosen.p99 }]}
                />
              )}
            </div>
          </CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>Event hub</CardTitle></CardHeader>
          <CardContent className="flex flex-col gap-6">
            <TimeSeriesChart title="Queue depth" unit="messages" timestamps={t} lines={perQueue((q) => q.depth)} />
            <TimeSeriesChart title="Dead letters" unit="messages" timestamps={t} lines={perQueue((q) => q.deadLetters)} />
            <TimeSeriesChart title="Consumer lag (time to drain)" unit="s" timestamps={t} lines={perQueue((q) => q.lagSeconds)} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>Real time, cache and payments</CardTitle></CardHeader>
          <CardContent className="flex flex-col gap-6">
            <TimeSeriesChart title="WebSocket connections" unit="open" timestamps={t} lines={[{ label: 'gateway', values: data.websocketConnections }]} />
            <TimeSeriesChart
              title="Cache hit rate"
              unit="%"
              format={percent}
              timestamps={t}
              lines={[{ label: 'all services', values: data.cacheHitRatio.map((v) => (v === null ? null : v * 100)) }]}
            />
            <TimeSeriesChart
              title="Payments by status"
              unit="per minute"
              timestamps={t}
              lines={[
                { label: 'created', values: data.paymentsPerMinute.created },
                { label: 'completed', values: data.paymentsPerMinute.completed },
                { label: 'failed', values: data.paymentsPerMinute.failed },
              ]}
            />
          </CardContent>
        </Card>
      </div>
      <WebVitalsTable vitals={data.webVitals} />
    </div>
  );
}

function WebVitalsTable({ vitals }: { vitals: MonitoringSeries['webVitals'] }) {
  const pages = useMemo(() => {
    const byPage = new Map<string, Map<string, { p75: number; count: number }>>();
    for (const v of vitals) {
      const row = byPage.get(v.page) ?? new Map();
      row.set(v.name, { p75: v.p75, count: v.count });
      byPage.set(v.page, row);
    }
    return [...byPage.entries()];
  }, [vitals]);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Web vitals (p75 per page)</CardTitle>
        <p className="text-sm text-muted-foreground">Measured in users' browsers (those who did not opt out), attributed to the page they loaded.</p>
      </CardHeader>
      {pages.length === 0 ? (
        <CardContent><EmptyState title="No measurements in this range" /></CardContent>
      ) : (
        // w-0 + min-w-full: the table scrolls inside the card instead of lending its min-content
        // width to the page (which made the phone layout 511 px wide). `relative`: the cells'
        // sr-only spans are absolutely positioned, and would otherwise widen the page itself.
        <div className="relative w-0 min-w-full overflow-x-auto">
          <Table caption="Web vitals p75 per page">
            <THead>
              <tr>
                <TH>Page</TH>
                {VITALS.map((v) => <TH key={v.name} className="text-right" title={v.description}>{v.label}</TH>)}
              </tr>
            </THead>
            <TBody>
              {pages.map(([page, row]) => (
                <TR key={page}>
                  <TD className="font-mono text-xs">{page}</TD>
                  {VITALS.map((v) => {
                    const cell = row.get(v.name);
                    if (!cell) return <TD key={v.name} className="text-right text-muted-foreground">—</TD>;
                    const rating = vitalRating(v, cell.p75);
                    return (
                      <TD key={v.name} className="text-right tabular-nums" title={`${cell.count} measurements`}>
                        <span className={rating === 'good' ? 'text-success' : rating === 'poor' ? 'text-destructive' : 'text-warning'}>{v.format(cell.p75)}</span>
                        <span className="sr-only"> ({rating})</span>
                      </TD>
                    );
                  })}
                </TR>
              ))}
            </TBody>
          </Table>
        </div>
      )}
    </Card>
  );
}

export function MonitoringPage() {
  useDisplayLocale(); // the "Updated" time is in the user's locale; a change re-renders
  const [params, setParams] = useSearchParams();
  const requested = params.get('range');
  const range: MonitoringRange = isRange(requested) ? requested : '15m';
  const query = useQuery({
    queryKey: ['admin', 'monitoring', range],
    queryFn: () => adminApi.monitoringSeries(range),
    refetchInterval: REFRESH_MS,
    placeholderData: keepPreviousData,
  });
  return (
    <section>
      <PageHeader title="Monitoring" description={`Every service's traffic, latency, queues and business figures. Refreshes every ${REFRESH_MS / 1000} seconds.`} />
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <Field label="Range" className="w-52">
          <Select value={range} onChange={(e) => setParams((p) => { p.set('range', e.target.value); return p; }, { replace: true })}>
            {RANGES.map((r) => <option key={r.value} value={r.value}>{r.label}</option>)}
          </Select>
        </Field>
        {query.data && (
          <p className="text-xs text-muted-foreground" aria-live="polite">
            Updated {formatTimestamp(query.data.to)} · {query.data.source === 'prometheus' ? 'from Prometheus' : "from the admin service's own collector"}
            {query.isFetching && ' · refreshing…'}
          </p>
        )}
      </div>
      <QueryState query={query} label="the monitoring series">
        {(data) =>
          data.timestamps.length === 0 ? (
            <EmptyState title="No measurements yet" description="The collector reads every service's metrics every few seconds; the first points appear within half a minute." />
          ) : (
            <Charts data={data} />
          )
        }
      </QueryState>
    </section>
  );
}
