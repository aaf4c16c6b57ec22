import { useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, EmptyState, Field, Input, PageHeader, Pagination, Table, TBody, TD, TH, THead, TR, useCursorPages } from '@bank/ui';
import { adminApi, formatDateTime, shortId, type AuditFilters } from '@bank/platform';
import { QueryState } from '../components/QueryState.tsx';

export function AuditPage() {
  const [filters, setFilters] = useState<AuditFilters>({});
  const pages = useCursorPages();
  const cursor = pages.cursor;
  const query = useQuery({ queryKey: ['admin', 'audit', filters, cursor], queryFn: () => adminApi.audit({ ...filters, cursor, limit: 25 }), placeholderData: keepPreviousData });

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const get = (k: string) => String(form.get(k) ?? '').trim() || undefined;
    const from = get('from');
    const to = get('to');
    setFilters({ type: get('type'), source: get('source'), userId: get('userId'), from: from && new Date(`${from}T00:00:00`).toISOString(), to: to && new Date(`${to}T23:59:59.999`).toISOString() });
    pages.reset();
  }

  return (
    <section>
      <PageHeader title="Audit log" description="Every security and business event, as recorded by the admin service." />
      <Card className="mb-4 p-4">
        <form onSubmit={apply} aria-label="Filter audit entries" className="grid grid-cols-1 gap-3 sm:grid-cols-3 lg:grid-cols-6 lg:items-end">
          <Field label="Event type"><Input name="type" placeholder="user.role_changed" /></Field>
          <Field label="Source"><Input name="source" placeholder="auth" /></Field>
          <Field label="User id"><Input name="userId" /></Field>
          <Field label="From"><Input type="date" name="from" /></Field>
          <Field label="To"><Input type="date" name="to" /></Field>
          <Button type="submit">Apply filters</Button>
        </form>
      </Card>
      <QueryState query={query} label="the audit log">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState title="No audit entries" description="Nothing matches these filters." />
          ) : (
            <Card>
              <Table caption="Audit entries">
                <THead><tr><TH>When</TH><TH>Type</TH><TH>Source</TH><TH>User</TH><TH className="hidden lg:table-cell">Details</TH></tr></THead>
                <TBody>
                  {page.items.map((a) => (
                    <TR key={a.id} data-audit-type={a.type}>
                      <TD className="whitespace-nowrap text-muted-foreground">{formatDateTime(a.occurredAt)}</TD>
                      <TD className="font-mono text-xs">{a.type}</TD>
                      <TD>{a.source}</TD>
                      <TD className="font-mono text-xs" title={a.userId ?? undefined}>{shortId(a.userId)}</TD>
                      <TD className="hidden max-w-md truncate font-mono text-xs text-muted-foreground lg:table-cell">{JSON.stringify(a.data)}</TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
              <div className="border-t border-border px-4">
                <Pagination page={pages.page} hasPrevious={pages.hasPrevious} hasNext={Boolean(page.nextCursor)} loading={query.isFetching} onPrevious={pages.previous} onNext={() => pages.next(page.nextCursor)} />
              </div>
            </Card>
          )
        }
      </QueryState>
    </section>
  );
}
