import { useQuery } from '@tanstack/react-query';
import { Alert, Card, CardContent, CardHeader, CardTitle, PageHeader, Stat } from '@bank/ui';
import { EmptyState, StatusBadge, Table, TBody, TD, TH, THead, TR } from '@bank/ui/data';
import { adminApi, useRealtime } from '@bank/platform';
import { formatDateTime, formatMoney, shortId } from '@bank/platform/format';
import { QueryState } from '../components/QueryState.tsx';

export function DashboardPage() {
  const query = useQuery({ queryKey: ['admin', 'dashboard'], queryFn: adminApi.dashboard, refetchInterval: 30_000 });
  useRealtime('admin:audit-created', () => void query.refetch());
  return (
    <section>
      <PageHeader title="Operations dashboard" description="Payment volumes and the latest activity across the platform." />
      <QueryState query={query} label="the dashboard">
        {(d) => {
          const total = d.payments.byStatus.reduce((s, x) => s + x.count, 0);
          const count = (status: string) => d.payments.byStatus.find((x) => x.status === status)?.count ?? 0;
          return (
            <div className="flex flex-col gap-6">
              {d.payments.status === 'unavailable' && (
                <Alert tone="warning" title="Payment figures are unavailable">
                  The payments service did not answer{d.payments.detail ? ` (${d.payments.detail})` : ''}. Activity below is still current.
                </Alert>
              )}
              <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
                <Stat label="Payments" value={total} />
                <Stat label="Completed" value={count('completed')} />
                <Stat label="Failed" value={count('failed')} hint={total ? `${((count('failed') / total) * 100).toFixed(1)} % of all` : undefined} />
                <Stat label="In progress" value={count('pending') + count('processing')} />
              </div>
              <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
                <Card>
                  <CardHeader><CardTitle>Volume by currency</CardTitle></CardHeader>
                  <CardContent>
                    <p className="mb-2 text-xs text-muted-foreground">Completed payments only; failed and cancelled ones moved no money.</p>
                    {d.payments.byCurrency.length === 0 ? (
                      <p className="text-sm text-muted-foreground">No completed payments yet.</p>
                    ) : (
                      <ul className="divide-y divide-border">
                        {d.payments.byCurrency.map((c) => (
                          <li key={c.currency} className="flex justify-between py-2 text-sm">
                            <span className="font-medium">{c.currency} <span className="text-muted-foreground">· {c.count}</span></span>
                            {/* amount is in minor units (e.g. cents); formatMoney converts exactly */}
                            <span className="tabular-nums">{formatMoney(c.amount, c.currency)}</span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </CardContent>
                </Card>
                <Card className="lg:col-span-2">
                  <CardHeader><CardTitle>Recent activity</CardTitle></CardHeader>
                  {d.recentActivity.length === 0 ? (
                    <CardContent><EmptyState title="No activity yet" /></CardContent>
                  ) : (
                    <Table caption="Recent activity">
                      <THead><tr><TH>When</TH><TH>Event</TH><TH>Source</TH><TH>User</TH></tr></THead>
                      <TBody>
                        {d.recentActivity.slice(0, 10).map((a) => (
                          <TR key={a.id}>
                            <TD className="whitespace-nowrap text-muted-foreground">{formatDateTime(a.occurredAt)}</TD>
                            <TD className="font-mono text-xs">{a.type}</TD>
                            <TD><StatusBadge status={a.source} /></TD>
                            <TD className="font-mono text-xs">{shortId(a.userId)}</TD>
                          </TR>
                        ))}
                      </TBody>
                    </Table>
                  )}
                </Card>
              </div>
            </div>
          );
        }}
      </QueryState>
    </section>
  );
}
