import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { Card, CardContent, CardHeader, CardTitle, PageHeader } from '@bank/ui';
import { StatusBadge, Table, TBody, TD, TH, THead, TR } from '@bank/ui/data';
import { adminApi, useRealtime } from '@bank/platform';
import { serviceOfDeadLetterQueue } from '../components/dead-letter-queues.ts';
import { QueryState } from '../components/QueryState.tsx';

export function HealthPage() {
  const query = useQuery({ queryKey: ['admin', 'health'], queryFn: adminApi.health, refetchInterval: 10_000 });
  useRealtime('system:health', () => void query.refetch());
  return (
    <section>
      <PageHeader title="System health" description="Services, queues and dead letters now. Refreshes every 10 seconds." />
      <p className="mb-4 text-sm">
        <Link className="text-primary underline underline-offset-2" to="/admin/monitoring">Monitoring</Link> shows the history as charts: rates, latency, queues, cache, payments and web vitals.
      </p>
      <QueryState query={query} label="system health">
        {(h) => (
          <div className="flex flex-col gap-4">
            <Card className="flex items-center gap-3 p-4">
              <span className="text-sm text-muted-foreground">Overall</span>
              <StatusBadge status={h.status} />
            </Card>
            <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
              <Card>
                <CardHeader><CardTitle>Services</CardTitle></CardHeader>
                <Table caption="Services">
                  <THead><tr><TH>Service</TH><TH>Status</TH><TH className="text-right">Latency</TH></tr></THead>
                  <TBody>
                    {h.services.map((s) => (
                      <TR key={s.name}>
                        <TD className="font-medium">{s.name}</TD>
                        <TD><StatusBadge status={s.status} /></TD>
                        <TD className="text-right tabular-nums">{s.latencyMs == null ? '—' : `${s.latencyMs} ms`}</TD>
                      </TR>
                    ))}
                  </TBody>
                </Table>
              </Card>
              <Card>
                <CardHeader><CardTitle>Queues</CardTitle></CardHeader>
                <Table caption="Queues">
                  <THead><tr><TH>Queue</TH><TH className="text-right">Messages</TH><TH className="text-right">Consumers</TH></tr></THead>
                  <TBody>
                    {h.queues.map((q) => (
                      <TR key={q.name}>
                        <TD className="font-mono text-xs">
                          {q.name}
                          {q.error && <span className="block font-sans text-xs text-destructive" title={q.error}>Not inspectable: {q.error}</span>}
                        </TD>
                        <TD className="text-right tabular-nums">{q.messages ?? '—'}</TD>
                        <TD className="text-right tabular-nums">{q.consumers ?? '—'}</TD>
                      </TR>
                    ))}
                  </TBody>
                </Table>
              </Card>
            </div>
            <Card>
              <CardHeader><CardTitle>Dead letters</CardTitle></CardHeader>
              <CardContent>
                {h.deadLetters.every((d) => d.count === 0) ? (
                  <p className="text-sm text-muted-foreground">No dead letters.</p>
                ) : (
                  <ul className="flex flex-col gap-1 text-sm">
                    {h.deadLetters.filter((d) => d.count !== 0).map((d) => (
                      <li key={d.queue}>
                        {d.count === null ? (
                          <span><span className="font-mono text-xs">{d.queue}</span>: <span className="text-destructive" title={d.error}>not inspectable{d.error ? ` (${d.error})` : ''}</span></span>
                        ) : (
                          <>
                            <Link className="text-primary hover:underline" to={`/admin/dead-letters?queue=${encodeURIComponent(serviceOfDeadLetterQueue(d.queue))}`}>{d.queue}</Link>: {d.count}
                          </>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
              </CardContent>
            </Card>
          </div>
        )}
      </QueryState>
    </section>
  );
}
