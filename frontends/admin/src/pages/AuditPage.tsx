import { useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, EmptyState, Field, Input, PageHeader, Pagination, Select, Table, TBody, TD, TH, THead, TR, useCursorPages } from '@bank/ui';
import {
  adminApi, AUDIT_EVENT_TYPES, AUDIT_SOURCES, formatDateTime, shortId, useRealtime, type AuditEventType, type AuditFilters, type AuditSource,
} from '@bank/platform';
import { QueryState } from '../components/QueryState.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function AuditPage() {
  const [filters, setFilters] = useState<AuditFilters>({});
  const pages = useCursorPages();
  const cursor = pages.cursor;
  const [userIdError, setUserIdError] = useState<string | null>(null);
  const query = useQuery({ queryKey: ['admin', 'audit', filters, cursor], queryFn: () => adminApi.audit({ ...filters, cursor, limit: 25 }), placeholderData: keepPreviousData });
  // New entries are announced over the WebSocket; only the first page (newest first) can change.
  useRealtime('admin:audit-created', () => {
    if (!cursor) void query.refetch();
  });

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const get = (k: string) => String(form.get(k) ?? '').trim() || undefined;
    const from = get('from');
    const to = get('to');
    const userId = get('userId');
    // The API accepts only a user id (UUID); say so here instead of showing a 400.
    if (userId && !UUID.test(userId)) {
      setUserIdError('Enter a user id (UUID), e.g. from the Users page.');
      return;
    }
    setUserIdError(null);
    setFilters({
      type: get('type') as AuditEventType | undefined,
      source: get('source') as AuditSource | undefined,
      userId,
      from: from && new Date(`${from}T00:00:00`).toISOString(),
      // `to` is exclusive: the start of the day after the chosen one.
      to: to && new Date(new Date(`${to}T00:00:00`).getTime() + 86_400_000).toISOString(),
    });
    pages.reset();
  }

  return (
    <section>
      <PageHeader
        title="Audit log"
        description="Every security and business event, as recorded by the admin service."
        actions={<Button variant="outline" loading={query.isFetching && !query.isPending} onClick={() => void query.refetch()}>Refresh</Button>}
      />
      <Card className="mb-4 p-4">
        <form onSubmit={apply} aria-label="Filter audit entries" className="grid grid-cols-1 gap-3 sm:grid-cols-3 lg:grid-cols-6 lg:items-end">
          <Field label="Event type">
            <Select name="type" defaultValue="">
              <option value="">All types</option>
              {AUDIT_EVENT_TYPES.map((type) => <option key={type} value={type}>{type}</option>)}
            </Select>
          </Field>
          <Field label="Source">
            <Select name="source" defaultValue="">
              <option value="">All sources</option>
              {AUDIT_SOURCES.map((source) => <option key={source} value={source}>{source}</option>)}
            </Select>
          </Field>
          <Field label="User id" error={userIdError ?? undefined}><Input name="userId" spellCheck={false} autoComplete="off" /></Field>
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
                    <TR key={a.id} data-audit-type={a.type} data-audit-user={a.userId ?? undefined}>
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
